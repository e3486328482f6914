// Reading the controller's JSON into the shared API shapes: the controller does not know its
// cluster name, so every summary and detail gets `cluster` here. Malformed bodies are errors,
// not half-filled objects.
import type {
  CanaryDetail,
  CanarySummary,
  ManualActionAck,
} from '@aviary/backstage-plugin-canary-common';

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export class WireError extends Error {}

export function toSummary(raw: unknown, cluster: string): CanarySummary {
  if (!isObject(raw) || typeof raw.namespace !== 'string' || typeof raw.name !== 'string') {
    throw new WireError('a canary without namespace or name');
  }
  const optional = (key: string) => {
    const value = str(raw[key]);
    return value !== undefined ? { [key]: value } : {};
  };
  return {
    cluster,
    namespace: raw.namespace,
    name: raw.name,
    target: str(raw.target) ?? '',
    phase: (str(raw.phase) ?? '') as CanarySummary['phase'],
    weight: num(raw.weight),
    failedChecks: num(raw.failedChecks),
    iterations: num(raw.iterations),
    ...optional('revision'),
    ...optional('promotedRevision'),
    paused: raw.paused === true,
    ...optional('lastTransitionTime'),
    ...optional('message'),
    ...(isObject(raw.manualAction) ? { manualAction: raw.manualAction as ManualActionAck } : {}),
  };
}

const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const strings = (v: unknown): string[] =>
  list<unknown>(v).filter(s => typeof s === 'string') as string[];

export function toDetail(raw: unknown, cluster: string): CanaryDetail {
  const summary = toSummary(raw, cluster);
  const body = raw as Json;
  const images = isObject(body.images) ? body.images : {};
  return {
    ...summary,
    spec: (isObject(body.spec) ? body.spec : {}) as CanaryDetail['spec'],
    ...(isObject(body.weights) ? { weights: body.weights as CanaryDetail['weights'] } : {}),
    images: { canary: strings(images.canary), primary: strings(images.primary) },
    checks: list(body.checks),
    events: list(body.events),
    changes: list(body.changes),
    status: isObject(body.status) ? body.status : {},
  };
}
