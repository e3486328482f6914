import type { MetricTemplate } from '../api/types.js';
import { podinfoCanary } from '../router/__fixtures__/canary.js';
import { MetricsError } from './errors.js';
import { metricQuery, metricSourceOf, templateRefOf } from './metric-query.js';

const canary = podinfoCanary();
const latency: MetricTemplate = {
  apiVersion: 'aviary.dev/v1beta1',
  kind: 'MetricTemplate',
  metadata: { name: 'latency', namespace: 'istio-system' },
  spec: {
    provider: { type: 'prometheus', address: 'http://prometheus.istio-system:9090' },
    query:
      'histogram_quantile(0.99, sum(rate(x{reporter="{{ variables.reporter }}", ns="{{ namespace }}", w=~"{{ target }}"}[{{ interval }}])) by (le))',
  },
};

describe('metric queries (U19 runMetricChecks inputs)', () => {
  it('U19 template with variables: rendered query on the template provider', () => {
    const metric = {
      name: 'latency',
      interval: '2m',
      templateRef: { name: 'latency', namespace: 'istio-system' },
      templateVariables: { reporter: 'destination' },
    };
    expect(metricQuery(canary, metric, latency)).toEqual({
      source: 'template',
      query:
        'histogram_quantile(0.99, sum(rate(x{reporter="destination", ns="test", w=~"podinfo"}[2m])) by (le))',
      provider: latency.spec.provider,
      namespace: 'istio-system',
    });
  });

  it('U19 a template variable that is not set is a config error naming it', () => {
    const metric = { name: 'latency', templateRef: { name: 'latency' } };
    expect(() => metricQuery(canary, metric, latency)).toThrow(
      'template variable "variables.reporter" is not defined',
    );
  });

  it('U18 a missing template is an error; the namespace defaults to the canary one', () => {
    const metric = { name: 'latency', templateRef: { name: 'latency' } };
    expect(templateRefOf(canary, metric)).toEqual({ name: 'latency', namespace: 'test' });
    expect(() => metricQuery(canary, metric, undefined)).toThrow(
      new MetricsError('config', 'metric template latency.test not found'),
    );
  });

  it('U19 an undefined metric (no template, no query, not built in) is unusable', () => {
    expect(metricSourceOf({ name: 'undefined-metric' })).toBeUndefined();
    expect(() => metricQuery(canary, { name: 'undefined-metric' })).toThrow(
      'Metric query failed for undefined-metric: no usable metrics template and query were configured',
    );
  });

  it('U19 built-in only: the workload, namespace and window for the (batched) built-in query', () => {
    expect(metricQuery(canary, { name: 'request-success-rate', interval: '1m' })).toEqual({
      source: 'builtin',
      metric: 'request-success-rate',
      target: { namespace: 'test', target: 'podinfo', interval: '1m' },
    });
  });

  it('U19 query without template: rendered inline query (for the canary metrics server)', () => {
    const metric = { name: 'errors', query: 'sum(rate(x{ns="{{ namespace }}"}[{{ interval }}]))' };
    expect(metricQuery(canary, metric)).toEqual({
      source: 'inline',
      query: 'sum(rate(x{ns="test"}[1m]))',
    });
  });

  it('U19 template + query: the template wins (same order as the engine)', () => {
    const metric = {
      name: 'latency',
      query: 'up',
      templateRef: { name: 'latency' },
      templateVariables: { reporter: 's' },
    };
    expect(metricSourceOf(metric)).toBe('template');
    expect(metricQuery(canary, metric, latency).source).toBe('template');
  });
});
