// Row types of the plugin's tables (see migrations/). Times are epoch milliseconds; PostgreSQL
// returns bigint columns as strings, hence `number | string` on reads.

export type DbMillis = number | string;

export interface DbRolloutRow {
  id: number;
  cluster: string;
  namespace: string;
  canary: string;
  revision: string;
  /** JSON of `{ canary: string[]; primary: string[] }`. */
  images: string;
  started_at: DbMillis;
  ended_at: DbMillis | null;
  outcome: string;
  reason: string | null;
  max_weight: number;
  failed_checks: number;
  check_count: number;
  updated_at: DbMillis;
}

export interface DbCheckRow {
  id: number;
  rollout_id: number;
  time: DbMillis;
  metric: string;
  value: number | null;
  outcome: string;
  threshold_min: number | null;
  threshold_max: number | null;
  verdict: string;
  message: string | null;
}

export interface DbEventRow {
  id: number;
  rollout_id: number;
  time: DbMillis;
  type: string;
  reason: string;
  message: string;
  dedup_key: string;
}

export interface DbActorRow {
  id: number;
  rollout_id: number;
  action: string;
  by: string;
  reason: string | null;
  at: DbMillis;
  outcome: string | null;
}

export interface DbStreamCursorRow {
  cluster: string;
  event_id: string;
  updated_at: DbMillis;
}

export const TABLES = {
  rollouts: 'canary_rollouts',
  checks: 'canary_checks',
  events: 'canary_events',
  actors: 'canary_actors',
  cursors: 'canary_stream_cursors',
} as const;
