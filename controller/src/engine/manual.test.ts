// Manual actions (spec.manualAction → status.manualAction): every action in every phase, revision
// scoping, idempotence, crash safety and the paused clock.
import type { CanaryManualAction, CanaryPhase, CanaryStatus } from '../api/types.js';
import { canary, deadlineExceeded, MINUTE, routes } from './__fixtures__/builders.js';
import { initializedWorld, World } from './__fixtures__/world.js';
import { parseTime } from './time.js';
import type { Action, WriteStatus } from './types.js';

const JANE = 'jane@example.com';
let counter = 0;

function request(
  world: World,
  action: CanaryManualAction['action'],
  overrides: Partial<CanaryManualAction> = {},
): CanaryManualAction {
  counter += 1;
  const value: CanaryManualAction = {
    id: `req-${counter}`,
    action,
    revision: world.status.lastAppliedSpec ?? '',
    requestedBy: JANE,
    reason: 'looks good',
    requestedAt: '2026-03-02T10:00:00Z',
    ...overrides,
  };
  world.canary = { ...world.canary, spec: { ...world.canary.spec, manualAction: value } };
  return value;
}

const writes = (actions: Action[]) =>
  actions.filter((a): a is WriteStatus => a.type === 'writeStatus');
const copies = (world: World) => world.effects.filter(a => a.type === 'copyTargetToPrimary');

/** Initialized at rev-1, rev-2 released and two steps taken: Progressing at 20 %. */
function progressingWorld(analysis = {}): World {
  const world = initializedWorld({ canary: canary({ analysis }) });
  world.release('rev-2');
  world.tick();
  world.next();
  world.next();
  expect(world.phase).toBe('Progressing');
  expect(world.status.canaryWeight).toBe(20);
  world.forget();
  return world;
}

describe('manual promote', () => {
  it('jumps to Promoting, acknowledged in the same status write as the step', () => {
    const world = progressingWorld();
    const req = request(world, 'promote');
    world.now = world.now.plus({ seconds: 5 }); // not due: a manual action does not wait
    const { actions } = world.tick();
    expect(world.phase).toBe('Promoting');
    expect(copies(world)).toHaveLength(1);
    const [write] = writes(actions);
    expect(write?.status.phase).toBe('Promoting');
    expect(write?.status.manualAction).toEqual({
      id: req.id,
      action: 'promote',
      revision: 'rev-2',
      requestedBy: JANE,
      reason: 'looks good',
      outcome: 'Applied',
      message: expect.stringContaining('promoting revision rev-2'),
      acknowledgedAt: '2026-03-02T10:02:05Z',
    });
    expect(world.events()).toContain(`Manual promote requested by ${JANE}: looks good`);
    world.next();
    world.next();
    expect(world.phase).toBe('Succeeded');
    expect(world.status.lastPromotedSpec).toBe('rev-2');
    expect(world.routes).toEqual(routes(100, 0));
  });

  it('is still gated by the primary becoming ready', () => {
    const world = progressingWorld();
    world.instantRollouts = false;
    request(world, 'promote');
    world.tick();
    expect(world.phase).toBe('Promoting');
    world.next();
    world.next();
    expect(world.phase).toBe('Promoting');
    expect(world.routes).toEqual(routes(80, 20));
    expect(world.events().some(e => e.includes('not ready'))).toBe(true);
    world.ready('primary');
    world.next();
    expect(world.phase).toBe('Finalising');
  });

  it('works while WaitingPromotion (skips the closed confirm-promotion gate)', () => {
    const world = initializedWorld({
      canary: canary({
        analysis: {
          maxWeight: 20,
          webhooks: [{ name: 'gate', type: 'confirm-promotion', url: 'http://tester/gate' }],
        },
      }),
    });
    world.failHook('gate');
    world.release('rev-2');
    world.tick();
    for (let i = 0; i < 4; i++) world.next();
    expect(world.phase).toBe('WaitingPromotion');
    request(world, 'promote');
    world.tick();
    expect(world.phase).toBe('Promoting');
    expect(world.status.manualAction?.outcome).toBe('Applied');
  });
});

describe('manual abort', () => {
  it('rolls back now, with who and why in the events', () => {
    const world = progressingWorld();
    request(world, 'abort', { reason: 'latency is bad' });
    world.tick();
    expect(world.phase).toBe('Failed');
    expect(world.routes).toEqual(routes(100, 0));
    expect(world.target.specReplicas).toBe(0);
    expect(world.events()).toContain(
      `Rolling back podinfo.test: aborted by ${JANE}: latency is bad`,
    );
    expect(world.status.manualAction).toMatchObject({
      outcome: 'Applied',
      message: `rolled back revision rev-2: aborted by ${JANE}: latency is bad`,
    });
    expect(world.notes).toContainEqual(
      expect.objectContaining({ type: 'sendAlert', severity: 'warn' }),
    );
  });

  it('without a reason says only who', () => {
    const world = progressingWorld();
    request(world, 'abort', { reason: undefined });
    world.tick();
    expect(world.events()).toContain(`Rolling back podinfo.test: aborted by ${JANE}`);
    expect(world.status.manualAction).not.toHaveProperty('reason');
  });

  it('is refused once the promotion has started', () => {
    const world = progressingWorld();
    request(world, 'promote');
    world.tick();
    request(world, 'abort');
    world.tick();
    expect(world.phase).not.toBe('Failed');
    expect(world.status.manualAction).toMatchObject({
      action: 'abort',
      outcome: 'Refused',
      message: expect.stringContaining('too late to abort'),
    });
  });
});

describe('manual retry', () => {
  function failedWorld(): World {
    const world = progressingWorld();
    request(world, 'abort');
    world.tick();
    expect(world.phase).toBe('Failed');
    world.forget();
    return world;
  }

  it('analyses the Failed revision again without touching its spec', () => {
    const world = failedWorld();
    request(world, 'retry', { revision: 'rev-2' });
    world.next();
    expect(world.phase).toBe('Progressing');
    expect(world.status).toMatchObject({ canaryWeight: 0, failedChecks: 0, iterations: 0 });
    expect(world.status.lastAppliedSpec).toBe('rev-2');
    expect(world.target.specReplicas).toBe(1);
    expect(world.status.manualAction).toMatchObject({ outcome: 'Applied' });
    for (let i = 0; i < 9; i++) world.next();
    expect(world.phase).toBe('Succeeded');
    expect(world.status.lastPromotedSpec).toBe('rev-2');
  });

  it('is refused when the target has moved on (the new revision is analysed instead)', () => {
    const world = failedWorld();
    world.release('rev-3');
    request(world, 'retry', { revision: 'rev-2' });
    world.next();
    expect(world.status.manualAction).toMatchObject({
      outcome: 'Refused',
      message: expect.stringContaining('target now holds revision rev-3'),
    });
    expect(world.status.lastAppliedSpec).toBe('rev-3');
    expect(world.phase).toBe('Progressing');
  });

  it('is refused after a failed promotion (the primary already runs the revision)', () => {
    const world = progressingWorld();
    world.instantRollouts = false;
    request(world, 'promote');
    world.tick();
    const stuck = world.primary;
    if (stuck) world.primary = { ...stuck, ...deadlineExceeded({ specReplicas: 1 }) };
    world.next();
    expect(world.phase).toBe('Failed');
    expect(world.routes).toEqual(routes(0, 100));
    request(world, 'retry', { revision: 'rev-2' });
    world.next();
    expect(world.status.manualAction).toMatchObject({
      outcome: 'Refused',
      message: expect.stringContaining('the primary already runs revision rev-2'),
    });
    expect(world.routes).toEqual(routes(0, 100));
  });

  it('is refused for another revision', () => {
    const world = failedWorld();
    request(world, 'retry', { revision: 'rev-1' });
    world.next();
    expect(world.phase).toBe('Failed');
    expect(world.status.manualAction?.message).toBe(
      'request is for revision rev-1 but the canary last analysed rev-2',
    );
  });
});

describe('every action in every phase', () => {
  const phases: CanaryPhase[] = [
    'Initialized',
    'Waiting',
    'Progressing',
    'WaitingPromotion',
    'Promoting',
    'Finalising',
    'Succeeded',
    'Failed',
  ];
  const allowed: Record<CanaryManualAction['action'], CanaryPhase[]> = {
    promote: ['Progressing', 'WaitingPromotion'],
    abort: ['Progressing', 'WaitingPromotion'],
    retry: ['Failed'],
    pause: ['Progressing', 'WaitingPromotion'],
    resume: [], // only a paused canary can be resumed (see below)
  };
  const cases = Object.entries(allowed).flatMap(([action, ok]) =>
    phases.map(
      phase => [action as CanaryManualAction['action'], phase, ok.includes(phase)] as const,
    ),
  );

  it.each(cases)('%s while %s: applied = %s', (action, phase, applied) => {
    const world = initializedWorld();
    // The target holds rev-1 (as recorded), the primary runs rev-0.
    world.setStatus({ phase, lastAppliedSpec: 'rev-1', lastPromotedSpec: 'rev-0' });
    if (world.primary) world.primary = { ...world.primary, revision: 'key-of-rev-0' };
    request(world, action);
    world.next();
    expect(world.status.manualAction?.outcome).toBe(applied ? 'Applied' : 'Refused');
    if (!applied) {
      expect(world.events()).toContainEqual(
        expect.stringMatching(new RegExp(`^Manual ${action} requested by ${JANE} refused: `)),
      );
    }
  });

  it('refuses while initializing and while suspended', () => {
    const fresh = new World();
    request(fresh, 'promote', { revision: 'x' });
    fresh.tick();
    expect(fresh.status.manualAction).toMatchObject({
      outcome: 'Refused',
      message: expect.stringContaining('initializing'),
    });
    const suspended = progressingWorld();
    suspended.canary = {
      ...suspended.canary,
      spec: { ...suspended.canary.spec, suspend: true },
    };
    request(suspended, 'abort');
    suspended.tick();
    expect(suspended.phase).toBe('Progressing');
    expect(suspended.status.manualAction?.message).toBe('the canary is suspended (spec.suspend)');
  });
});

describe('revision scoping and idempotence', () => {
  it('refuses a request for an older revision and never applies it to the newer one', () => {
    const world = progressingWorld();
    const lastStep = world.status.lastTransitionTime;
    request(world, 'promote', { revision: 'rev-1' });
    world.now = world.now.plus({ seconds: 10 });
    const { actions } = world.tick();
    expect(world.status.manualAction).toMatchObject({
      outcome: 'Refused',
      message: 'request is for revision rev-1 but the canary is analysing rev-2',
    });
    // Only the acknowledgement was written: the step clock is untouched.
    expect(writes(actions)).toHaveLength(1);
    expect(world.status.lastTransitionTime).toBe(lastStep);
    for (let i = 0; i < 3; i++) world.next();
    expect(world.phase).toBe('Progressing');
    expect(copies(world)).toHaveLength(0);
    expect(world.events().filter(e => e.startsWith('Manual'))).toHaveLength(1);
  });

  it('refuses a request for a revision the target has already left', () => {
    const world = progressingWorld();
    world.release('rev-3');
    request(world, 'promote', { revision: 'rev-2' });
    world.next();
    expect(world.status.manualAction?.outcome).toBe('Refused');
    expect(copies(world)).toHaveLength(0);
    expect(world.status.lastAppliedSpec).toBe('rev-3');
  });

  it('handles each id once, also after a restart (the acknowledgement is in status)', () => {
    const world = progressingWorld();
    const req = request(world, 'pause');
    world.tick();
    const ack = world.status.manualAction;
    world.next();
    // A restarted controller only has the object: same input, same answer.
    const restarted = new World({
      canary: world.canary,
      target: world.target,
      ...(world.primary ? { primary: world.primary } : {}),
      ...(world.routes ? { routes: world.routes } : {}),
      now: world.now.plus({ minutes: 5 }),
    });
    const { actions } = restarted.tick();
    expect(writes(actions)).toHaveLength(0);
    expect(restarted.status.manualAction).toEqual(ack);
    expect(restarted.status.manualAction?.id).toBe(req.id);
    expect(world.events().filter(e => e.startsWith('Manual'))).toHaveLength(1);
  });

  it('a crash before the status write re-applies the request once', () => {
    const world = progressingWorld();
    request(world, 'promote');
    const decision = world.decide();
    const commit = decision.actions.findIndex(a => a.type === 'writeStatus');
    world.tick(commit); // effects applied, status not written
    expect(world.phase).toBe('Progressing');
    expect(world.status.manualAction).toBeUndefined();
    world.tick();
    expect(world.phase).toBe('Promoting');
    expect(world.status.manualAction?.outcome).toBe('Applied');
  });
});

describe('pause and resume', () => {
  it('freezes weight, iterations, failed checks and the deadline, then resumes the clock', () => {
    const world = progressingWorld({ threshold: 2 });
    const lastStep = world.status.lastTransitionTime;
    world.now = world.now.plus({ seconds: 30 }); // half an interval after the last step
    request(world, 'pause');
    world.tick();
    expect(world.status).toMatchObject({ paused: true, pausedAt: '2026-03-02T10:02:30Z' });
    expect(world.status.lastTransitionTime).toBe(lastStep);
    expect(world.status.manualAction?.message).toBe('paused at weight 20, iteration 0');

    // Ten minutes of failing metrics and a stuck canary change nothing.
    world.metric('request-success-rate', 0);
    const healthy = world.target;
    world.target = { ...world.target, ...deadlineExceeded({ specReplicas: 1 }) };
    for (let i = 0; i < 10; i++) world.next();
    expect(world.phase).toBe('Progressing');
    expect(world.status).toMatchObject({ canaryWeight: 20, failedChecks: 0, paused: true });
    expect(world.routes).toEqual(routes(80, 20));
    expect(world.status.lastTransitionTime).toBe(lastStep);

    // Resume at 10:12:30: 30 s of the interval were left, so the next step is at 10:13:00.
    world.target = healthy;
    world.metric('request-success-rate', 100);
    request(world, 'resume');
    world.tick();
    expect(world.status.paused).toBeUndefined();
    expect(world.status.pausedAt).toBeUndefined();
    expect(world.status.lastTransitionTime).toBe('2026-03-02T10:12:00Z');
    expect(world.last?.nextDueAt.toISO()).toBe(parseTime('2026-03-02T10:13:00Z')?.toISO());
    expect(world.status.manualAction?.message).toBe('resumed after 600s paused');
    world.next(29_000);
    expect(world.status.canaryWeight).toBe(20);
    world.next(1_000);
    expect(world.status.canaryWeight).toBe(30);
  });

  it('refuses a second pause and a resume of a running analysis', () => {
    const world = progressingWorld();
    request(world, 'resume');
    world.tick();
    expect(world.status.manualAction?.message).toBe('the canary is not paused');
    request(world, 'pause');
    world.tick();
    const frozen = world.status.lastTransitionTime;
    request(world, 'pause');
    world.next(5 * MINUTE);
    expect(world.status.manualAction).toMatchObject({
      outcome: 'Refused',
      message: 'the canary is already paused',
    });
    // The refusal is written without moving the paused clock.
    expect(world.status.lastTransitionTime).toBe(frozen);
    expect(world.status.paused).toBe(true);
  });

  it('a new revision ends the pause and restarts the analysis', () => {
    const world = progressingWorld();
    request(world, 'pause');
    world.tick();
    world.release('rev-3');
    world.next();
    expect(world.status.paused).toBeUndefined();
    expect(world.status).toMatchObject({ lastAppliedSpec: 'rev-3', canaryWeight: 0 });
  });

  it('promote and abort end a pause', () => {
    for (const action of ['promote', 'abort'] as const) {
      const world = progressingWorld();
      request(world, 'pause');
      world.tick();
      request(world, action);
      world.next(MINUTE);
      const status: CanaryStatus = world.status;
      expect(status.paused).toBeUndefined();
      expect(status.phase).toBe(action === 'promote' ? 'Promoting' : 'Failed');
    }
  });
});
