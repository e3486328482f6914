import { IstioMetrics, ISTIO_DURATION_BUCKETS } from '../../src/mesh/metrics.js';

describe('Istio metrics exposition', () => {
  it('counters and cumulative histogram buckets in the text format, destination labels', () => {
    const m = new IstioMetrics();
    m.record({
      namespace: 'demo',
      workload: 'podinfo',
      version: '6.0.1',
      responseCode: 200,
      durationMs: 3,
    });
    m.record({
      namespace: 'demo',
      workload: 'podinfo',
      version: '6.0.1',
      responseCode: 200,
      durationMs: 120,
    });
    m.record({
      namespace: 'demo',
      workload: 'podinfo',
      version: '6.0.1',
      responseCode: 500,
      durationMs: 7,
    });
    const text = m.expose();
    const lines = text.split('\n');
    expect(text.endsWith('\n')).toBe(true);
    expect(lines).toContain('# TYPE istio_requests_total counter');
    expect(lines).toContain('# TYPE istio_request_duration_milliseconds histogram');
    const ok =
      'reporter="destination",destination_workload="podinfo",destination_workload_namespace="demo",destination_service_name="podinfo",destination_service_namespace="demo",destination_version="6.0.1",request_protocol="http",response_code="200"';
    expect(lines).toContain(`istio_requests_total{${ok}} 2`);
    expect(lines).toContain(`istio_request_duration_milliseconds_bucket{${ok},le="1"} 0`);
    expect(lines).toContain(`istio_request_duration_milliseconds_bucket{${ok},le="5"} 1`);
    expect(lines).toContain(`istio_request_duration_milliseconds_bucket{${ok},le="100"} 1`);
    expect(lines).toContain(`istio_request_duration_milliseconds_bucket{${ok},le="250"} 2`);
    expect(lines).toContain(`istio_request_duration_milliseconds_bucket{${ok},le="+Inf"} 2`);
    expect(lines).toContain(`istio_request_duration_milliseconds_sum{${ok}} 123`);
    expect(lines).toContain(`istio_request_duration_milliseconds_count{${ok}} 2`);
    expect(text).toMatch(/istio_requests_total\{[^}]*response_code="500"\} 1\n/);
    // every sample line: name{labels} value
    for (const line of lines.filter(l => l && !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_]+\{([a-z_]+="[^"]*",?)+\} [0-9.e+]+$/);
    }
    const buckets = lines.filter(l =>
      l.startsWith(`istio_request_duration_milliseconds_bucket{${ok},`),
    );
    expect(buckets).toHaveLength(ISTIO_DURATION_BUCKETS.length + 1);
  });

  it('escapes label values', () => {
    const m = new IstioMetrics();
    m.record({ namespace: 'a"b', workload: 'w\\x', responseCode: 200, durationMs: 1 });
    expect(m.expose()).toContain(
      'destination_workload="w\\\\x",destination_workload_namespace="a\\"b"',
    );
  });
});
