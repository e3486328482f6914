import { MetricsError } from './errors.js';
import { PrometheusClient } from './prometheus.js';
import { createMetricsProvider } from './providers.js';

describe('metric provider factory', () => {
  it('builds a Prometheus client for prometheus (and, like Flagger, for an unknown type)', () => {
    expect(
      createMetricsProvider({ type: 'prometheus', address: 'http://prometheus:9090' }),
    ).toBeInstanceOf(PrometheusClient);
    const unknown = { type: 'victoria', address: 'http://vm:8428' } as unknown as Parameters<
      typeof createMetricsProvider
    >[0];
    expect(createMetricsProvider(unknown)).toBeInstanceOf(PrometheusClient);
  });

  it('refuses provider types Aviary does not implement', () => {
    expect(() =>
      createMetricsProvider({ type: 'datadog', address: 'https://api.datadoghq.com' }),
    ).toThrow(
      new MetricsError('config', 'metric provider type datadog is not supported by Aviary'),
    );
  });

  it('needs the Secret data when the template has a secretRef', () => {
    const provider = {
      type: 'prometheus' as const,
      address: 'http://p',
      secretRef: { name: 'prom-auth' },
    };
    expect(() => createMetricsProvider(provider)).toThrow(
      'credentials secret prom-auth was not provided',
    );
    expect(() => createMetricsProvider(provider, { credentials: {} })).toThrow(
      'does not contain a username',
    );
    expect(createMetricsProvider(provider, { credentials: { token: 't' } })).toBeInstanceOf(
      PrometheusClient,
    );
  });
});
