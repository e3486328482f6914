// Built-in metrics for many canaries in one PromQL query per metric and window (architecture:
// "one grouped query per metric and Prometheus server"). The grouped query keeps the
// per-canary semantics: the same selectors, sums and ratio, only grouped by workload, so each
// canary's value equals what its own query returns, and a canary without series gets "no data".
import { MetricsError } from '../errors.js';
import type { PrometheusApi, QueryOptions, Sample } from '../provider.js';
import { REQUEST_SUCCESS_RATE, builtinValue } from './istio.js';
import type { BuiltinMetricName, BuiltinTarget } from './istio.js';

export interface BatchTarget extends BuiltinTarget {
  /** Caller's identifier for the canary, e.g. `<name>.<namespace>`. */
  key: string;
}

export interface BatchQuery {
  metric: BuiltinMetricName;
  interval: string;
  query: string;
  targets: BatchTarget[];
}

export type BatchValue = { ok: true; value: number } | { ok: false; error: MetricsError };

const GROUP_LABELS = 'destination_workload_namespace, destination_workload';

/** A PromQL string literal holding an exact-match regex alternation of the given names. */
function exactAlternation(values: readonly string[]): string {
  const escaped = [...new Set(values)].sort().map(v => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return JSON.stringify(escaped.join('|'));
}

/** `rate(metric{...ns A, workloads of A...}[w]) or rate(...ns B...)`: exact pairs, no cross product. */
function selectorUnion(
  metric: string,
  extra: string,
  targets: readonly BuiltinTarget[],
  interval: string,
) {
  const byNamespace = new Map<string, string[]>();
  for (const t of targets)
    byNamespace.set(t.namespace, [...(byNamespace.get(t.namespace) ?? []), t.target]);
  return [...byNamespace.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([namespace, workloads]) => {
      const labels = [
        'reporter="destination"',
        `destination_workload_namespace=${JSON.stringify(namespace)}`,
        `destination_workload=~${exactAlternation(workloads)}`,
        ...(extra ? [extra] : []),
      ];
      return `rate(${metric}{${labels.join(', ')}}[${interval}])`;
    })
    .join(' or ');
}

export function batchQuery(
  metric: BuiltinMetricName,
  targets: readonly BuiltinTarget[],
  interval: string,
): string {
  if (metric === REQUEST_SUCCESS_RATE) {
    const ok = selectorUnion('istio_requests_total', 'response_code!~"5.*"', targets, interval);
    const all = selectorUnion('istio_requests_total', '', targets, interval);
    return `sum by (${GROUP_LABELS}) (${ok}) / sum by (${GROUP_LABELS}) (${all}) * 100`;
  }
  const buckets = selectorUnion(
    'istio_request_duration_milliseconds_bucket',
    '',
    targets,
    interval,
  );
  return `histogram_quantile(0.99, sum by (le, ${GROUP_LABELS}) (${buckets}))`;
}

/** Groups targets by window (the range is part of the query) and caps the size of each query. */
export function planBatchQueries(
  metric: BuiltinMetricName,
  targets: readonly BatchTarget[],
  maxTargetsPerQuery = 200,
): BatchQuery[] {
  const byInterval = new Map<string, BatchTarget[]>();
  for (const t of targets) byInterval.set(t.interval, [...(byInterval.get(t.interval) ?? []), t]);
  const queries: BatchQuery[] = [];
  for (const [interval, group] of byInterval) {
    for (let i = 0; i < group.length; i += maxTargetsPerQuery) {
      const chunk = group.slice(i, i + maxTargetsPerQuery);
      queries.push({
        metric,
        interval,
        query: batchQuery(metric, chunk, interval),
        targets: chunk,
      });
    }
  }
  return queries;
}

/** One value per target from the grouped result vector; no sample (or NaN) means no data. */
export function splitBatchResult(
  batch: BatchQuery,
  samples: readonly Sample[],
): Map<string, BatchValue> {
  const byWorkload = new Map<string, number>();
  for (const s of samples) {
    const id = `${s.metric.destination_workload_namespace}/${s.metric.destination_workload}`;
    byWorkload.set(id, s.value);
  }
  const values = new Map<string, BatchValue>();
  for (const t of batch.targets) {
    const raw = byWorkload.get(`${t.namespace}/${t.target}`);
    try {
      if (raw === undefined) throw new MetricsError('no-data', 'no values found');
      values.set(t.key, { ok: true, value: builtinValue(batch.metric, raw) });
    } catch (err) {
      values.set(t.key, { ok: false, error: err as MetricsError });
    }
  }
  return values;
}

/**
 * Runs the grouped queries for one Prometheus server and returns one value per target key. A
 * failed query (server down, HTTP error) becomes that error for each of its targets.
 */
export async function fetchBuiltinMetric(
  api: PrometheusApi,
  metric: BuiltinMetricName,
  targets: readonly BatchTarget[],
  options: QueryOptions & { maxTargetsPerQuery?: number } = {},
): Promise<Map<string, BatchValue>> {
  const batches = planBatchQueries(metric, targets, options.maxTargetsPerQuery);
  const results = await Promise.all(
    batches.map(async batch => {
      try {
        const result = await api.instantQuery(
          batch.query,
          options.time ? { time: options.time } : {},
        );
        if (result.resultType !== 'vector') {
          throw new MetricsError('bad-response', `grouped query returned a ${result.resultType}`);
        }
        return splitBatchResult(batch, result.samples);
      } catch (err) {
        const error =
          err instanceof MetricsError ? err : new MetricsError('bad-response', String(err));
        return new Map(batch.targets.map(t => [t.key, { ok: false, error } as BatchValue]));
      }
    }),
  );
  return new Map(results.flatMap(map => [...map]));
}
