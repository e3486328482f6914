import { MetricsError } from '../errors.js';
import type { MetricsProvider } from '../provider.js';
import { builtinQuery, builtinValue, isBuiltinMetric, runBuiltinMetric } from './istio.js';

const squash = (q: string) => q.replace(/\s+/g, '');
const target = { namespace: 'test', target: 'podinfo', interval: '1m' };

describe('Istio built-in metrics (spec 4.1)', () => {
  it('request-success-rate is the spec query', () => {
    expect(squash(builtinQuery('request-success-rate', target))).toBe(
      squash(`sum(rate(istio_requests_total{reporter="destination", destination_workload_namespace="test",
        destination_workload=~"podinfo", response_code!~"5.*"}[1m]))
        / sum(rate(istio_requests_total{reporter="destination", destination_workload_namespace="test",
        destination_workload=~"podinfo"}[1m])) * 100`),
    );
  });

  it('request-duration is the spec query', () => {
    expect(squash(builtinQuery('request-duration', { ...target, interval: '30s' }))).toBe(
      squash(`histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{reporter="destination",
        destination_workload_namespace="test", destination_workload=~"podinfo"}[30s])) by (le))`),
    );
  });

  it('knows which names are built in', () => {
    expect(isBuiltinMetric('request-success-rate')).toBe(true);
    expect(isBuiltinMetric('request-duration')).toBe(true);
    expect(isBuiltinMetric('latency')).toBe(false);
  });

  it('durations are truncated to whole milliseconds; NaN is no data; +Inf stays', () => {
    expect(builtinValue('request-duration', 248.97)).toBe(248);
    expect(builtinValue('request-success-rate', 98.5)).toBe(98.5);
    expect(builtinValue('request-duration', Infinity)).toBe(Infinity);
    expect(() => builtinValue('request-success-rate', NaN)).toThrow(
      new MetricsError('no-data', 'no values found'),
    );
  });

  it('runs through any MetricsProvider', async () => {
    const queries: string[] = [];
    const provider: MetricsProvider = {
      runQuery: async q => {
        queries.push(q);
        return 499.9;
      },
      isOnline: async () => undefined,
    };
    await expect(runBuiltinMetric(provider, 'request-duration', target)).resolves.toBe(499);
    expect(queries[0]).toContain('histogram_quantile');
  });
});
