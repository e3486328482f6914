// The three strategies and their gates (spec 2.6, 2.12), tick by tick.
import type { CanaryAnalysis, CanaryWebhook } from '../api/types.js';
import { canary, routes } from './__fixtures__/builders.js';
import { initializedWorld, type World } from './__fixtures__/world.js';

const hook = (name: string, type: CanaryWebhook['type'], muteAlert = false): CanaryWebhook => ({
  name,
  type,
  url: `http://tester/${name}`,
  ...(muteAlert ? { muteAlert } : {}),
});

/** Initialized with `analysis`, then the new revision detected (Progressing, nothing shifted). */
function detected(analysis: Partial<CanaryAnalysis>): World {
  const world = initializedWorld({ canary: canary({ analysis }) });
  world.release('rev-2');
  world.tick();
  world.forget();
  return world;
}

const blueGreen = { stepWeight: undefined, maxWeight: undefined, iterations: 2 };
const abTesting = {
  ...blueGreen,
  match: [{ headers: { cookie: { regex: '^(.*?;)?(type=insider)(;.*)?$' } } }],
};

describe('canary strategy', () => {
  it('steps stepWeight per passed tick up to maxWeight, each step written to status and routes together', () => {
    const world = detected({});
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      world.next();
      seen.push(
        `${world.status.canaryWeight}:${world.routes?.primaryWeight}/${world.routes?.canaryWeight}`,
      );
    }
    expect(seen).toEqual(['10:90/10', '20:80/20', '30:70/30', '40:60/40', '50:50/50', '50:50/50']);
    expect(world.phase).toBe('Promoting');
  });

  it('the first analysis tick runs pre-rollout hooks and no metrics, and already takes the first step', () => {
    const world = detected({ webhooks: [hook('pre', 'pre-rollout')] });
    world.next();
    expect(world.calls).toEqual([[expect.objectContaining({ kind: 'webhook', id: 'webhook/0' })]]);
    expect(world.status.canaryWeight).toBe(10);
  });

  it('a failed pre-rollout hook counts a failed check, shifts nothing, and is retried next tick', () => {
    const world = detected({ webhooks: [hook('pre', 'pre-rollout')] });
    world.failHook('pre', 'acceptance tests failed');
    world.next();
    expect(world.status).toMatchObject({ canaryWeight: 0, failedChecks: 1 });
    expect(world.events()).toEqual([
      'Starting canary analysis for podinfo.test',
      'Halt podinfo.test advancement pre-rollout check pre failed acceptance tests failed',
    ]);
    delete world.hookResults.pre;
    world.next();
    expect(world.status).toMatchObject({ canaryWeight: 10, failedChecks: 1 });
  });

  it('a failed pre-rollout hook alerts the owners once per run, not on every retry', () => {
    const world = detected({ threshold: 3, webhooks: [hook('pre', 'pre-rollout')] });
    world.failHook('pre', 'acceptance tests failed');
    world.next();
    const alerts = () => world.notes.filter(n => n.type === 'sendAlert');
    expect(alerts()).toEqual([
      expect.objectContaining({
        severity: 'warn',
        message:
          'Halt podinfo.test advancement pre-rollout check pre failed acceptance tests failed',
      }),
    ]);
    world.forget();
    world.next();
    expect(world.status.failedChecks).toBe(2);
    expect(alerts()).toEqual([]);
  });

  it('confirm-traffic-increase holds the weight without counting a failure and alerts unless muted', () => {
    const world = detected({ webhooks: [hook('more', 'confirm-traffic-increase')] });
    world.failHook('more');
    world.next();
    expect(world.status).toMatchObject({ canaryWeight: 0, failedChecks: 0 });
    expect(world.events()).toEqual([
      'Starting canary analysis for podinfo.test',
      'Halt podinfo.test advancement waiting for traffic increase approval more',
    ]);
    expect(world.notes).toContainEqual({
      type: 'sendAlert',
      severity: 'warn',
      message: 'Canary traffic increase is waiting for approval.',
      fields: [],
    });
    delete world.hookResults.more;
    world.next();
    expect(world.status.canaryWeight).toBe(10);
    const muted = detected({ webhooks: [hook('more', 'confirm-traffic-increase', true)] });
    muted.failHook('more');
    muted.next();
    expect(muted.notes.filter(n => n.type === 'sendAlert')).toEqual([]);
  });

  it('mirroring: no traffic-increase gate for the mirror step, the gate guards the first real shift', () => {
    const world = detected({ mirror: true, webhooks: [hook('more', 'confirm-traffic-increase')] });
    world.next();
    expect(world.routes).toEqual(routes(100, 0, true));
    expect(world.status).toMatchObject({ canaryWeight: 0, iterations: 1 });
    expect(world.calls.flat().filter(c => c.kind === 'webhook')).toEqual([]);
    world.next();
    expect(world.calls.at(-1)?.filter(c => c.kind === 'webhook')).toHaveLength(1);
    expect(world.routes).toEqual(routes(90, 10));
  });

  it('stepWeights climb the ladder and promote after the last rung', () => {
    const world = detected({
      stepWeight: undefined,
      maxWeight: undefined,
      stepWeights: [5, 25, 60],
    });
    const weights: number[] = [];
    while (world.phase === 'Progressing') {
      world.next();
      weights.push(world.status.canaryWeight ?? 0);
    }
    expect(weights).toEqual([5, 25, 60, 60]);
    expect(world.phase).toBe('Promoting');
  });

  it('a ladder edited mid-analysis continues at the next rung instead of jumping to 100', () => {
    const world = detected({
      stepWeight: undefined,
      maxWeight: undefined,
      stepWeights: [10, 20, 40],
    });
    world.next();
    world.canary.spec.analysis = { ...world.canary.spec.analysis, stepWeights: [5, 15, 30, 60] };
    world.next();
    expect(world.status.canaryWeight).toBe(15);
  });

  it('WaitingPromotion keeps enforcing the metrics every tick and rolls back on failures', () => {
    const world = detected({ threshold: 2, webhooks: [hook('promote', 'confirm-promotion')] });
    world.failHook('promote');
    for (let i = 0; i < 6; i++) world.next();
    expect(world.phase).toBe('WaitingPromotion');
    world.metric('request-success-rate', 62.5);
    world.next();
    expect(world.status).toMatchObject({
      phase: 'WaitingPromotion',
      failedChecks: 1,
      canaryWeight: 50,
    });
    world.next();
    expect(world.phase).toBe('Failed');
    const waitingAlerts = world.notes.filter(
      n => n.type === 'sendAlert' && n.message === 'Canary promotion is waiting for approval.',
    );
    expect(waitingAlerts).toHaveLength(1);
  });

  it('stepWeightPromotion hands traffic back to the primary in steps', () => {
    const world = detected({ stepWeightPromotion: 20 });
    for (let i = 0; i < 6; i++) world.next();
    expect(world.phase).toBe('Promoting');
    const split: string[] = [];
    while (world.phase === 'Promoting') {
      world.next();
      split.push(`${world.routes?.primaryWeight}/${world.routes?.canaryWeight}`);
    }
    expect(split).toEqual(['70/30', '90/10', '100/0']);
    expect(world.events().slice(-3)).toEqual([
      'Advance podinfo.test primary weight 70',
      'Advance podinfo.test primary weight 90',
      'Advance podinfo.test primary weight 100',
    ]);
  });
});

describe('Blue/Green strategy', () => {
  it('counts iterations with no user traffic on the canary, routes everything to it once, then promotes', () => {
    const world = detected(blueGreen);
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      world.next();
      seen.push(
        `${world.phase}:${world.status.iterations}:${world.routes?.primaryWeight}/${world.routes?.canaryWeight}`,
      );
    }
    expect(seen).toEqual([
      'Progressing:1:100/0',
      'Progressing:2:100/0',
      'Progressing:3:0/100',
      'Promoting:3:0/100',
    ]);
    expect(world.events()).toEqual([
      'Starting canary analysis for podinfo.test',
      'Advance podinfo.test canary iteration 1/2',
      'Advance podinfo.test canary iteration 2/2',
      'Routing all traffic to canary',
      'Copying podinfo.test template spec to podinfo-primary.test',
    ]);
  });

  it('with mirror: mirrored during the iterations, then the mirror stops when traffic moves', () => {
    const world = detected({ ...blueGreen, mirror: true });
    world.next();
    expect(world.routes).toEqual(routes(100, 0, true));
    world.next();
    expect(world.routes).toEqual(routes(100, 0, true));
    world.next();
    expect(world.routes).toEqual(routes(0, 100, false));
    expect(world.events().at(-1)).toBe('Stop traffic mirroring and route all traffic to canary');
  });

  it('asks confirm-promotion before moving all traffic and again before promoting', () => {
    const world = detected({ ...blueGreen, webhooks: [hook('promote', 'confirm-promotion')] });
    world.failHook('promote');
    world.next();
    world.next();
    world.next();
    expect(world.status).toMatchObject({ phase: 'WaitingPromotion', iterations: 2 });
    expect(world.routes).toEqual(routes(100, 0));
    delete world.hookResults.promote;
    world.next();
    expect(world.status).toMatchObject({ phase: 'Progressing', iterations: 3, canaryWeight: 100 });
    world.next();
    expect(world.phase).toBe('Promoting');
    const gateCalls = world.calls.flat().filter(c => c.kind === 'webhook');
    expect(gateCalls).toHaveLength(3);
  });

  it('promotes in stepWeightPromotion steps from the canary carrying all traffic', () => {
    const world = detected({ ...blueGreen, stepWeightPromotion: 50 });
    for (let i = 0; i < 4; i++) world.next();
    world.next();
    expect(world.routes).toEqual(routes(50, 50));
    world.next();
    expect(world.routes).toEqual(routes(100, 0));
    expect(world.phase).toBe('Finalising');
  });
});

describe('A/B testing strategy', () => {
  it('sends matching requests to the canary from the first iteration and promotes after the last', () => {
    const world = detected(abTesting);
    world.next();
    expect(world.routes).toEqual(routes(0, 100));
    expect(world.status).toMatchObject({ iterations: 1, canaryWeight: 0 });
    world.next();
    expect(world.events().at(-1)).toBe('Advance podinfo.test canary iteration 2/2');
    world.next();
    expect(world.phase).toBe('Promoting');
    expect(world.routes).toEqual(routes(0, 100));
  });

  it('ignores stepWeightPromotion: only matching requests were on the canary', () => {
    const world = detected({ ...abTesting, stepWeightPromotion: 10 });
    for (let i = 0; i < 3; i++) world.next();
    world.next();
    expect(world.phase).toBe('Finalising');
    expect(world.routes).toEqual(routes(100, 0));
    expect(world.events().at(-1)).toBe('Routing all traffic to primary');
  });
});
