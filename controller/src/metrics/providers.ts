// From a MetricTemplate's provider block (plus its Secret's data) to a MetricsProvider.
import { metricProviderTypes } from '../api/schema/metric-template.js';
import type { MetricTemplateProvider } from '../api/types.js';
import { MetricsError } from './errors.js';
import { PrometheusClient } from './prometheus.js';
import type { MetricsProvider } from './provider.js';

export interface ProviderOptions {
  /** Decoded data of `provider.secretRef`'s Secret; required when secretRef is set. */
  credentials?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * Prometheus only for now. Flagger falls back to Prometheus for unknown types, so an empty or
 * unrecognised type does too; a known non-Prometheus type (datadog, ...) is a config error
 * rather than a silently wrong Prometheus query.
 */
export function createMetricsProvider(
  provider: MetricTemplateProvider,
  options: ProviderOptions = {},
): MetricsProvider {
  const type: string = provider.type ?? 'prometheus';
  if (KNOWN_UNSUPPORTED.has(type)) {
    throw new MetricsError('config', `metric provider type ${type} is not supported by Aviary`);
  }
  if (provider.secretRef && !options.credentials) {
    throw new MetricsError(
      'config',
      `${type} credentials secret ${provider.secretRef.name} was not provided`,
    );
  }
  return new PrometheusClient({
    address: provider.address ?? '',
    ...(provider.headers ? { headers: provider.headers } : {}),
    ...(provider.secretRef ? { credentials: options.credentials ?? {} } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    insecureSkipVerify: provider.insecureSkipVerify ?? false,
  });
}

// Every provider type the CRD accepts except Prometheus, the one implemented here.
const KNOWN_UNSUPPORTED = new Set(metricProviderTypes.filter(type => type !== 'prometheus'));
