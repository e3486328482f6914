// Weight schedules (spec 2.6, 2.8) and the resolved spec they read, table by table.
import type { CanaryAnalysis } from '../api/types.js';
import { canary, engineSpec } from './__fixtures__/builders.js';
import {
  canaryWeightSchedule,
  nextCanaryWeight,
  nextPromotionWeight,
  promotionWeightSchedule,
} from './schedule.js';
import { resolveSpec } from './spec.js';

const spec = (analysis: Partial<CanaryAnalysis>) =>
  engineSpec(canary({ analysis: { stepWeight: undefined, maxWeight: undefined, ...analysis } }));

describe('canary weight schedule', () => {
  it.each<[Partial<CanaryAnalysis>, number[]]>([
    [{ stepWeight: 10, maxWeight: 50 }, [10, 20, 30, 40, 50]],
    [{ stepWeight: 20, maxWeight: 50 }, [20, 40, 60]],
    [{ stepWeight: 50, maxWeight: 100 }, [50, 100]],
    [{ stepWeight: 100 }, [100]],
    [{ stepWeight: 30 }, [30, 60, 90, 100]],
    [{ stepWeights: [1, 2, 10, 80] }, [1, 2, 10, 80]],
    [{ stepWeights: [1, 2, 10, 200] }, [1, 2, 10, 100]],
    [{ stepWeights: [5, 25, 60], maxWeight: 10 }, [5, 25, 60]],
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
    expect(nextPromotionWeight(spec({ stepWeight: 10, stepWeightPromotion: 40 }), 30)).toBe(0);
  });
});

describe('the engine view of the resolved spec (defaults come from api/resolve)', () => {
  it('projects the defaults the ticks read', () => {
    expect(
      engineSpec(canary({ analysis: { interval: '5s', threshold: undefined } })),
    ).toMatchObject({
      name: 'podinfo',
      namespace: 'test',
      targetKind: 'Deployment',
      primaryName: 'podinfo-primary',
      strategy: 'canary',
      intervalMs: 10_000,
      threshold: 1,
      maxWeight: 50,
      primaryReadyThreshold: 100,
      progressDeadlineSeconds: 600,
      skipAnalysis: false,
      noDataPolicy: 'fail',
    });
  });

  it.each<[Partial<CanaryAnalysis>, string]>([
    [{ iterations: 5, match: [{ headers: { x: { exact: 'y' } } }] }, 'ab-testing'],
    [{ iterations: 5 }, 'blue-green'],
    [{ stepWeight: 5 }, 'canary'],
  ])('%j selects %s', (analysis, strategy) => {
    expect(spec(analysis).strategy).toBe(strategy);
  });

  it('reads the deprecated canaryAnalysis block, with analysis winning when both are set', () => {
    const bare = canary();
    const legacy = {
      ...bare,
      spec: { ...bare.spec, analysis: undefined, canaryAnalysis: { stepWeight: 33 } },
    };
    expect(engineSpec(legacy).stepWeight).toBe(33);
    const both = { ...bare, spec: { ...bare.spec, canaryAnalysis: { stepWeight: 33 } } };
    expect(engineSpec(both).stepWeight).toBe(10);
  });

  it('numbers webhooks and metrics by position, keeps them as written, and folds legacy thresholds', () => {
    const resolved = spec({
      stepWeight: 10,
      webhooks: [
        { name: 'a', url: 'http://a' },
        { name: 'b', type: 'pre-rollout', url: 'http://b', muteAlert: true },
      ],
      metrics: [
        { name: 'request-duration', threshold: 500 },
        { name: 'x', query: 'up', thresholdRange: { min: 1 } },
        { name: 'y', templateRef: { name: 't' }, threshold: 3 },
      ],
    });
    expect(resolved.webhooks.map(w => `${w.id}:${w.type}:${w.muteAlert}:${w.hook.name}`)).toEqual([
      'webhook/0:rollout:false:a',
      'webhook/1:pre-rollout:true:b',
    ]);
    expect(resolved.metrics.map(m => [m.id, m.source, m.range, m.metric.name])).toEqual([
      ['metric/0', 'builtin', { max: 500 }, 'request-duration'],
      ['metric/1', 'inline', { min: 1 }, 'x'],
      ['metric/2', 'template', { max: 3 }, 'y'],
    ]);
  });

  it('reports the problems of a spec that does not validate', () => {
    const result = resolveSpec(canary({ analysis: { stepWeight: 10, iterations: 3 } }));
    expect(result).toEqual({ ok: false, problems: expect.stringContaining('spec.analysis') });
  });
});
