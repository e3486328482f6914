// Validation of what a browser sends: path parameters, query strings and the action body. Each
// error names the field so the frontend can show it next to the right input.
import { InputError } from '@backstage/errors';
import {
  CANARY_ACTIONS,
  parseCanaryAnnotation,
  type ActionRequest,
  type CanaryAction,
  type CanaryRef,
} from '@aviary/backstage-plugin-canary-common';

export const MAX_REASON_LENGTH = 500;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The canary named by `:cluster/:namespace/:name`, checked with the annotation's own rules. */
export function canaryRefFromPath(params: Record<string, string | undefined>): CanaryRef {
  const cluster = params.cluster ?? '';
  const namespace = params.namespace ?? '';
  const name = params.name ?? '';
  const parsed = parseCanaryAnnotation(`${cluster}:${namespace}/${name}`);
  if (!parsed.ok) throw new InputError(parsed.error);
  return { cluster, namespace, name };
}

export function parseActionRequest(body: unknown): ActionRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError('body must be a JSON object with action and reason');
  }
  const { action, reason, revision } = body as Record<string, unknown>;
  if (typeof action !== 'string' || !CANARY_ACTIONS.includes(action as CanaryAction)) {
    throw new InputError(`action must be one of ${CANARY_ACTIONS.join(', ')}`);
  }
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new InputError('reason is required: say why, it goes into the audit trail');
  }
  if (reason.length > MAX_REASON_LENGTH) {
    throw new InputError(`reason must be at most ${MAX_REASON_LENGTH} characters`);
  }
  if (revision !== undefined && (typeof revision !== 'string' || revision.trim() === '')) {
    throw new InputError('revision must be a non-empty string when given');
  }
  const request: ActionRequest = { action: action as CanaryAction, reason: reason.trim() };
  if (revision !== undefined) request.revision = revision as string;
  return request;
}

export function parsePage(query: Record<string, unknown>): { limit: number; before?: string } {
  const { limit, before } = query;
  let size = DEFAULT_PAGE_SIZE;
  if (limit !== undefined) {
    if (typeof limit !== 'string' || !/^\d+$/.test(limit)) {
      throw new InputError(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    }
    size = Number(limit);
    if (size < 1 || size > MAX_PAGE_SIZE) {
      throw new InputError(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    }
  }
  if (before === undefined) return { limit: size };
  if (typeof before !== 'string' || before === '') {
    throw new InputError('before must be the next value of a previous page');
  }
  return { limit: size, before };
}

/** A single optional string query parameter (`?owner=a&owner=b` is refused, not guessed). */
export function optionalQuery(query: Record<string, unknown>, key: string): string | undefined {
  const value = query[key];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new InputError(`${key} must be given at most once`);
  return value;
}
