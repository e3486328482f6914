import type { InstantResult, PrometheusApi } from '../metrics/index.js';
import { BuiltinMetricBatcher } from './batcher.js';
import { FakeClock, flush } from './test-support/fake-clock.js';

/** Answers grouped queries with one sample per workload it knows, and records every query. */
function fakePrometheus(values: Record<string, number>) {
  const queries: string[] = [];
  const api: PrometheusApi = {
    async instantQuery(query: string): Promise<InstantResult> {
      queries.push(query);
      const samples = Object.entries(values)
        .filter(([id]) => query.includes(id.split('/')[1] ?? ''))
        .map(([id, value]) => {
          const [namespace, workload] = id.split('/');
          return {
            metric: {
              destination_workload_namespace: namespace ?? '',
              destination_workload: workload ?? '',
            },
            value,
          };
        });
      return { resultType: 'vector', samples };
    },
  };
  return { api, queries };
}

describe('BuiltinMetricBatcher', () => {
  it('answers every canary that asks within the window with one grouped query per metric and server', async () => {
    const clock = new FakeClock();
    const prom = fakePrometheus({ 'test/podinfo': 99.5, 'test/frontend': 97, 'prod/api': 100 });
    const flushes: number[] = [];
    const batcher = new BuiltinMetricBatcher({
      clock,
      windowMs: 100,
      apiFor: () => prom.api,
      onFlush: f => flushes.push(f.targets),
    });
    const asked = [
      batcher.fetch('http://prom', 'request-success-rate', {
        namespace: 'test',
        target: 'podinfo',
        interval: '1m',
      }),
      batcher.fetch('http://prom', 'request-success-rate', {
        namespace: 'test',
        target: 'frontend',
        interval: '1m',
      }),
    ];
    await clock.advance(50);
    asked.push(
      batcher.fetch('http://prom', 'request-success-rate', {
        namespace: 'prod',
        target: 'api',
        interval: '1m',
      }),
    );
    await clock.advance(50);
    const values = await Promise.all(asked);
    expect(values).toEqual([
      { ok: true, value: 99.5 },
      { ok: true, value: 97 },
      { ok: true, value: 100 },
    ]);
    expect(prom.queries).toHaveLength(1);
    expect(flushes).toEqual([3]);
  });

  it('keeps servers and metrics apart, and a canary without series gets no data', async () => {
    const clock = new FakeClock();
    const a = fakePrometheus({ 'test/podinfo': 120 });
    const b = fakePrometheus({});
    const batcher = new BuiltinMetricBatcher({
      clock,
      windowMs: 100,
      apiFor: server => (server === 'http://a' ? a.api : b.api),
    });
    const target = { namespace: 'test', target: 'podinfo', interval: '1m' };
    const duration = batcher.fetch('http://a', 'request-duration', target);
    const rate = batcher.fetch('http://a', 'request-success-rate', target);
    const other = batcher.fetch('http://b', 'request-duration', target);
    await clock.advance(100);
    expect(await duration).toEqual({ ok: true, value: 120 });
    expect(await rate).toEqual({ ok: true, value: 120 });
    const missing = await other;
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.error.kind).toBe('no-data');
    expect(a.queries).toHaveLength(2);
    expect(b.queries).toHaveLength(1);
  });

  it('a broken server fails its own canaries only, as a value (never a rejection)', async () => {
    const clock = new FakeClock();
    const good = fakePrometheus({ 'test/podinfo': 100 });
    const batcher = new BuiltinMetricBatcher({
      clock,
      windowMs: 10,
      apiFor: server => {
        if (server === 'not a url') throw new Error('prometheus address is not a valid URL');
        return good.api;
      },
    });
    const target = { namespace: 'test', target: 'podinfo', interval: '1m' };
    const bad = batcher.fetch('not a url', 'request-success-rate', target);
    const ok = batcher.fetch('http://good', 'request-success-rate', target);
    await clock.advance(10);
    const failed = await bad;
    expect(failed.ok).toBe(false);
    expect(await ok).toEqual({ ok: true, value: 100 });
  });

  it('flushes at once when a group is full', async () => {
    const clock = new FakeClock();
    const prom = fakePrometheus({ 'ns/a': 1, 'ns/b': 2 });
    const batcher = new BuiltinMetricBatcher({
      clock,
      windowMs: 60_000,
      maxTargets: 2,
      apiFor: () => prom.api,
    });
    const a = batcher.fetch('http://p', 'request-duration', {
      namespace: 'ns',
      target: 'a',
      interval: '1m',
    });
    const b = batcher.fetch('http://p', 'request-duration', {
      namespace: 'ns',
      target: 'b',
      interval: '1m',
    });
    await flush();
    expect(await Promise.all([a, b])).toEqual([
      { ok: true, value: 1 },
      { ok: true, value: 2 },
    ]);
  });
});
