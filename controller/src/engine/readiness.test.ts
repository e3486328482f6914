// Readiness and the progress deadline (spec 2.4), as a function and inside ticks.
import {
  canary,
  deadlineExceeded,
  deployment,
  MINUTE,
  routes,
  T0,
  target,
} from './__fixtures__/builders.js';
import { initializedWorld, World } from './__fixtures__/world.js';
import { checkReadiness } from './readiness.js';

const options = { name: 'podinfo', threshold: 100, progressDeadlineSeconds: 600, now: T0 };
const unavailableSince = (iso: string) => [
  {
    type: 'Available',
    status: 'False' as const,
    reason: 'MinimumReplicasUnavailable',
    lastTransitionTime: iso,
  },
  { type: 'Progressing', status: 'True' as const, reason: 'ReplicaSetUpdated' },
];

describe('checkReadiness', () => {
  it.each([
    ['a rolled-out deployment', deployment({ specReplicas: 3 }), { ready: true }],
    [
      'a generation not yet observed (retriable)',
      deployment({ generation: 2, observedGeneration: 1 }),
      {
        ready: false,
        retriable: true,
        detail: 'observed deployment generation less than desired generation',
      },
    ],
    [
      'ProgressDeadlineExceeded (not retriable)',
      deadlineExceeded(),
      {
        ready: false,
        retriable: false,
        detail: 'deployment "podinfo" exceeded its progress deadline',
      },
    ],
    [
      'replicas not updated yet',
      deployment({ specReplicas: 3, updatedReplicas: 1 }),
      {
        ready: false,
        retriable: true,
        detail: 'waiting for rollout to finish: 1 out of 3 new replicas have been updated',
      },
    ],
    [
      'old replicas still terminating',
      deployment({ specReplicas: 2, replicas: 3 }),
      {
        ready: false,
        retriable: true,
        detail: 'waiting for rollout to finish: 1 old replicas are pending termination',
      },
    ],
    [
      'too few updated replicas available',
      deployment({ specReplicas: 4, availableReplicas: 3 }),
      {
        ready: false,
        retriable: true,
        detail:
          'waiting for rollout to finish: 3 of 4 (readyThreshold 100%) updated replicas are available',
      },
    ],
  ])('%s', (_, workload, expected) => {
    expect(checkReadiness(workload, options)).toEqual(expected);
  });

  it('counts available replicas against the ready threshold, rounding the requirement down', () => {
    const workload = deployment({ specReplicas: 4, availableReplicas: 2 });
    expect(checkReadiness(workload, { ...options, threshold: 50 })).toEqual({ ready: true });
    expect(checkReadiness(workload, { ...options, threshold: 75 }).ready).toBe(false);
  });

  it('is not retriable once unavailable for longer than the deadline', () => {
    const stuck = deployment({
      specReplicas: 1,
      availableReplicas: 0,
      conditions: unavailableSince('2026-03-02T09:49:00Z'),
    });
    expect(checkReadiness(stuck, options)).toMatchObject({ ready: false, retriable: false });
    const recent = deployment({
      specReplicas: 1,
      availableReplicas: 0,
      conditions: unavailableSince('2026-03-02T09:51:00Z'),
    });
    expect(checkReadiness(recent, options)).toMatchObject({ ready: false, retriable: true });
  });

  it('counts the deadline from the later of the outage and the last step', () => {
    const stuck = deployment({
      specReplicas: 1,
      availableReplicas: 0,
      conditions: unavailableSince('2026-03-02T09:00:00Z'),
    });
    const since = T0.minus({ minutes: 5 });
    expect(checkReadiness(stuck, { ...options, since })).toMatchObject({
      ready: false,
      retriable: true,
    });
  });

  it('a missing deployment is waited for; a scaled-to-zero one only when replicas are required', () => {
    expect(checkReadiness(undefined, options)).toMatchObject({ ready: false, retriable: true });
    const zero = deployment({ specReplicas: 0 });
    expect(checkReadiness(zero, options)).toEqual({ ready: true });
    expect(checkReadiness(zero, { ...options, requireReplicas: true })).toEqual({
      ready: false,
      retriable: true,
      detail: 'deployment is scaled to zero',
    });
  });
});

describe('readiness inside ticks', () => {
  it('a canary that is not ready yet holds the analysis and warns once per interval', () => {
    const world = initializedWorld({ instantRollouts: false });
    world.release('rev-2');
    world.tick();
    world.now = world.now.plus({ seconds: 20 });
    world.tick();
    expect(world.events()).toEqual(['New revision detected! Scaling up podinfo.test']);
    world.next();
    expect(world.events().at(-1)).toBe(
      'canary deployment podinfo.test not ready: observed deployment generation less than desired generation',
    );
    expect(world.status.canaryWeight).toBe(0);
    world.ready('target');
    world.tick();
    expect(world.status.canaryWeight).toBe(10);
  });

  it('a canary stuck unavailable past the deadline rolls back and alerts (Flagger never did, #1663)', () => {
    const world = initializedWorld();
    world.release('rev-2');
    world.tick();
    world.target = target('rev-2', {
      availableReplicas: 0,
      conditions: unavailableSince('2026-03-02T10:00:00Z'),
    });
    world.next(11 * MINUTE);
    expect(world.phase).toBe('Failed');
    expect(world.events()).toContain(
      'Rolling back podinfo.test progress deadline exceeded canary deployment podinfo.test not ready: waiting for rollout to finish: 0 of 1 (readyThreshold 100%) updated replicas are available',
    );
    expect(world.notes).toContainEqual({
      type: 'sendAlert',
      severity: 'error',
      message: 'Progress deadline exceeded',
      fields: [],
    });
  });

  it('skipAnalysis with a canary that never becomes ready fails and leaves the primary alone (E8)', () => {
    const world = initializedWorld({ canary: canary({ spec: { skipAnalysis: true } }) });
    const primaryBefore = world.primary;
    world.release('rev-2');
    world.tick();
    world.target = target('rev-2', deadlineExceeded());
    world.next();
    expect(world.phase).toBe('Failed');
    expect(world.primary).toEqual(primaryBefore);
    expect(world.effects.filter(e => e.type === 'copyTargetToPrimary')).toEqual([]);
  });

  it('a primary that never finishes the promotion rollout fails the promotion at the deadline', () => {
    const world = initializedWorld({ instantRollouts: false });
    world.release('rev-2');
    world.tick();
    world.ready('target');
    for (let i = 0; i < 6; i++) world.next();
    expect(world.phase).toBe('Promoting');
    world.primary = {
      ...world.primary!,
      availableReplicas: 0,
      observedGeneration: world.primary!.generation,
      conditions: unavailableSince(world.now.toISO() ?? ''),
    };
    world.next();
    expect(world.phase).toBe('Promoting');
    expect(world.events().at(-1)).toMatch(
      /^podinfo-primary.test not ready: waiting for rollout to finish/,
    );
    world.next(10 * MINUTE);
    expect(world.phase).toBe('Failed');
    expect(world.routes).toEqual(routes(0, 100));
  });

  it('initialization never rolls back: the target keeps serving while the primary cannot start', () => {
    const world = new World();
    world.tick();
    world.primary = deadlineExceeded();
    world.tick();
    world.next(30 * MINUTE);
    expect(world.phase).toBe('Initializing');
    expect(world.effects.filter(e => e.type === 'scaleTarget' || e.type === 'setRoutes')).toEqual(
      [],
    );
    expect(world.events().at(-1)).toBe(
      'podinfo-primary.test not ready: deployment "podinfo-primary" exceeded its progress deadline',
    );
  });

  it('a broken primary delays the start of an analysis instead of rolling back', () => {
    const world = initializedWorld();
    world.primary = { ...deadlineExceeded(), revision: world.primary?.revision ?? '' };
    world.release('rev-2');
    world.tick();
    expect(world.phase).toBe('Initialized');
    expect(world.effects.filter(e => e.type === 'scaleTarget')).toEqual([]);
    world.primary = { ...deployment(), revision: world.primary.revision ?? '' };
    world.tick();
    expect(world.phase).toBe('Progressing');
  });
});
