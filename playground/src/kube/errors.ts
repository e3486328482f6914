/**
 * API errors in the exact shape the Kubernetes API server returns (a `Status` object), so
 * kubectl prints its usual messages and client libraries parse reason and code.
 */

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): StatusBody {
    const body: StatusBody = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) {
      // StatusDetails.group is `omitempty` in the API server: core resources carry no group.
      const { group, ...rest } = this.details;
      body.details = group ? this.details : rest;
    }
    return body;
  }
}

/** "deployments.apps" or "pods" — how the API server names a resource in messages. */
export function qualifiedResource(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

export const errors = {
  badRequest: (message: string) => new ApiError(400, 'BadRequest', message),
  unauthorized: () => new ApiError(401, 'Unauthorized', 'Unauthorized'),
  notFound: (resource: string, group: string, name: string) =>
    new ApiError(404, 'NotFound', `${qualifiedResource(resource, group)} "${name}" not found`, {
      name,
      group,
      kind: resource,
    }),
  pathNotFound: () =>
    new ApiError(404, 'NotFound', 'the server could not find the requested resource'),
  alreadyExists: (resource: string, group: string, name: string) =>
    new ApiError(
      409,
      'AlreadyExists',
      `${qualifiedResource(resource, group)} "${name}" already exists`,
      { name, group, kind: resource },
    ),
  conflict: (resource: string, group: string, name: string, why: string) =>
    new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(resource, group)} "${name}": ${why}`,
      { name, group, kind: resource },
    ),
  forbidden: (resource: string, group: string, name: string, why: string) =>
    new ApiError(
      403,
      'Forbidden',
      `${qualifiedResource(resource, group)} "${name}" is forbidden: ${why}`,
      { name, group, kind: resource },
    ),
  methodNotAllowed: (method: string) =>
    new ApiError(
      405,
      'MethodNotAllowed',
      `the server does not allow this method on the requested resource (${method})`,
    ),
  gone: (message: string) => new ApiError(410, 'Expired', message),
  unsupportedMediaType: (contentType: string) =>
    new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got ${contentType})`,
    ),
  tooLarge: () =>
    new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'),
  internal: (message: string) =>
    new ApiError(500, 'InternalError', `Internal error occurred: ${message}`),
};

/** One field problem, rendered like the API server's field.Error. */
export interface FieldError {
  field: string;
  type:
    | 'FieldValueRequired'
    | 'FieldValueInvalid'
    | 'FieldValueNotSupported'
    | 'FieldValueForbidden'
    | 'FieldValueTooLong'
    | 'FieldValueDuplicate'
    | 'FieldValueTypeInvalid';
  detail: string;
  value?: unknown;
}

function renderValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function renderFieldError(e: FieldError): string {
  switch (e.type) {
    case 'FieldValueRequired':
      return `Required value${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueNotSupported':
      return `Unsupported value: ${renderValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueForbidden':
      return `Forbidden: ${e.detail}`;
    case 'FieldValueDuplicate':
      return `Duplicate value: ${renderValue(e.value)}`;
    case 'FieldValueTooLong':
      return `Too long: ${e.detail}`;
    default:
      return `Invalid value: ${renderValue(e.value)}: ${e.detail}`;
  }
}

/** 422 Invalid, listing every field problem like `The Canary "x" is invalid: [a: ..., b: ...]`. */
export function invalid(
  kind: string,
  group: string,
  name: string,
  problems: FieldError[],
): ApiError {
  const rendered = problems.map(p => `${p.field}: ${renderFieldError(p)}`);
  const list = rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`;
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  return new ApiError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${list}`, {
    name,
    group,
    kind,
    causes: problems.map(p => ({ reason: p.type, message: renderFieldError(p), field: p.field })),
  });
}
