// Between API shapes (ISO times, string ids) and rows (epoch milliseconds, integer ids).
import { InputError } from '@backstage/errors';
import type {
  CheckResult,
  Rollout,
  RolloutActor,
  RolloutEvent,
  RolloutOutcome,
} from '@aviary/backstage-plugin-canary-common';
import type { DbActorRow, DbCheckRow, DbEventRow, DbMillis, DbRolloutRow } from './tables';

/** ISO-8601 (any offset) to epoch milliseconds; throws on text that is not a time. */
export function toMillis(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new InputError(`"${iso}" is not a valid time`);
  return ms;
}

export function fromMillis(value: DbMillis): string {
  return new Date(Number(value)).toISOString();
}

/** The numeric row id of an API id, or undefined when it cannot be one. */
export function parseRolloutId(id: string): number | undefined {
  if (!/^[1-9][0-9]{0,15}$/.test(id)) return undefined;
  return Number(id);
}

export interface RolloutImages {
  canary: string[];
  primary: string[];
}

export function parseImages(text: string): RolloutImages {
  try {
    const parsed = JSON.parse(text) as Partial<RolloutImages>;
    return {
      canary: Array.isArray(parsed.canary) ? parsed.canary : [],
      primary: Array.isArray(parsed.primary) ? parsed.primary : [],
    };
  } catch {
    return { canary: [], primary: [] };
  }
}

export function rolloutFromRow(row: DbRolloutRow, actors: RolloutActor[] = []): Rollout {
  return {
    id: String(row.id),
    cluster: row.cluster,
    namespace: row.namespace,
    name: row.canary,
    revision: row.revision,
    images: parseImages(row.images),
    startedAt: fromMillis(row.started_at),
    ...(row.ended_at !== null ? { endedAt: fromMillis(row.ended_at) } : {}),
    outcome: row.outcome as RolloutOutcome,
    ...(row.reason !== null ? { reason: row.reason } : {}),
    actors,
    maxWeightReached: Number(row.max_weight),
    failedChecks: Number(row.failed_checks),
    checkCount: Number(row.check_count),
  };
}

export function checkFromRow(row: DbCheckRow): CheckResult {
  const thresholdRange: CheckResult['thresholdRange'] = {};
  if (row.threshold_min !== null) thresholdRange.min = Number(row.threshold_min);
  if (row.threshold_max !== null) thresholdRange.max = Number(row.threshold_max);
  return {
    time: fromMillis(row.time),
    metric: row.metric,
    value: row.value === null ? null : Number(row.value),
    outcome: row.outcome as CheckResult['outcome'],
    thresholdRange,
    verdict: row.verdict as CheckResult['verdict'],
    ...(row.message !== null ? { message: row.message } : {}),
  };
}

export function eventFromRow(row: DbEventRow): RolloutEvent {
  return { time: fromMillis(row.time), type: row.type, reason: row.reason, message: row.message };
}

export function actorFromRow(row: DbActorRow): RolloutActor {
  return {
    action: row.action,
    by: row.by,
    ...(row.reason !== null ? { reason: row.reason } : {}),
    at: fromMillis(row.at),
    ...(row.outcome !== null ? { outcome: row.outcome as RolloutActor['outcome'] } : {}),
  };
}

/** The opaque `before` cursor of a history page: the last item's start time and id. */
export function encodePageCursor(row: { started_at: DbMillis; id: number }): string {
  return `${Number(row.started_at)}.${row.id}`;
}

export function decodePageCursor(text: string): { startedAt: number; id: number } {
  const match = /^([0-9]{1,16})\.([0-9]{1,16})$/.exec(text);
  if (!match) throw new InputError(`before: "${text}" is not a cursor from a previous page`);
  return { startedAt: Number(match[1]), id: Number(match[2]) };
}
