// From one `analysis.metrics[]` entry to what must be queried where: a built-in Istio metric
// (batched by the caller), an inline query on the canary's metrics server, or a MetricTemplate's
// query on the template's provider.
import type { Canary, CanaryMetric, MetricTemplate, MetricTemplateProvider } from '../api/types.js';
import { MetricsError } from './errors.js';
import { isBuiltinMetric } from './builtin/istio.js';
import type { BuiltinMetricName, BuiltinTarget } from './builtin/istio.js';
import { renderQuery, templateVariables } from './template.js';

export type MetricSource = 'builtin' | 'inline' | 'template';

export type MetricQuery =
  | { source: 'builtin'; metric: BuiltinMetricName; target: BuiltinTarget }
  | { source: 'inline'; query: string }
  | {
      source: 'template';
      query: string;
      provider: MetricTemplateProvider;
      /** Namespace of the template, where its provider's Secret lives. */
      namespace: string;
    };

/** templateRef first, then an inline query, then the built-in names (the engine's order). */
export function metricSourceOf(metric: CanaryMetric): MetricSource | undefined {
  if (metric.templateRef) return 'template';
  if (metric.query) return 'inline';
  if (isBuiltinMetric(metric.name)) return 'builtin';
  return undefined;
}

/** The MetricTemplate a metric refers to: its namespace defaults to the canary's. */
export function templateRefOf(canary: Canary, metric: CanaryMetric) {
  if (!metric.templateRef) return undefined;
  return {
    name: metric.templateRef.name,
    namespace: metric.templateRef.namespace || (canary.metadata.namespace ?? 'default'),
  };
}

/**
 * Builds the query. `template` is the MetricTemplate found for a templateRef (undefined when it
 * does not exist). Throws MetricsError('config') for an unusable metric, a missing template, or a
 * template error (unknown variable).
 */
export function metricQuery(
  canary: Canary,
  metric: CanaryMetric,
  template?: MetricTemplate,
  source: MetricSource | undefined = metricSourceOf(metric),
): MetricQuery {
  const vars = templateVariables(canary, metric);
  switch (source) {
    case 'builtin':
      if (!isBuiltinMetric(metric.name)) break;
      return {
        source,
        metric: metric.name,
        target: { namespace: vars.namespace, target: vars.target, interval: vars.interval },
      };
    case 'inline':
      return { source, query: renderQuery(metric.query ?? '', vars) };
    case 'template': {
      const ref = templateRefOf(canary, metric);
      if (!template) {
        throw new MetricsError(
          'config',
          `metric template ${ref?.name}.${ref?.namespace} not found`,
        );
      }
      return {
        source,
        query: renderQuery(template.spec.query, vars),
        provider: template.spec.provider,
        namespace: template.metadata.namespace ?? ref?.namespace ?? vars.namespace,
      };
    }
  }
  throw new MetricsError(
    'config',
    `Metric query failed for ${metric.name}: no usable metrics template and query were configured`,
  );
}
