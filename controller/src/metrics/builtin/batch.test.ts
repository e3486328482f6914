import { DateTime } from 'luxon';
import { MetricsError } from '../errors.js';
import type { InstantResult, PrometheusApi, QueryOptions } from '../provider.js';
import { batchQuery, fetchBuiltinMetric, planBatchQueries, splitBatchResult } from './batch.js';
import type { BatchTarget } from './batch.js';

const targets: BatchTarget[] = [
  { key: 'podinfo.test', namespace: 'test', target: 'podinfo', interval: '1m' },
  { key: 'frontend.test', namespace: 'test', target: 'frontend', interval: '1m' },
  { key: 'api.prod', namespace: 'prod', target: 'api.v2', interval: '1m' },
  { key: 'slow.prod', namespace: 'prod', target: 'slow', interval: '5m' },
];

const squash = (q: string) => q.replace(/\s+/g, '');

describe('batched built-in metrics', () => {
  it('one success-rate query per window, grouped by workload, exact workloads per namespace', () => {
    expect(squash(batchQuery('request-success-rate', targets.slice(0, 3), '1m'))).toBe(
      squash(`sum by (destination_workload_namespace, destination_workload) (
        rate(istio_requests_total{reporter="destination", destination_workload_namespace="prod", destination_workload=~"api\\\\.v2", response_code!~"5.*"}[1m])
        or rate(istio_requests_total{reporter="destination", destination_workload_namespace="test", destination_workload=~"frontend|podinfo", response_code!~"5.*"}[1m]))
      / sum by (destination_workload_namespace, destination_workload) (
        rate(istio_requests_total{reporter="destination", destination_workload_namespace="prod", destination_workload=~"api\\\\.v2"}[1m])
        or rate(istio_requests_total{reporter="destination", destination_workload_namespace="test", destination_workload=~"frontend|podinfo"}[1m]))
      * 100`),
    );
  });

  it('the duration query keeps le in the grouping for histogram_quantile', () => {
    expect(squash(batchQuery('request-duration', targets.slice(0, 1), '1m'))).toBe(
      squash(`histogram_quantile(0.99, sum by (le, destination_workload_namespace, destination_workload) (
        rate(istio_request_duration_milliseconds_bucket{reporter="destination", destination_workload_namespace="test", destination_workload=~"podinfo"}[1m])))`),
    );
  });

  it('plans one query per window and caps the number of canaries per query', () => {
    const plans = planBatchQueries('request-success-rate', targets);
    expect(plans.map(p => [p.interval, p.targets.map(t => t.key)])).toEqual([
      ['1m', ['podinfo.test', 'frontend.test', 'api.prod']],
      ['5m', ['slow.prod']],
    ]);
    expect(planBatchQueries('request-duration', targets, 2).map(p => p.targets.length)).toEqual([
      2, 1, 1,
    ]);
  });

  it('splits the result vector back per canary: missing series or NaN is no data', () => {
    const [plan] = planBatchQueries('request-duration', targets.slice(0, 3));
    const values = splitBatchResult(plan!, [
      {
        metric: { destination_workload_namespace: 'test', destination_workload: 'podinfo' },
        value: 120.7,
      },
      {
        metric: { destination_workload_namespace: 'test', destination_workload: 'frontend' },
        value: NaN,
      },
      {
        metric: { destination_workload_namespace: 'other', destination_workload: 'api.v2' },
        value: 1,
      },
    ]);
    expect(values.get('podinfo.test')).toEqual({ ok: true, value: 120 });
    expect(values.get('frontend.test')).toEqual({
      ok: false,
      error: new MetricsError('no-data', 'no values found'),
    });
    expect(values.get('api.prod')).toMatchObject({ ok: false, error: { kind: 'no-data' } });
  });

  it('fetches every window with one query each, at the given time; a failed query fails its canaries', async () => {
    const calls: Array<{ query: string; options?: QueryOptions }> = [];
    const api: PrometheusApi = {
      instantQuery: async (query, options): Promise<InstantResult> => {
        calls.push({ query, ...(options ? { options } : {}) });
        if (query.includes('[5m]')) throw new MetricsError('unreachable', 'prometheus down');
        return {
          resultType: 'vector',
          samples: [
            {
              metric: { destination_workload_namespace: 'test', destination_workload: 'podinfo' },
              value: 99,
            },
          ],
        };
      },
    };
    const time = DateTime.fromMillis(1_700_000_000_000);
    const values = await fetchBuiltinMetric(api, 'request-success-rate', targets, { time });
    expect(calls).toHaveLength(2);
    expect(calls[0]?.options?.time).toBe(time);
    expect(values.get('podinfo.test')).toEqual({ ok: true, value: 99 });
    expect(values.get('frontend.test')).toMatchObject({ ok: false, error: { kind: 'no-data' } });
    expect(values.get('slow.prod')).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
  });
});
