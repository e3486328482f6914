import type { Canary, CanaryWebhook } from '../api/types.js';
import type { Check, CheckRound } from '../engine/types.js';
import type { MetricsProvider, PrometheusApi } from '../metrics/index.js';
import { MetricsError } from '../metrics/index.js';
import type { WebhookCaller, WebhookPayload } from '../webhooks/index.js';
import { BuiltinMetricBatcher } from './batcher.js';
import { runRound, type CheckDeps } from './checks.js';
import { Limiter } from './limiter.js';
import { systemClock } from './clock.js';

const canary: Canary = {
  apiVersion: 'aviary.dev/v1beta1',
  kind: 'Canary',
  metadata: { name: 'podinfo', namespace: 'test' },
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
    service: { port: 9898 },
    analysis: { interval: '10s', stepWeight: 10, threshold: 2 },
  },
  status: { lastAppliedSpec: 'old', trackedConfigs: {} },
};

function deps(
  answers: Record<string, boolean>,
  calls: Array<{ hook: string; body: WebhookPayload }>,
) {
  const webhooks: WebhookCaller = {
    async call(hook: CanaryWebhook, body: WebhookPayload) {
      calls.push({ hook: hook.name, body });
      return answers[hook.name]
        ? { ok: true, status: 200, attempts: 1 }
        : { ok: false, status: 403, error: 'closed', attempts: 1 };
    },
  };
  const api: PrometheusApi = {
    instantQuery: async () => ({
      resultType: 'vector',
      samples: [
        {
          metric: { destination_workload_namespace: 'test', destination_workload: 'podinfo' },
          value: 99,
        },
      ],
    }),
  };
  const inline: MetricsProvider = {
    runQuery: async query => {
      if (query.includes('empty')) throw new MetricsError('no-data', 'no values found');
      return 7;
    },
    isOnline: async () => undefined,
  };
  const result: CheckDeps = {
    webhooks,
    batcher: new BuiltinMetricBatcher({ clock: systemClock, windowMs: 1, apiFor: () => api }),
    prometheus: () => inline,
    defaultMetricsServer: 'http://prometheus:9090',
    template: () => undefined,
    secretData: () => undefined,
    queryLimiter: new Limiter(2),
  };
  return result;
}

const hook = (name: string, phase: 'Progressing' | 'Initialized' = 'Progressing'): Check => ({
  kind: 'webhook',
  id: `webhook/${name}`,
  hook: { name, url: `http://hooks/${name}` },
  phase,
  revision: { lastAppliedSpec: 'new', trackedConfigs: {} },
});

describe('runRound', () => {
  it('calls gating hooks in order and stops at the first failure; metrics are not measured', async () => {
    const calls: Array<{ hook: string; body: WebhookPayload }> = [];
    const round: CheckRound = {
      stage: 'analysis',
      stopAt: 'first-failure',
      checks: [
        hook('a'),
        hook('b'),
        hook('c'),
        {
          kind: 'metric',
          id: 'metric/0',
          metric: { name: 'x', query: 'q', thresholdRange: { max: 1 } },
          source: 'inline',
        },
      ],
    };
    const results = await runRound(canary, round, deps({ a: true, b: false, c: true }, calls));
    expect(calls.map(c => c.hook)).toEqual(['a', 'b']);
    expect(results).toEqual({
      'webhook/a': { kind: 'webhook', ok: true },
      'webhook/b': { kind: 'webhook', ok: false, error: 'closed' },
    });
  });

  it('rollback hooks stop at the first success', async () => {
    const calls: Array<{ hook: string; body: WebhookPayload }> = [];
    const round: CheckRound = {
      stage: 'rollback',
      stopAt: 'first-success',
      checks: [hook('a'), hook('b'), hook('c')],
    };
    await runRound(canary, round, deps({ a: false, b: true, c: true }, calls));
    expect(calls.map(c => c.hook)).toEqual(['a', 'b']);
  });

  it('the payload carries the phase and the checksum of the revision the hook is asked about', async () => {
    const calls: Array<{ hook: string; body: WebhookPayload }> = [];
    const round: CheckRound = {
      stage: 'confirm-rollout',
      stopAt: 'first-failure',
      checks: [hook('gate', 'Initialized')],
    };
    await runRound(canary, round, deps({ gate: true }, calls));
    const other = await (async () => {
      const again: Array<{ hook: string; body: WebhookPayload }> = [];
      const analysed: Check = {
        ...hook('gate', 'Initialized'),
        revision: { lastAppliedSpec: 'old', trackedConfigs: {} },
      } as Check;
      await runRound(canary, { ...round, checks: [analysed] }, deps({ gate: true }, again));
      return again[0]?.body.checksum;
    })();
    expect(calls[0]?.body).toEqual(
      expect.objectContaining({ name: 'podinfo', namespace: 'test', phase: 'Initialized' }),
    );
    expect(calls[0]?.body.checksum).not.toEqual(other);
  });

  it('after the hooks pass, built-in, inline and no-data metrics come back as values or no-data', async () => {
    const calls: Array<{ hook: string; body: WebhookPayload }> = [];
    const round: CheckRound = {
      stage: 'analysis',
      stopAt: 'first-failure',
      checks: [
        hook('a'),
        {
          kind: 'metric',
          id: 'metric/0',
          metric: { name: 'request-success-rate', thresholdRange: { min: 99 } },
          source: 'builtin',
        },
        {
          kind: 'metric',
          id: 'metric/1',
          metric: { name: 'x', query: 'sum(x)', thresholdRange: { max: 10 } },
          source: 'inline',
        },
        {
          kind: 'metric',
          id: 'metric/2',
          metric: { name: 'y', query: 'empty', thresholdRange: { max: 10 } },
          source: 'inline',
        },
        {
          kind: 'metric',
          id: 'metric/3',
          metric: { name: 'z', templateRef: { name: 'gone' }, thresholdRange: { max: 10 } },
          source: 'template',
        },
      ],
    };
    const results = await runRound(canary, round, deps({ a: true }, calls));
    expect(results['metric/0']).toEqual({ kind: 'metric', outcome: 'value', value: 99 });
    expect(results['metric/1']).toEqual({ kind: 'metric', outcome: 'value', value: 7 });
    expect(results['metric/2']).toEqual({
      kind: 'metric',
      outcome: 'no-data',
      error: 'no values found',
    });
    expect(results['metric/3']).toEqual({
      kind: 'metric',
      outcome: 'error',
      error: 'metric template gone.test not found',
      stage: 'template',
    });
  });
});
