// Istio's built-in metrics (spec 4.1), one canary at a time: the query templates exactly as
// Flagger runs them, and how their results become check values.
import { isBuiltinMetric } from '../../api/types.js';
import type { BuiltinMetricName } from '../../api/types.js';
import { MetricsError } from '../errors.js';
import type { MetricsProvider, QueryOptions } from '../provider.js';
import { renderQuery } from '../template.js';

export { isBuiltinMetric };
export type { BuiltinMetricName };

export const REQUEST_SUCCESS_RATE: BuiltinMetricName = 'request-success-rate';
export const REQUEST_DURATION: BuiltinMetricName = 'request-duration';

/** Percentage of non-5xx responses received by the canary workload. */
export const SUCCESS_RATE_TEMPLATE = `
sum(
  rate(
    istio_requests_total{
      reporter="destination",
      destination_workload_namespace="{{ namespace }}",
      destination_workload=~"{{ target }}",
      response_code!~"5.*"
    }[{{ interval }}]
  )
)
/
sum(
  rate(
    istio_requests_total{
      reporter="destination",
      destination_workload_namespace="{{ namespace }}",
      destination_workload=~"{{ target }}"
    }[{{ interval }}]
  )
)
* 100`;

/** P99 request duration of the canary workload, in milliseconds. */
export const DURATION_TEMPLATE = `
histogram_quantile(
  0.99,
  sum(
    rate(
      istio_request_duration_milliseconds_bucket{
        reporter="destination",
        destination_workload_namespace="{{ namespace }}",
        destination_workload=~"{{ target }}"
      }[{{ interval }}]
    )
  ) by (le)
)`;

/** One canary's workload and the metric's window. */
export interface BuiltinTarget {
  namespace: string;
  /** targetRef.name: the canary workload (`podinfo`, not `podinfo-primary`). */
  target: string;
  /** PromQL range, the metric's interval (default 1m). */
  interval: string;
}

export function builtinQuery(metric: BuiltinMetricName, target: BuiltinTarget): string {
  const template = metric === REQUEST_SUCCESS_RATE ? SUCCESS_RATE_TEMPLATE : DURATION_TEMPLATE;
  return renderQuery(template, { name: target.target, service: target.target, ...target });
}

/**
 * A raw result as a check value: success rate as is (%), duration truncated to whole ms like
 * Flagger's time.Duration. NaN (0/0: no requests in the window) is "no data". +Inf (the
 * quantile fell in the +Inf bucket) stays Infinity so a max bound fails, where Go's int64
 * conversion of +Inf produced an arbitrary number.
 */
export function builtinValue(metric: BuiltinMetricName, raw: number): number {
  if (Number.isNaN(raw)) throw new MetricsError('no-data', 'no values found');
  if (metric === REQUEST_DURATION && Number.isFinite(raw)) return Math.trunc(raw);
  return raw;
}

/** Runs one built-in metric for one canary (the unbatched path, e.g. a per-canary server). */
export async function runBuiltinMetric(
  provider: MetricsProvider,
  metric: BuiltinMetricName,
  target: BuiltinTarget,
  options: QueryOptions = {},
): Promise<number> {
  return builtinValue(metric, await provider.runQuery(builtinQuery(metric, target), options));
}
