// The interfaces the engine depends on; PrometheusClient implements both, tests inject fakes.
import type { DateTime } from 'luxon';

export interface QueryOptions {
  /** Evaluation instant (Prometheus `time`); the server's "now" when omitted. */
  time?: DateTime;
}

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export type InstantResult =
  { resultType: 'vector'; samples: Sample[] } | { resultType: 'scalar'; value: number };

/** Raw instant queries, for callers that need labels (the batched built-in metrics). */
export interface PrometheusApi {
  instantQuery(query: string, options?: QueryOptions): Promise<InstantResult>;
}

/** Flagger's provider interface: one number per query, and an availability probe. */
export interface MetricsProvider {
  /** Rejects with MetricsError; kind 'no-data' for an empty or NaN result. */
  runQuery(query: string, options?: QueryOptions): Promise<number>;
  /** Resolves when the provider answers correctly; rejects with MetricsError otherwise. */
  isOnline(): Promise<void>;
}
