// API group, version and resource names of Aviary's custom resources.
export const GROUP = 'aviary.dev';
export const VERSION = 'v1beta1';
export const API_VERSION = `${GROUP}/${VERSION}`;

export const CANARY_KIND = 'Canary';
export const CANARY_PLURAL = 'canaries';
export const CANARY_SINGULAR = 'canary';

export const METRIC_TEMPLATE_KIND = 'MetricTemplate';
export const METRIC_TEMPLATE_PLURAL = 'metrictemplates';
export const METRIC_TEMPLATE_SINGULAR = 'metrictemplate';

export const ALERT_PROVIDER_KIND = 'AlertProvider';
export const ALERT_PROVIDER_PLURAL = 'alertproviders';
export const ALERT_PROVIDER_SINGULAR = 'alertprovider';

/** Metric names with built-in Istio queries (no templateRef needed). */
export const BUILTIN_METRICS = ['request-success-rate', 'request-duration'] as const;
export type BuiltinMetricName = (typeof BUILTIN_METRICS)[number];

export function isBuiltinMetric(name: string): name is BuiltinMetricName {
  return (BUILTIN_METRICS as readonly string[]).includes(name);
}
