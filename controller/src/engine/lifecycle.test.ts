// Revisions over a canary's life (spec 2.3, 2.10, 2.11): detection, restarts, suspend, pacing.
import { canary, MINUTE, routes } from './__fixtures__/builders.js';
import { initializedWorld, World } from './__fixtures__/world.js';
import { revisionKey } from './revision.js';

/** Run a detected revision to a terminal phase with the given success rate. */
function runTo(world: World, successRate: number): void {
  world.metric('request-success-rate', successRate);
  for (let i = 0; i < 12 && !['Succeeded', 'Failed'].includes(world.phase); i++) world.next();
}

describe('new-revision detection', () => {
  it('a revision seen while Failed is never lost when the tick that sees it ends early (2.3 hazard)', () => {
    const world = initializedWorld({ canary: canary({ analysis: { threshold: 1 } }) });
    world.release('rev-2');
    world.tick();
    world.next();
    runTo(world, 10);
    expect(world.phase).toBe('Failed');
    const primary = world.primary;
    world.primary = { ...primary!, observedGeneration: 0 };
    world.release('rev-3');
    world.next();
    expect(world.phase).toBe('Failed');
    expect(world.status.lastAppliedSpec).toBe('rev-2');
    world.primary = primary;
    world.next();
    expect(world.status).toMatchObject({ phase: 'Progressing', lastAppliedSpec: 'rev-3' });
  });

  it('a target reverted to the promoted revision starts nothing, and re-applying the failed one retries it', () => {
    const world = initializedWorld({ canary: canary({ analysis: { threshold: 1 } }) });
    world.release('rev-2');
    world.tick();
    runTo(world, 10);
    expect(world.phase).toBe('Failed');
    world.release('rev-1');
    world.next();
    expect(world.status).toMatchObject({ phase: 'Failed', lastAppliedSpec: 'rev-1' });
    expect(world.target.specReplicas).toBe(0);
    world.release('rev-2');
    world.next();
    expect(world.status).toMatchObject({ phase: 'Progressing', lastAppliedSpec: 'rev-2' });
  });

  it('a config data change alone is a new revision', () => {
    const world = initializedWorld();
    world.release('rev-1', { 'configmap/podinfo-config': 'changed' });
    world.tick();
    expect(world.status).toMatchObject({
      phase: 'Progressing',
      trackedConfigs: { 'configmap/podinfo-config': 'changed' },
    });
  });

  it('a change during Promoting waits until Succeeded, then starts a new analysis', () => {
    const world = initializedWorld();
    world.release('rev-2');
    world.tick();
    for (let i = 0; i < 6; i++) world.next();
    expect(world.phase).toBe('Promoting');
    const promoted = world.primary?.revision;
    world.release('rev-3');
    world.next();
    expect(world.phase).toBe('Finalising');
    world.next();
    expect(world.status).toMatchObject({ phase: 'Succeeded', lastPromotedSpec: 'rev-2' });
    expect(world.primary?.revision).toBe(promoted);
    world.tick();
    expect(world.status).toMatchObject({ phase: 'Progressing', lastAppliedSpec: 'rev-3' });
  });

  it('Waiting starts the newest revision once the gate opens', () => {
    const world = initializedWorld({
      canary: canary({
        analysis: { webhooks: [{ name: 'gate', type: 'confirm-rollout', url: 'http://t' }] },
      }),
    });
    world.failHook('gate');
    world.release('rev-2');
    world.tick();
    world.release('rev-3');
    delete world.hookResults.gate;
    world.next();
    expect(world.status).toMatchObject({ phase: 'Progressing', lastAppliedSpec: 'rev-3' });
  });

  it('a target changed during initialization is analysed, not silently recorded as promoted', () => {
    const world = new World({ instantRollouts: false });
    world.tick();
    world.release('rev-2');
    world.ready('primary');
    world.tick();
    expect(world.status).toMatchObject({
      phase: 'Initialized',
      lastAppliedSpec: '',
      lastPromotedSpec: '',
    });
    world.ready('target');
    world.tick();
    expect(world.status).toMatchObject({ phase: 'Progressing', lastAppliedSpec: 'rev-2' });
  });

  it('reverting the target mid-analysis to what the primary runs finishes quickly without a copy', () => {
    const world = initializedWorld();
    world.release('rev-2');
    world.tick();
    world.next();
    world.next();
    world.release('rev-1');
    world.tick();
    expect(world.status).toMatchObject({
      phase: 'Progressing',
      lastAppliedSpec: 'rev-1',
      canaryWeight: 0,
    });
    world.tick();
    expect(world.phase).toBe('Promoting');
    world.next();
    world.next();
    expect(world.phase).toBe('Succeeded');
    expect(world.effects.filter(e => e.type === 'copyTargetToPrimary')).toEqual([]);
    expect(world.primary?.revision).toBe(revisionKey('rev-1', world.target.trackedConfigs));
  });
});

describe('pacing', () => {
  it('extra ticks inside an interval (watch events, restarts) take no step', () => {
    const world = initializedWorld();
    world.release('rev-2');
    world.tick();
    world.next();
    expect(world.status.canaryWeight).toBe(10);
    for (let s = 5; s < 60; s += 5) {
      world.now = world.now.plus({ seconds: 5 });
      const { actions } = world.tick();
      expect(actions.filter(a => a.type === 'writeStatus' || a.type === 'setRoutes')).toEqual([]);
    }
    expect(world.calls.flat().filter(c => c.kind === 'metric')).toHaveLength(0);
    world.now = world.now.plus({ seconds: 5 });
    world.tick();
    expect(world.status.canaryWeight).toBe(20);
  });

  it('nextDueAt is one interval after the last step, or one interval from now when overdue', () => {
    const world = initializedWorld({ instantRollouts: false });
    world.release('rev-2');
    expect(world.tick().nextDueAt.toISO()).toBe('2026-03-02T10:01:00.000Z');
    world.now = world.now.plus({ seconds: 20 });
    expect(world.tick().nextDueAt.toISO()).toBe('2026-03-02T10:01:00.000Z');
    world.now = world.now.plus({ minutes: 5 });
    const waitingForCanary = world.tick();
    expect(waitingForCanary.actions.some(a => a.type === 'writeStatus')).toBe(false);
    expect(waitingForCanary.nextDueAt.toISO()).toBe('2026-03-02T10:06:20.000Z');
  });

  it('analysed is true only on ticks that ran an analysis', () => {
    const world = initializedWorld();
    world.release('rev-2');
    expect(world.tick().analysed).toBe(false);
    expect(world.next().analysed).toBe(true);
    expect(world.tick().analysed).toBe(false);
  });
});

describe('suspend, skipAnalysis and invalid specs', () => {
  it('suspend freezes an analysis in flight: only the event, no actions; resuming continues from there', () => {
    const world = initializedWorld();
    world.release('rev-2');
    world.tick();
    world.next();
    world.canary.spec.suspend = true;
    world.routes = routes(100, 0);
    const { actions } = world.next(10 * MINUTE);
    expect(actions.filter(a => a.type !== 'recordMetric')).toEqual([
      {
        type: 'emitEvent',
        eventType: 'Normal',
        reason: 'Synced',
        message: 'skipping canary run as object is suspended',
      },
    ]);
    world.canary.spec.suspend = false;
    world.next();
    expect(world.routes).toEqual(routes(80, 20));
  });

  it('suspend also stops initialization', () => {
    const world = new World({ canary: canary({ spec: { suspend: true } }) });
    world.tick();
    expect(world.primary).toBeUndefined();
    expect(world.phase).toBe('');
  });

  it('a skipAnalysis canary without an analysis block is promoted without analysis', () => {
    const bare = canary({ spec: { skipAnalysis: true } });
    const world = initializedWorld({
      canary: { ...bare, spec: { ...bare.spec, analysis: undefined } },
    });
    world.release('rev-2');
    world.tick();
    world.next();
    expect(world.phase).toBe('Succeeded');
  });

  it('a spec that does not validate is reported and freezes the canary where it is', () => {
    const world = initializedWorld();
    world.release('rev-2');
    world.tick();
    world.next();
    world.canary.spec.analysis = { ...world.canary.spec.analysis, iterations: 3 };
    world.routes = routes(100, 0);
    const { actions } = world.next();
    expect(actions).toEqual([
      {
        type: 'emitEvent',
        eventType: 'Warning',
        reason: 'Synced',
        message: expect.stringMatching(/^invalid canary spec: spec.analysis/),
      },
    ]);
  });

  it('a target that cannot be read is reported and nothing else happens', () => {
    const world = initializedWorld();
    world.target = { ...world.target };
    const observation = world.observation.bind(world);
    world.observation = () => ({
      ...observation(),
      target: { error: 'deployment podinfo.test not found' },
    });
    const { actions } = world.tick();
    expect(actions.filter(a => a.type !== 'recordMetric')).toEqual([
      {
        type: 'emitEvent',
        eventType: 'Warning',
        reason: 'Synced',
        message: 'deployment podinfo.test not found',
      },
    ]);
  });
});

describe('after a failed promotion', () => {
  it('keeps all traffic on the canary on later ticks', () => {
    const world = initializedWorld();
    world.release('rev-2');
    world.tick();
    world.setStatus({ phase: 'Failed', canaryWeight: 100 });
    world.routes = routes(100, 0);
    world.tick();
    expect(world.routes).toEqual(routes(0, 100));
  });
});
