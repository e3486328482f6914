// Flagger's unit scenarios (spec 6.1) that apply to a Deployment on Istio, replayed against the
// pure engine in a toy cluster. U13/U14 (service ports), U21 (webhook client), U22 (validation)
// and U24 (DaemonSets) belong to other modules. U15-U23 continue in scenarios-continued.test.ts.
import { canary, deadlineExceeded, routes } from './__fixtures__/builders.js';
import { initializedWorld, World } from './__fixtures__/world.js';
import type { Action, MetricRecord } from './types.js';

const of = <T extends Action['type']>(actions: Action[], type: T) =>
  actions.filter((a): a is Extract<Action, { type: T }> => a.type === type);
const records = (world: World): MetricRecord[] =>
  world.notes.flatMap(n => (n.type === 'recordMetric' ? [n.record] : []));
const trail = (world: World) => `${world.phase}(${world.status.canaryWeight ?? 0})`;

/** Detect the new revision, then tick once per interval `ticks` times, recording phase(weight). */
function run(world: World, ticks: number): string[] {
  world.release('rev-2');
  world.tick();
  const seen = [trail(world)];
  for (let i = 0; i < ticks; i++) {
    world.next();
    seen.push(trail(world));
  }
  return seen;
}

describe('Flagger unit scenarios (6.1)', () => {
  it('U1: creates the primary Deployment on the first tick', () => {
    const world = new World();
    const { actions } = world.tick();
    expect(of(actions, 'ensurePrimary')).toEqual([
      { type: 'ensurePrimary', revision: expect.any(String) },
    ]);
    expect(world.primary).toBeDefined();
    expect(world.phase).toBe('Initializing');
  });

  it('U2: scales the target from 0 to 1 when a new revision is detected', () => {
    const world = initializedWorld();
    expect(world.target.specReplicas).toBe(0);
    world.release('rev-2');
    const { actions } = world.tick();
    expect(of(actions, 'scaleTarget')).toEqual([{ type: 'scaleTarget', replicas: 1 }]);
    expect(world.target.specReplicas).toBe(1);
    expect(world.phase).toBe('Progressing');
  });

  it('U3: rolls back when failed checks reach the threshold: Failed, 100/0, status gauge 2, one failure', () => {
    const world = initializedWorld({ canary: canary({ analysis: { threshold: 10 } }) });
    world.release('rev-2');
    world.tick();
    // Flagger needs 2 ticks here; Aviary rolls back on the first (see failCheck in failure.ts).
    world.setStatus({ failedChecks: 10 });
    world.metric('request-success-rate', 0);
    world.next();
    expect(world.phase).toBe('Failed');
    expect(world.routes).toEqual(routes(100, 0));
    expect(world.target.specReplicas).toBe(0);
    expect(records(world)).toContainEqual({ metric: 'status', value: 2 });
    expect(records(world).filter(r => r.metric === 'failures')).toEqual([
      { metric: 'failures', strategy: 'canary', analysisStatus: 'completed' },
    ]);
  });

  it('U4: a primary that fails for good while Promoting sends all traffic to the canary and keeps it running', () => {
    const world = initializedWorld();
    world.release('rev-2');
    world.tick();
    world.canary = {
      ...world.canary,
      status: { ...world.status, phase: 'Promoting', canaryWeight: 50 },
    };
    world.routes = routes(50, 50);
    world.primary = { ...deadlineExceeded(), revision: world.primary?.revision ?? '' };
    const { actions } = world.next();
    expect(of(actions, 'scaleTarget')).toEqual([]);
    expect(world.target.specReplicas).toBe(1);
    expect(world.routes).toEqual(routes(0, 100));
    expect(world.phase).toBe('Failed');
    expect(world.status.canaryWeight).toBe(100);
    expect(world.events()).toContain(
      'Promotion of podinfo.test failed, primary not ready: deployment "podinfo-primary" exceeded its progress deadline',
    );
  });

  it('U5: a primary that fails for good while Finalising moves traffic back to the canary', () => {
    const world = initializedWorld();
    world.release('rev-2');
    world.tick();
    world.canary = {
      ...world.canary,
      status: { ...world.status, phase: 'Finalising', canaryWeight: 0 },
    };
    world.primary = deadlineExceeded();
    const { actions } = world.next();
    expect(of(actions, 'scaleTarget')).toEqual([]);
    expect(world.routes).toEqual(routes(0, 100));
    expect(world.phase).toBe('Failed');
    expect(world.status.canaryWeight).toBe(100);
  });

  it('U6: skipAnalysis promotes a ready canary straight to Succeeded and counts a skipped success', () => {
    const world = initializedWorld({ canary: canary({ spec: { skipAnalysis: true } }) });
    world.release('rev-2');
    world.tick();
    expect(world.phase).toBe('Progressing');
    const { actions } = world.next();
    expect(world.phase).toBe('Succeeded');
    expect(of(actions, 'copyTargetToPrimary')).toHaveLength(1);
    expect(world.target.specReplicas).toBe(0);
    expect(records(world)).toContainEqual({
      metric: 'successes',
      strategy: 'canary',
      analysisStatus: 'skipped',
    });
    expect(world.events()).toContain(
      'Promotion completed! Canary analysis was skipped for podinfo.test',
    );
  });

  it('U7: stepWeight 100 with stepWeightPromotion 50 walks Progressing → Promoting → Finalising → Succeeded', () => {
    const world = initializedWorld({
      canary: canary({ analysis: { stepWeight: 100, maxWeight: 100, stepWeightPromotion: 50 } }),
    });
    expect(run(world, 5)).toEqual([
      'Progressing(0)',
      'Progressing(100)',
      'Promoting(100)',
      'Promoting(50)',
      'Finalising(0)',
      'Succeeded(0)',
    ]);
  });

  it('U8: Blue/Green with one iteration walks Progressing ×3 → Promoting → Finalising → Succeeded', () => {
    const world = initializedWorld({
      canary: canary({ analysis: { stepWeight: undefined, maxWeight: undefined, iterations: 1 } }),
    });
    expect(run(world, 5).map(s => s.replace(/\(.*\)/, ''))).toEqual([
      'Progressing',
      'Progressing',
      'Progressing',
      'Promoting',
      'Finalising',
      'Succeeded',
    ]);
  });

  it('U9: a pod spec change at 90/10 sends all traffic to the primary and resets the analysis', () => {
    const world = initializedWorld();
    world.release('rev-2');
    world.tick();
    world.next();
    expect(world.routes).toEqual(routes(90, 10));
    world.setStatus({ failedChecks: 2 });
    world.release('rev-3');
    const { actions } = world.tick();
    expect(of(actions, 'setRoutes')).toEqual([{ type: 'setRoutes', routes: routes(100, 0) }]);
    expect(world.status).toMatchObject({
      phase: 'Progressing',
      canaryWeight: 0,
      failedChecks: 0,
      iterations: 0,
      lastAppliedSpec: 'rev-3',
    });
    expect(world.events()).toContain('New revision detected! Restarting analysis for podinfo.test');
  });

  it('U10: a config change restarts the analysis; a hand-edited 60/40 split is put back and the new configs are promoted', () => {
    const world = initializedWorld();
    world.release('rev-2');
    world.tick();
    world.next();
    world.next();
    expect(world.status.canaryWeight).toBe(20);
    world.release('rev-2', { 'configmap/podinfo-config': 'bbbb', 'secret/podinfo-secret': 'cccc' });
    world.tick();
    expect(world.status).toMatchObject({
      phase: 'Progressing',
      canaryWeight: 0,
      trackedConfigs: { 'configmap/podinfo-config': 'bbbb', 'secret/podinfo-secret': 'cccc' },
    });
    // Flagger takes the VirtualService as the truth and would continue from 40 %; Aviary's
    // truth is status (weight 0 after the restart), so the hand edit is put back.
    world.routes = routes(60, 40);
    const { actions } = world.tick();
    expect(of(actions, 'setRoutes')).toEqual([{ type: 'setRoutes', routes: routes(100, 0) }]);
    const phases = [];
    for (let i = 0; i < 9; i++) {
      world.next();
      phases.push(trail(world));
    }
    expect(phases).toEqual([
      'Progressing(10)',
      'Progressing(20)',
      'Progressing(30)',
      'Progressing(40)',
      'Progressing(50)',
      'Promoting(50)',
      'Finalising(0)',
      'Succeeded(0)',
      'Succeeded(0)',
    ]);
    const copies = world.effects.filter(e => e.type === 'copyTargetToPrimary');
    expect(copies).toHaveLength(1);
    expect(world.primary?.revision).toBe(
      copies[0]?.type === 'copyTargetToPrimary' ? copies[0].revision : '',
    );
    expect(world.status.lastPromotedSpec).toBe('rev-2');
  });

  it('U11: mirroring keeps 100/0 with the mirror on for one step, then shifts 90/10 without it', () => {
    const world = initializedWorld({ canary: canary({ analysis: { mirror: true } }) });
    world.release('rev-2');
    world.tick();
    world.next();
    expect(world.routes).toEqual(routes(100, 0, true));
    expect(world.events()).toContain('Advance podinfo.test canary weight 0');
    world.next();
    expect(world.routes).toEqual(routes(90, 10, false));
  });

  it('U12: A/B testing routes matching traffic to the canary, then promotes after the last iteration', () => {
    const world = initializedWorld({
      canary: canary({
        analysis: {
          stepWeight: undefined,
          maxWeight: undefined,
          iterations: 10,
          match: [{ headers: { 'x-user-type': { exact: 'test' } } }],
        },
      }),
    });
    world.release('rev-2');
    world.tick();
    world.next();
    expect(world.routes).toEqual(routes(0, 100));
    expect(world.events()).toContain('Advance podinfo.test canary iteration 1/10');
    world.setStatus({ iterations: 10 });
    world.next();
    expect(world.phase).toBe('Promoting');
    world.next();
    expect(world.phase).toBe('Finalising');
    expect(world.routes).toEqual(routes(100, 0));
    expect(world.primary?.revision).not.toBe(initializedWorld().primary?.revision);
    world.next();
    expect(world.phase).toBe('Succeeded');
  });
});
