// The tick protocol (tick.ts): measure rounds, ordering of actions, purity.
import type { Canary } from '../api/types.js';
import { canary, engineSpec, primary, routes, T0, target } from './__fixtures__/builders.js';
import { initializedWorld, World } from './__fixtures__/world.js';
import { expectedRoutes } from './routes.js';
import { decideTick } from './tick.js';
import type { Action, CheckResults, TickDecision, TickInput } from './types.js';

const ok = { kind: 'webhook', ok: true } as const;
const value = (v: number) => ({ kind: 'metric', outcome: 'value', value: v }) as const;

/** Progressing at 10 % with a rollback hook, a rollout hook and a traffic gate; analysis due. */
function input(): TickInput {
  return {
    canary: canary({
      analysis: {
        webhooks: [
          { name: 'rb', type: 'rollback', url: 'http://t/rb' },
          { name: 'load', type: 'rollout', url: 'http://t/load' },
          { name: 'more', type: 'confirm-traffic-increase', url: 'http://t/more' },
        ],
      },
      status: {
        phase: 'Progressing',
        canaryWeight: 10,
        iterations: 0,
        failedChecks: 0,
        lastAppliedSpec: 'rev-2',
        lastPromotedSpec: 'rev-1',
        trackedConfigs: { 'configmap/podinfo-config': 'aaaa' },
        lastTransitionTime: '2026-03-02T09:59:00Z',
      },
    }),
    observation: { target: target('rev-2'), primary: primary(), routes: routes(90, 10) },
    now: T0,
  };
}

const ids = (decision: TickDecision) =>
  decision.kind === 'measure' ? decision.round.checks.map(c => c.id) : 'act';

describe('measure rounds', () => {
  it('asks for each round in tick order, and only for the results still missing', () => {
    const results: Record<string, CheckResults[string]> = {};
    const first = decideTick(input(), results);
    expect(first).toMatchObject({
      kind: 'measure',
      round: { stage: 'rollback', stopAt: 'first-success' },
    });
    expect(ids(first)).toEqual(['webhook/0']);
    results['webhook/0'] = { kind: 'webhook', ok: false, error: 'no' };
    const second = decideTick(input(), results);
    expect(second).toMatchObject({
      kind: 'measure',
      round: { stage: 'analysis', stopAt: 'first-failure' },
    });
    expect(ids(second)).toEqual(['webhook/1', 'metric/0', 'metric/1']);
    results['webhook/1'] = ok;
    results['metric/0'] = value(100);
    expect(ids(decideTick(input(), results))).toEqual(['metric/1']);
    results['metric/1'] = value(120);
    const gate = decideTick(input(), results);
    expect(gate).toMatchObject({ kind: 'measure', round: { stage: 'confirm-traffic-increase' } });
    results['webhook/2'] = ok;
    const done = decideTick(input(), results);
    expect(done.kind).toBe('act');
    expect(done.kind === 'act' && done.actions).toContainEqual({
      type: 'setRoutes',
      routes: routes(80, 20),
    });
  });

  it('needs nothing after a failed webhook in a first-failure round', () => {
    const results = {
      'webhook/0': { kind: 'webhook', ok: false, error: 'no' },
      'webhook/1': { kind: 'webhook', ok: false, error: 'down' },
    } as const;
    const decision = decideTick(input(), results);
    expect(decision.kind).toBe('act');
    expect(decision.kind === 'act' && decision.actions).toContainEqual({
      type: 'emitEvent',
      eventType: 'Warning',
      reason: 'Synced',
      message: 'Halt podinfo.test advancement external check load failed down',
    });
  });

  it('tells each hook which revision it is about: the pending one for confirm-rollout', () => {
    const world = initializedWorld({
      canary: canary({
        analysis: {
          webhooks: [
            { name: 'gate', type: 'confirm-rollout', url: 'http://t/gate' },
            { name: 'pre', type: 'pre-rollout', url: 'http://t/pre' },
          ],
        },
      }),
    });
    world.release('rev-2', { 'configmap/podinfo-config': 'bbbb' });
    world.tick();
    world.next();
    const revisions = world.calls.flat().map(c => (c.kind === 'webhook' ? c.revision : undefined));
    const rev2 = {
      lastAppliedSpec: 'rev-2',
      trackedConfigs: { 'configmap/podinfo-config': 'bbbb' },
    };
    expect(revisions).toEqual([rev2, rev2]);
    expect(world.calls[0]?.[0]).toMatchObject({ phase: 'Initialized' });
  });

  it('asks nothing when the tick needs no checks', () => {
    const world = initializedWorld();
    expect(
      decideTick({ canary: world.canary, observation: world.observation(), now: T0 }).kind,
    ).toBe('act');
  });

  it('is pure: the same input gives the same decision and is not modified', () => {
    const frozen = deepFreeze(input());
    const results = { 'webhook/0': { kind: 'webhook', ok: false, error: 'no' } } as const;
    expect(decideTick(frozen, results)).toEqual(decideTick(input(), results));
  });
});

describe('actions', () => {
  const decisions: Array<{ decision: Extract<TickDecision, { kind: 'act' }>; before: Canary }> = [];
  const record = (world: World, steps: number, mutate?: (w: World, i: number) => void) => {
    for (let i = 0; i < steps; i++) {
      mutate?.(world, i);
      const before = world.canary;
      world.now = world.now.plus({ minutes: 1 });
      decisions.push({ decision: world.tick(), before });
    }
  };
  beforeAll(() => {
    const ok = new World();
    ok.tick();
    ok.release('rev-2');
    record(ok, 12);
    const failing = initializedWorld({
      canary: canary({ analysis: { threshold: 2, stepWeightPromotion: 20 } }),
    });
    failing.release('rev-2');
    record(failing, 10, (w, i) => (i === 4 ? w.metric('request-success-rate', 10) : undefined));
  });

  const kind = (a: Action) =>
    a.type === 'writeStatus'
      ? 1
      : ['emitEvent', 'sendAlert', 'runWebhooks', 'recordMetric'].includes(a.type)
        ? 2
        : 0;

  it('come as effects, then at most one writeStatus, then notifications', () => {
    for (const { decision } of decisions) {
      const kinds = decision.actions.map(kind);
      expect(kinds).toEqual([...kinds].sort());
      expect(kinds.filter(k => k === 1).length).toBeLessThanOrEqual(1);
    }
  });

  it('write status with the resourceVersion read and the tick time', () => {
    for (const { decision, before } of decisions) {
      const write = decision.actions.find(a => a.type === 'writeStatus');
      if (write?.type !== 'writeStatus') continue;
      expect(write.resourceVersion).toBe(before.metadata.resourceVersion);
      expect(write.status.lastTransitionTime).toMatch(/^2026-03-02T\d\d:\d\d:00Z$/);
    }
  });

  it('set routes only to the split the written status implies', () => {
    for (const { decision, before } of decisions) {
      const write = decision.actions.find(a => a.type === 'writeStatus');
      const status = write?.type === 'writeStatus' ? write.status : before.status;
      const spec = engineSpec(before);
      for (const set of decision.actions.filter(a => a.type === 'setRoutes')) {
        if (set.type === 'setRoutes')
          expect(set.routes).toEqual(expectedRoutes(spec, status ?? {}));
      }
    }
  });
});

describe('session affinity', () => {
  it('gives the canary a stable cookie while it has traffic and retires it afterwards', () => {
    const world = initializedWorld({
      canary: canary({
        analysis: { sessionAffinity: { cookieName: 'canary', primaryCookieName: 'primary' } },
      }),
    });
    world.release('rev-2');
    world.tick();
    const { actions } = world.next();
    const set = actions.find(a => a.type === 'setRoutes');
    expect(set).toEqual({
      type: 'setRoutes',
      routes: routes(90, 10),
      cookies: {
        sessionAffinityCookie: world.status.sessionAffinityCookie,
        primarySessionAffinityCookie: world.status.primarySessionAffinityCookie,
      },
    });
    expect(world.status.sessionAffinityCookie).toMatch(/^canary=[a-zA-Z]{10}$/);
    const cookie = world.status.sessionAffinityCookie;
    world.next();
    expect(world.status.sessionAffinityCookie).toBe(cookie);
    for (let i = 0; i < 6; i++) world.next();
    expect(world.phase).toBe('Succeeded');
    expect(world.status).toMatchObject({ previousSessionAffinityCookie: cookie });
    expect(world.status.sessionAffinityCookie).toBeUndefined();
  });
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
