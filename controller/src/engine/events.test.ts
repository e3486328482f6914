// U20: the exact, ordered events and hook calls of a full run with every hook type (spec 2.15).
import { canary } from './__fixtures__/builders.js';
import { World } from './__fixtures__/world.js';
import type { CanaryWebhook } from '../api/types.js';
import { postRolloutEvents } from './messages.js';

const hooks: CanaryWebhook[] = [
  { name: 'gate-rollout', type: 'confirm-rollout', url: 'http://tester/gate/approve' },
  { name: 'pre', type: 'pre-rollout', url: 'http://tester/pre' },
  { name: 'load', type: 'rollout', url: 'http://tester/load' },
  { name: 'gate-traffic', type: 'confirm-traffic-increase', url: 'http://tester/gate/approve' },
  { name: 'gate-promotion', type: 'confirm-promotion', url: 'http://tester/gate/approve' },
  { name: 'post', type: 'post-rollout', url: 'http://tester/post' },
  { name: 'rollback', type: 'rollback', url: 'http://tester/rollback/check' },
  { name: 'events', type: 'event', url: 'http://tester/events' },
];

/** Events as the executor would record them: post-rollout hooks report their own result. */
function timeline(world: World): string[] {
  return world.notes.flatMap(n => {
    if (n.type === 'emitEvent') return [n.message];
    if (n.type === 'runWebhooks') return n.hooks.map(h => postRolloutEvents.passed(h.name));
    return [];
  });
}

function fullRun(skipAnalysis: boolean): World {
  const world = new World({
    canary: canary({
      spec: { skipAnalysis },
      analysis: { stepWeight: 100, maxWeight: 100, stepWeightPromotion: 50, webhooks: hooks },
    }),
  });
  world.failHook('rollback', 'not signalling');
  world.tick();
  world.tick();
  world.release('rev-2');
  world.tick();
  for (let i = 0; i < 6 && world.phase !== 'Succeeded'; i++) world.next();
  return world;
}

describe('U20: event webhooks and the event timeline', () => {
  it('U20: a canary run emits the events in Flagger order and calls each hook with its phase', () => {
    const world = fullRun(false);
    expect(world.phase).toBe('Succeeded');
    // One deliberate difference from Flagger: confirm-traffic-increase is not asked again on the
    // promotion tick, where the weight does not increase.
    expect(timeline(world)).toEqual([
      'all the metrics providers are available!',
      'podinfo-primary.test not ready: waiting for the deployment to be created',
      'all the metrics providers are available!',
      'Initialization done! podinfo.test',
      'Confirm-rollout check gate-rollout passed',
      'New revision detected! Scaling up podinfo.test',
      'Starting canary analysis for podinfo.test',
      'Pre-rollout check pre passed',
      'Confirm-traffic-increase check gate-traffic passed',
      'Advance podinfo.test canary weight 100',
      'Confirm-promotion check gate-promotion passed',
      'Copying podinfo.test template spec to podinfo-primary.test',
      'Advance podinfo.test primary weight 50',
      'Advance podinfo.test primary weight 100',
      'Post-rollout check post passed',
      'Promotion completed! Scaling down podinfo.test',
    ]);
    const calls = world.calls
      .flat()
      .flatMap(c => (c.kind === 'webhook' ? [`${c.hook.name}@${c.phase}`] : []));
    expect(calls).toEqual([
      'gate-rollout@Initialized',
      'rollback@Progressing',
      'pre@Progressing',
      'gate-traffic@Progressing',
      'rollback@Progressing',
      'load@Progressing',
      'gate-promotion@Progressing',
    ]);
    const post = world.notes.filter(n => n.type === 'runWebhooks');
    expect(post).toEqual([
      { type: 'runWebhooks', hookType: 'post-rollout', phase: 'Succeeded', hooks: [hooks[5]] },
    ]);
  });

  it('U20: a skip-analysis run goes from the start gate straight to the skipped promotion', () => {
    const world = fullRun(true);
    expect(world.phase).toBe('Succeeded');
    expect(timeline(world)).toEqual([
      'podinfo-primary.test not ready: waiting for the deployment to be created',
      'Initialization done! podinfo.test',
      'Confirm-rollout check gate-rollout passed',
      'New revision detected! Scaling up podinfo.test',
      'Copying podinfo.test template spec to podinfo-primary.test',
      'Post-rollout check post passed',
      'Promotion completed! Canary analysis was skipped for podinfo.test',
    ]);
    const calls = world.calls.flat().flatMap(c => (c.kind === 'webhook' ? [c.hook.name] : []));
    expect(calls).toEqual(['gate-rollout']);
  });
});
