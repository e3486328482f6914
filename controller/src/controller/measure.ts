// Measuring one metric of one canary: built-ins through the batcher (one grouped query per
// metric and server for all canaries due together), inline queries and MetricTemplates one by
// one under a concurrency cap. Shared by the check runner and the judge.
import type { Canary, CanaryMetric, MetricTemplate } from '../api/types.js';
import type { MetricSource } from '../engine/types.js';
import type { MetricsProvider } from '../metrics/index.js';
import {
  MetricsError,
  createMetricsProvider,
  metricQuery,
  templateRefOf,
} from '../metrics/index.js';
import type { BuiltinMetricBatcher } from './batcher.js';
import type { Limiter } from './limiter.js';

export interface MeasureDeps {
  batcher: BuiltinMetricBatcher;
  /** The Prometheus client for a base URL (reused across ticks). */
  prometheus(server: string): MetricsProvider;
  /** Server for canaries without `spec.metricsServer`. */
  defaultMetricsServer: string;
  /** MetricTemplate from the informer cache. */
  template(namespace: string, name: string): MetricTemplate | undefined;
  /** Decoded data of a Secret from the cache (a template provider's credentials). */
  secretData(namespace: string, name: string): Record<string, string> | undefined;
  /** Caps inline and template queries, which cannot be batched. */
  queryLimiter: Limiter;
}

export type Measurement =
  | { outcome: 'value'; value: number }
  | { outcome: 'no-data'; error: string }
  | { outcome: 'error'; error: string; stage: 'template' | 'query' };

export function metricsServerOf(canary: Canary, deps: MeasureDeps): string {
  return canary.spec.metricsServer || deps.defaultMetricsServer;
}

function fromError(err: unknown, stage: 'template' | 'query'): Measurement {
  if (err instanceof MetricsError && err.kind === 'no-data') {
    return { outcome: 'no-data', error: err.message };
  }
  const error = err instanceof Error ? err.message : String(err);
  return { outcome: 'error', error, stage };
}

/** The MetricsProvider a template names, or why it cannot be used. */
export function templateProvider(
  canary: Canary,
  metric: CanaryMetric,
  deps: MeasureDeps,
): { template: MetricTemplate; provider: MetricsProvider } | { error: string } {
  const ref = templateRefOf(canary, metric);
  if (!ref) return { error: `metric ${metric.name} has no templateRef` };
  const template = deps.template(ref.namespace, ref.name);
  if (!template) return { error: `metric template ${ref.name}.${ref.namespace} not found` };
  const secretRef = template.spec.provider.secretRef;
  const credentials = secretRef
    ? deps.secretData(template.metadata.namespace ?? ref.namespace, secretRef.name)
    : undefined;
  try {
    const provider = createMetricsProvider(template.spec.provider, {
      ...(credentials ? { credentials } : {}),
    });
    return { template, provider };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** One metric for one canary (`canary` may be a copy aimed at the primary, for the judge). */
export async function measureMetric(
  canary: Canary,
  metric: CanaryMetric,
  source: MetricSource,
  deps: MeasureDeps,
): Promise<Measurement> {
  if (source === 'template') {
    const found = templateProvider(canary, metric, deps);
    if ('error' in found) return { outcome: 'error', error: found.error, stage: 'template' };
    let query: string;
    try {
      const built = metricQuery(canary, metric, found.template, 'template');
      query = 'query' in built ? built.query : '';
    } catch (err) {
      return fromError(err, 'template');
    }
    return runLimited(found.provider, query, deps);
  }
  let built;
  try {
    built = metricQuery(canary, metric, undefined, source);
  } catch (err) {
    return fromError(err, 'query');
  }
  const server = metricsServerOf(canary, deps);
  if (built.source === 'builtin') {
    const value = await deps.batcher.fetch(server, built.metric, built.target);
    return value.ok ? { outcome: 'value', value: value.value } : fromError(value.error, 'query');
  }
  let provider: MetricsProvider;
  try {
    provider = deps.prometheus(server);
  } catch (err) {
    return fromError(err, 'query');
  }
  return runLimited(provider, 'query' in built ? built.query : '', deps);
}

async function runLimited(
  provider: MetricsProvider,
  query: string,
  deps: MeasureDeps,
): Promise<Measurement> {
  try {
    const value = await deps.queryLimiter.run(() => provider.runQuery(query));
    return { outcome: 'value', value };
  } catch (err) {
    return fromError(err, 'query');
  }
}
