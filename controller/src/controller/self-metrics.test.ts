import { SelfMetrics } from './self-metrics.js';

describe('SelfMetrics', () => {
  it("records the engine's metrics under Flagger's names and label sets", async () => {
    const metrics = new SelfMetrics({ version: '1.2.3' });
    const podinfo = { target: 'podinfo', namespace: 'test' };
    metrics.record(podinfo, { metric: 'status', value: 0 });
    metrics.record(podinfo, { metric: 'weight', primary: 90, canary: 10 });
    metrics.record(podinfo, { metric: 'analysis', name: 'request-duration', value: 0.12 });
    metrics.record(podinfo, {
      metric: 'successes',
      strategy: 'canary',
      analysisStatus: 'completed',
    });
    metrics.analysingTick(podinfo, 0.2);
    metrics.setCanaryTotals(new Map([['test', 1]]));
    const text = await metrics.exposition();
    expect(text).toContain('aviary_info{version="1.2.3",mesh_provider="istio"} 1');
    expect(text).toContain('aviary_canary_total{namespace="test"} 1');
    expect(text).toContain('aviary_canary_status{name="podinfo",namespace="test"} 0');
    expect(text).toContain('aviary_canary_weight{workload="podinfo-primary",namespace="test"} 90');
    expect(text).toContain('aviary_canary_weight{workload="podinfo",namespace="test"} 10');
    expect(text).toContain(
      'aviary_canary_metric_analysis{name="podinfo",namespace="test",metric="request-duration"} 0.12',
    );
    expect(text).toContain(
      'aviary_canary_successes_total{name="podinfo",namespace="test",deployment_strategy="canary",analysis_status="completed"} 1',
    );
    expect(text).toContain(
      'aviary_canary_duration_seconds_count{name="podinfo",namespace="test"} 1',
    );
  });

  it('a deleted canary stops exporting its gauges', async () => {
    const metrics = new SelfMetrics({ version: 'x' });
    const podinfo = { target: 'podinfo', namespace: 'test' };
    metrics.record(podinfo, { metric: 'status', value: 1 });
    metrics.record(podinfo, { metric: 'analysis', name: 'request-success-rate', value: 99 });
    metrics.forget(podinfo);
    const text = await metrics.exposition();
    expect(text).not.toContain('name="podinfo"');
  });
});
