// Weight schedules (spec 2.6, 2.8) and the resolved spec they read, table by table.
import type { CanaryAnalysis } from '../api/types.js';
import { canary } from './__fixtures__/builders.js';
import {
  canaryWeightSchedule,
  nextCanaryWeight,
  nextPromotionWeight,
  promotionWeightSchedule,
} from './schedule.js';
import { parseDurationMs, resolveSpec } from './spec.js';

const spec = (analysis: Partial<CanaryAnalysis>) =>
  resolveSpec(canary({ analysis: { stepWeight: undefined, maxWeight: undefined, ...analysis } }));

describe('canary weight schedule', () => {
  it.each<[Partial<CanaryAnalysis>, number[]]>([
    [{ stepWeight: 10, maxWeight: 50 }, [10, 20, 30, 40, 50]],
    [{ stepWeight: 20, maxWeight: 50 }, [20, 40, 60]],
    [{ stepWeight: 50, maxWeight: 100 }, [50, 100]],
    [{ stepWeight: 100 }, [100]],
    [{ stepWeight: 30 }, [30, 60, 90, 100]],
    [{ stepWeight: 10, maxWeight: 150 }, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]],
    [{ stepWeights: [1, 2, 10, 80] }, [1, 2, 10, 80]],
    [{ stepWeights: [1, 2, 10, 200] }, [1, 2, 10, 100]],
    [{ stepWeights: [5, 25, 60], maxWeight: 10 }, [5, 25, 60]],
    [{ stepWeight: 10, stepWeights: [1, 2], maxWeight: 30 }, [10, 20, 30]],
    [{}, []],
  ])('%j gives %j', (analysis, weights) => {
    expect(canaryWeightSchedule(spec(analysis))).toEqual(weights);
  });

  it.each<[number[], number, number | undefined]>([
    [[1, 2, 10, 80], 0, 1],
    [[1, 2, 10, 80], 2, 10],
    [[1, 2, 10, 80], 5, 10],
    [[1, 2, 10, 80], 80, undefined],
  ])('ladder %j from %d steps to %j', (stepWeights, from, next) => {
    expect(nextCanaryWeight(spec({ stepWeights }), from)).toBe(next);
  });
});

describe('promotion schedule', () => {
  it.each<[number, number, number[]]>([
    [0, 50, [0]],
    [50, 100, [50, 0]],
    [100, 50, [0]],
    [20, 50, [30, 10, 0]],
    [30, 100, [70, 40, 10, 0]],
  ])('stepWeightPromotion %d from canary %d goes %j', (stepWeightPromotion, from, weights) => {
    expect(promotionWeightSchedule(spec({ stepWeight: 10, stepWeightPromotion }), from)).toEqual(
      weights,
    );
  });

  it('never goes below zero', () => {
    expect(nextPromotionWeight(spec({ stepWeightPromotion: 40 }), 30)).toBe(0);
  });
});

describe('resolved spec', () => {
  it('applies Flagger defaults', () => {
    expect(
      resolveSpec(canary({ analysis: { metrics: [], interval: undefined, threshold: undefined } })),
    ).toMatchObject({
      name: 'podinfo',
      namespace: 'test',
      primaryName: 'podinfo-primary',
      strategy: 'canary',
      intervalMs: 60_000,
      threshold: 1,
      maxWeight: 50,
      primaryReadyThreshold: 100,
      canaryReadyThreshold: 100,
      progressDeadlineSeconds: 600,
      skipAnalysis: false,
      noDataPolicy: 'fail',
      minRequestCount: 0,
    });
  });

  it.each<[Partial<CanaryAnalysis>, string]>([
    [{ iterations: 5, match: [{ headers: { x: { exact: 'y' } } }] }, 'ab-testing'],
    [{ iterations: 5 }, 'blue-green'],
    [{ iterations: 0, match: [{ headers: { x: { exact: 'y' } } }] }, 'canary'],
    [{ stepWeight: 5 }, 'canary'],
  ])('%j selects %s', (analysis, strategy) => {
    expect(spec(analysis).strategy).toBe(strategy);
  });

  it.each<[string | undefined, number]>([
    ['30s', 30_000],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['5s', 10_000],
    ['soon', 60_000],
    [undefined, 60_000],
  ])('interval %s is %d ms (at least 10s, 60s when unreadable)', (interval, ms) => {
    expect(spec({ interval }).intervalMs).toBe(ms);
  });

  it('parses Go-style durations', () => {
    expect(parseDurationMs('1h2m3s')).toBe(3_723_000);
    expect(parseDurationMs('250ms')).toBe(250);
    expect(parseDurationMs('1x')).toBeUndefined();
  });

  it('treats a missing analysis block as skipAnalysis and prefers analysis over canaryAnalysis', () => {
    const bare = canary();
    expect(resolveSpec({ ...bare, spec: { ...bare.spec, analysis: undefined } }).skipAnalysis).toBe(
      true,
    );
    const both = { ...bare, spec: { ...bare.spec, canaryAnalysis: { stepWeight: 33 } } };
    expect(resolveSpec(both).stepWeight).toBe(10);
  });

  it('numbers webhooks and metrics by position and reads an empty hook type as rollout', () => {
    const resolved = spec({
      webhooks: [
        { name: 'a', url: 'http://a' },
        { name: 'b', type: 'pre-rollout', url: 'http://b' },
      ],
      metrics: [
        { name: 'custom' },
        { name: 'request-duration' },
        { name: 'x', query: 'up' },
        { name: 'y', templateRef: { name: 't' } },
      ],
    });
    expect(resolved.webhooks.map(w => `${w.id}:${w.type}`)).toEqual([
      'webhook/0:rollout',
      'webhook/1:pre-rollout',
    ]);
    expect(resolved.metrics.map(m => `${m.id}:${m.source}`)).toEqual([
      'metric/0:undefined',
      'metric/1:builtin',
      'metric/2:inline',
      'metric/3:template',
    ]);
  });
});
