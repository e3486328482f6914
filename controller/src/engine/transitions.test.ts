// Every row of the phase state machine (spec 2.13), one test each, plus the Promoted condition.
import type { CanaryPhase } from '../api/types.js';
import { canary, deadlineExceeded, MINUTE, routes, T0, target } from './__fixtures__/builders.js';
import { initializedWorld, World } from './__fixtures__/world.js';

const gated = (type: 'confirm-rollout' | 'confirm-promotion' | 'rollback', name = 'gate') =>
  canary({ analysis: { webhooks: [{ name, type, url: 'http://tester/gate' }] } });

/** Initialized, new revision seen, first analysis step taken: Progressing at 10 %. */
function progressingWorld(options: Parameters<typeof initializedWorld>[0] = {}): World {
  const world = initializedWorld(options);
  world.release('rev-2');
  world.tick();
  world.next();
  world.forget();
  return world;
}

describe('phase transitions (2.13)', () => {
  it('(none) → Initializing while the primary is not ready yet, with an Unknown Promoted condition', () => {
    const world = new World({ instantRollouts: false });
    world.tick();
    expect(world.phase).toBe('Initializing');
    expect(world.status.conditions).toEqual([
      {
        type: 'Promoted',
        status: 'Unknown',
        reason: 'Initializing',
        message: 'New Deployment detected, starting initialization.',
        lastUpdateTime: '2026-03-02T10:00:00Z',
        lastTransitionTime: '2026-03-02T10:00:00Z',
      },
    ]);
  });

  it('Initializing → Initialized once the primary is ready: routes 100/0, target at zero, both hashes recorded', () => {
    const world = new World({ instantRollouts: false });
    world.tick();
    world.tick();
    expect(world.phase).toBe('Initializing');
    world.ready('primary');
    world.now = T0.plus({ seconds: 5 });
    const { actions } = world.tick();
    expect(world.phase).toBe('Initialized');
    expect(actions.slice(0, 6).map(a => a.type)).toEqual([
      'ensureServices',
      'ensurePrimary',
      'ensureApexService',
      'scaleTarget',
      'ensureRouting',
      'writeStatus',
    ]);
    expect(world.routes).toEqual(routes(100, 0));
    expect(world.status).toMatchObject({ lastAppliedSpec: 'rev-1', lastPromotedSpec: 'rev-1' });
    expect(world.status.conditions?.[0]).toMatchObject({
      status: 'True',
      reason: 'Initialized',
      message: 'Deployment initialization completed.',
      lastTransitionTime: '2026-03-02T10:00:05Z',
    });
  });

  it.each<CanaryPhase>(['Initialized', 'Succeeded', 'Failed'])(
    '%s → Waiting when confirm-rollout fails, alerting once',
    phase => {
      const world = initializedWorld({ canary: gated('confirm-rollout') });
      world.setStatus({ phase });
      world.failHook('gate');
      world.release('rev-2');
      world.tick();
      expect(world.phase).toBe('Waiting');
      expect(world.target.specReplicas).toBe(0);
      expect(world.events()).toEqual(['Halt podinfo.test advancement waiting for approval gate']);
      world.next();
      expect(world.phase).toBe('Waiting');
      const alerts = world.notes.filter(n => n.type === 'sendAlert');
      expect(alerts).toEqual([
        {
          type: 'sendAlert',
          severity: 'warn',
          message: 'Canary is waiting for approval.',
          fields: [],
        },
      ]);
    },
  );

  it.each<CanaryPhase>(['Initialized', 'Succeeded', 'Failed', 'Waiting'])(
    '%s → Progressing when confirm-rollout passes: target scaled up, counters reset',
    phase => {
      const world = initializedWorld({ canary: gated('confirm-rollout') });
      world.setStatus({ phase, failedChecks: 3, iterations: 2 });
      world.release('rev-2');
      world.next();
      expect(world.status).toMatchObject({
        phase: 'Progressing',
        canaryWeight: 0,
        failedChecks: 0,
        iterations: 0,
        lastAppliedSpec: 'rev-2',
      });
      expect(world.target.specReplicas).toBe(1);
      expect(world.calls.flat().map(c => (c.kind === 'webhook' ? c.phase : c.kind))).toEqual([
        phase,
      ]);
    },
  );

  it('Progressing → Progressing (reset) when the revision changes again', () => {
    const world = progressingWorld();
    world.release('rev-3');
    world.tick();
    expect(world.status).toMatchObject({
      phase: 'Progressing',
      canaryWeight: 0,
      lastAppliedSpec: 'rev-3',
    });
    expect(world.routes).toEqual(routes(100, 0));
  });

  it('Progressing → WaitingPromotion when confirm-promotion fails at max weight; the split is kept', () => {
    const world = progressingWorld({ canary: gated('confirm-promotion') });
    world.failHook('gate');
    for (let i = 0; i < 5; i++) world.next();
    expect(world.phase).toBe('WaitingPromotion');
    expect(world.status.canaryWeight).toBe(50);
    expect(world.routes).toEqual(routes(50, 50));
    expect(world.events()).toContain(
      'Halt podinfo.test advancement waiting for promotion approval gate',
    );
  });

  it.each<CanaryPhase>(['Progressing', 'WaitingPromotion'])(
    '%s → Promoting when max weight is reached and the gate passes',
    phase => {
      const world = progressingWorld({ canary: gated('confirm-promotion') });
      world.setStatus({ phase, canaryWeight: 50 });
      world.routes = routes(50, 50);
      const { actions } = world.next();
      expect(world.phase).toBe('Promoting');
      expect(actions.filter(a => a.type === 'copyTargetToPrimary')).toHaveLength(1);
      expect(world.routes).toEqual(routes(50, 50));
    },
  );

  it('Progressing → Succeeded directly with skipAnalysis once the canary is ready', () => {
    const world = initializedWorld({
      canary: canary({ spec: { skipAnalysis: true } }),
      instantRollouts: false,
    });
    world.release('rev-2');
    world.tick();
    world.next();
    expect(world.phase).toBe('Progressing');
    expect(world.events().at(-1)).toBe(
      'canary deployment podinfo.test not ready: observed deployment generation less than desired generation',
    );
    world.ready('target');
    world.next();
    expect(world.phase).toBe('Succeeded');
  });

  it.each<[CanaryPhase, string]>([
    ['Progressing', 'threshold'],
    ['WaitingPromotion', 'threshold'],
    ['Progressing', 'rollback hook'],
    ['WaitingPromotion', 'rollback hook'],
    ['Progressing', 'progress deadline'],
  ])('%s → Failed on %s', (phase, reason) => {
    const world = progressingWorld({ canary: gated('rollback', 'rb') });
    world.failHook('rb');
    world.setStatus({ phase });
    if (reason === 'threshold') world.setStatus({ failedChecks: 5 });
    if (reason === 'rollback hook') delete world.hookResults.rb;
    if (reason === 'progress deadline') world.target = target('rev-2', deadlineExceeded());
    world.next();
    expect(world.phase).toBe('Failed');
    expect(world.routes).toEqual(routes(100, 0));
    expect(world.target.specReplicas).toBe(0);
    expect(world.status).toMatchObject({ canaryWeight: 0, failedChecks: 0, iterations: 0 });
    expect(world.status.conditions?.[0]).toMatchObject({
      status: 'False',
      reason: 'Failed',
      message: 'Canary analysis failed, Deployment scaled to zero.',
    });
  });

  it('Promoting → Finalising once the primary is ready and traffic is back on it', () => {
    const world = progressingWorld();
    world.setStatus({ canaryWeight: 50 });
    world.next();
    expect(world.phase).toBe('Promoting');
    world.next();
    expect(world.phase).toBe('Finalising');
    expect(world.routes).toEqual(routes(100, 0));
    expect(world.events().at(-1)).toBe('Routing all traffic to primary');
  });

  it.each<CanaryPhase>(['Promoting', 'Finalising'])(
    '%s → Failed with traffic on the canary when the primary cannot become ready',
    phase => {
      const world = progressingWorld();
      world.setStatus({ phase, canaryWeight: phase === 'Promoting' ? 50 : 0 });
      world.primary = deadlineExceeded();
      world.next();
      expect(world.phase).toBe('Failed');
      expect(world.routes).toEqual(routes(0, 100));
      expect(world.target.specReplicas).toBe(1);
    },
  );

  it('Finalising → Succeeded: target scaled to zero, promoted hash recorded, Promoted=True', () => {
    const world = progressingWorld();
    world.setStatus({ canaryWeight: 50 });
    world.next();
    world.next();
    world.next();
    expect(world.phase).toBe('Succeeded');
    expect(world.target.specReplicas).toBe(0);
    expect(world.status.lastPromotedSpec).toBe('rev-2');
    expect(world.status.conditions?.[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
  });

  it('any phase → Terminating on deletion with revertOnDeletion, then the finalizer is released', () => {
    const world = progressingWorld({
      canary: canary({ spec: { revertOnDeletion: true } }),
      instantRollouts: false,
    });
    world.ready('target');
    world.canary = {
      ...world.canary,
      metadata: { ...world.canary.metadata, deletionTimestamp: T0.toISO() ?? '' },
    };
    world.primary = { ...world.primary!, specReplicas: 3 };
    world.next();
    expect(world.phase).toBe('Terminating');
    expect(world.target.specReplicas).toBe(3);
    world.ready('target');
    world.next();
    expect(world.canary.metadata.finalizers).toEqual([]);
    expect(world.events().slice(-2)).toEqual([
      'Terminating canary podinfo.test',
      'Terminated canary podinfo.test',
    ]);
  });

  it('keeps the condition lastTransitionTime when only the reason changes', () => {
    const world = progressingWorld();
    const progressingSince = world.status.conditions?.[0]?.lastTransitionTime;
    world.setStatus({ canaryWeight: 50 });
    world.now = world.now.plus({ milliseconds: 3 * MINUTE });
    world.tick();
    expect(world.status.conditions?.[0]).toMatchObject({
      reason: 'Promoting',
      status: 'Unknown',
      lastTransitionTime: progressingSince,
      lastUpdateTime: '2026-03-02T10:04:00Z',
    });
  });
});
