// The OpenAPI 3 document of `/api/v1`, served at `/api/v1/openapi.json`, and the validation of
// requests against it: query parameters and the action body are checked with the schemas below
// (a small JSON Schema subset: type, enum, pattern, maxLength, required, additionalProperties),
// so the document and the behaviour cannot drift apart.

import { canaryPhases, manualActionKinds } from '../../api/schema/canary-status.js';
import type { ManualActionKind } from '../../api/types.js';

export interface Schema {
  type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array';
  enum?: readonly string[];
  pattern?: string;
  maxLength?: number;
  minLength?: number;
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: readonly string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  nullable?: boolean;
  $ref?: string;
}

// Action and phase names come from the CRD schema, the one source of both.
export const ACTIONS: readonly ManualActionKind[] = manualActionKinds as ManualActionKind[];
export type ActionName = ManualActionKind;

export const PHASES: readonly string[] = canaryPhases.filter(phase => phase !== '');

const NAME = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$';

export const ACTION_REQUEST: Schema = {
  type: 'object',
  required: ['action'],
  additionalProperties: false,
  properties: {
    action: { type: 'string', enum: ACTIONS },
    revision: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      description: 'status.lastAppliedSpec the action is for; default: the current one',
    },
    reason: { type: 'string', maxLength: 1024 },
    onBehalfOf: {
      type: 'string',
      minLength: 1,
      maxLength: 256,
      description: 'identity to record instead of the token’s; trusted tokens only',
    },
  },
};

export const LIST_QUERY: Record<string, Schema> = {
  namespace: { type: 'string', pattern: NAME, maxLength: 63 },
  labelSelector: {
    type: 'string',
    maxLength: 1024,
    description: 'k=v, k!=v, k, !k; comma-separated',
  },
  phase: { type: 'string', enum: PHASES },
};

export const STREAM_QUERY: Record<string, Schema> = {
  namespace: LIST_QUERY.namespace as Schema,
  lastEventId: {
    type: 'string',
    pattern: '^[0-9]{1,15}$',
    description: 'as the Last-Event-ID header',
  },
};

const summary: Schema = {
  type: 'object',
  properties: {
    namespace: { type: 'string' },
    name: { type: 'string' },
    target: { type: 'string' },
    phase: { type: 'string' },
    weight: { type: 'integer' },
    failedChecks: { type: 'integer' },
    iterations: { type: 'integer' },
    revision: { type: 'string', description: 'status.lastAppliedSpec' },
    promotedRevision: { type: 'string', description: 'status.lastPromotedSpec' },
    paused: { type: 'boolean' },
    lastTransitionTime: { type: 'string', format: 'date-time' },
    message: { type: 'string' },
    manualAction: {
      type: 'object',
      description: 'status.manualAction: the last acknowledged request',
      properties: {
        id: { type: 'string' },
        action: { type: 'string' },
        revision: { type: 'string' },
        requestedBy: { type: 'string' },
        reason: { type: 'string' },
        outcome: { type: 'string', enum: ['Applied', 'Refused'] },
        message: { type: 'string' },
        acknowledgedAt: { type: 'string', format: 'date-time' },
      },
    },
  },
};

const error: Schema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'string' },
    field: { type: 'string', description: 'the offending field, for 400' },
  },
};

const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map(code => [
      String(code),
      {
        description:
          {
            400: 'invalid request',
            401: 'no or unknown token',
            403: 'not allowed',
            404: 'not found',
            409: 'no revision to act on',
          }[code] ?? 'error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    ]),
  );

const queryParams = (query: Record<string, Schema>) =>
  Object.entries(query).map(([name, schema]) => ({ name, in: 'query', required: false, schema }));

const pathParams = [
  { name: 'namespace', in: 'path', required: true, schema: { type: 'string', pattern: NAME } },
  { name: 'name', in: 'path', required: true, schema: { type: 'string', pattern: NAME } },
];

const json = (ref: string) => ({
  'application/json': { schema: { $ref: `#/components/schemas/${ref}` } },
});

export const OPENAPI_DOCUMENT = {
  openapi: '3.0.3',
  info: {
    title: 'Aviary controller API',
    version: 'v1',
    description:
      'Canaries from the controller caches, manual actions (written to spec.manualAction and acknowledged in status.manualAction) and a resumable server-sent event stream.',
  },
  servers: [{ url: '/api/v1' }],
  security: [{ bearer: [] }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Error: error,
      CanarySummary: summary,
      CanaryList: {
        type: 'object',
        properties: {
          items: { type: 'array', items: { $ref: '#/components/schemas/CanarySummary' } },
        },
      },
      CanaryDetail: {
        type: 'object',
        description:
          'CanarySummary plus spec summary, status, weights, images, checks, events, changes',
        properties: {
          ...summary.properties,
          spec: { type: 'object' },
          status: { type: 'object' },
          weights: {
            type: 'object',
            properties: {
              primary: { type: 'integer' },
              canary: { type: 'integer' },
              virtualService: {
                type: 'string',
                description: 'the apex VirtualService they come from',
              },
            },
          },
          images: {
            type: 'object',
            properties: {
              canary: { type: 'array', items: { type: 'string' } },
              primary: { type: 'array', items: { type: 'string' } },
            },
          },
          checks: {
            type: 'array',
            description:
              'metric check results of the running analysis, oldest first (the last 100; kept in memory by the controller, lost on restart, cleared when a new analysis starts)',
            items: {
              type: 'object',
              required: ['time', 'metric', 'value', 'outcome', 'thresholdRange', 'verdict'],
              properties: {
                time: { type: 'string', format: 'date-time' },
                metric: { type: 'string' },
                value: { type: 'number', nullable: true },
                outcome: { type: 'string', enum: ['value', 'no-data', 'error'] },
                thresholdRange: {
                  type: 'object',
                  properties: { min: { type: 'number' }, max: { type: 'number' } },
                },
                verdict: { type: 'string', enum: ['pass', 'fail', 'skip'] },
                message: { type: 'string' },
              },
            },
          },
          events: {
            type: 'array',
            description: 'the latest 20 Kubernetes Events about this canary, newest first',
            items: {
              type: 'object',
              required: ['type', 'reason', 'message', 'count'],
              properties: {
                type: { type: 'string' },
                reason: { type: 'string' },
                message: { type: 'string' },
                count: { type: 'integer' },
                firstTimestamp: { type: 'string', format: 'date-time' },
                lastTimestamp: { type: 'string', format: 'date-time' },
              },
            },
          },
          changes: {
            type: 'array',
            description:
              'recent changes of this canary seen by this controller (phase, weight, revision)',
            items: { type: 'object' },
          },
        },
      },
      ActionRequest: ACTION_REQUEST,
      ActionAccepted: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          action: { type: 'string' },
          revision: { type: 'string' },
          requestedBy: { type: 'string' },
        },
      },
    },
  },
  paths: {
    '/canaries': {
      get: {
        summary: 'List canaries',
        parameters: queryParams(LIST_QUERY),
        responses: {
          '200': { description: 'canaries', content: json('CanaryList') },
          ...errors(400, 401),
        },
      },
    },
    '/namespaces/{namespace}/canaries/{name}': {
      get: {
        summary: 'Read one canary',
        parameters: pathParams,
        responses: {
          '200': { description: 'the canary', content: json('CanaryDetail') },
          ...errors(400, 401, 404),
        },
      },
    },
    '/namespaces/{namespace}/canaries/{name}/actions': {
      post: {
        summary: 'Request a manual action',
        parameters: pathParams,
        requestBody: { required: true, content: json('ActionRequest') },
        responses: {
          '202': { description: 'written to spec.manualAction', content: json('ActionAccepted') },
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    '/stream': {
      get: {
        summary:
          'Server-sent events: `hello` (id = current position), `canary` (data: { type: add|update|delete, canary: CanarySummary }), `reset` (re-list: the requested id is no longer kept). Resume with Last-Event-ID.',
        parameters: [
          ...queryParams(STREAM_QUERY),
          { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'text/event-stream',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          ...errors(400, 401),
        },
      },
    },
    '/openapi.json': {
      get: {
        summary: 'This document',
        security: [],
        responses: { '200': { description: 'OpenAPI 3 document' } },
      },
    },
  },
} as const;

export interface ValidationError {
  field: string;
  message: string;
}

/** Validates a value against a schema; the first error names the field path. */
export function validate(
  schema: Schema,
  value: unknown,
  field: string,
): ValidationError | undefined {
  if (value === undefined || value === null) return undefined;
  const fail = (message: string) => ({ field, message: `${field}: ${message}` });
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return fail('must be an object');
      const obj = value as Record<string, unknown>;
      for (const key of schema.required ?? []) {
        const f = field ? `${field}.${key}` : key;
        if (obj[key] === undefined || obj[key] === null)
          return { field: f, message: `${f}: required` };
      }
      for (const [key, v] of Object.entries(obj)) {
        const f = field ? `${field}.${key}` : key;
        const sub = schema.properties?.[key];
        if (!sub) {
          if (schema.additionalProperties === false)
            return { field: f, message: `${f}: unknown field` };
          continue;
        }
        const err = validate(sub, v, f);
        if (err) return err;
      }
      return undefined;
    }
    case 'string': {
      if (typeof value !== 'string') return fail('must be a string');
      if (schema.enum && !schema.enum.includes(value))
        return fail(`must be one of ${schema.enum.join(', ')}`);
      if (schema.minLength !== undefined && value.length < schema.minLength)
        return fail(`at least ${schema.minLength} characters`);
      if (schema.maxLength !== undefined && value.length > schema.maxLength)
        return fail(`at most ${schema.maxLength} characters`);
      if (schema.pattern && !new RegExp(schema.pattern).test(value))
        return fail(`must match ${schema.pattern}`);
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Validates query parameters (unknown ones are an error too). */
export function validateQuery(
  schemas: Record<string, Schema>,
  params: URLSearchParams,
): ValidationError | undefined {
  for (const key of new Set(params.keys())) {
    const schema = schemas[key];
    if (!schema) return { field: key, message: `${key}: unknown query parameter` };
    if (params.getAll(key).length > 1)
      return { field: key, message: `${key}: given more than once` };
    const err = validate(schema, params.get(key), key);
    if (err) return err;
  }
  return undefined;
}
