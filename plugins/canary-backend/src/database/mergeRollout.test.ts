import {
  createRolloutState,
  mergeRollout,
  type ObservedState,
  type RolloutState,
} from './mergeRollout';

const images = { canary: ['app:2'], primary: ['app:1'] };
const T = (s: number) => Date.UTC(2026, 10, 22, 10, 0, s);

function observed(overrides: Partial<ObservedState> = {}): ObservedState {
  return { images, observedAt: T(0), outcome: 'Running', weight: 0, failedChecks: 0, ...overrides };
}

function running(overrides: Partial<RolloutState> = {}): RolloutState {
  return {
    images,
    startedAt: T(0),
    outcome: 'Running',
    maxWeight: 25,
    failedChecks: 0,
    ...overrides,
  };
}

describe('createRolloutState', () => {
  it('starts a running rollout at its start time, without an end', () => {
    expect(createRolloutState(observed({ startedAt: T(0), observedAt: T(5), weight: 10 }))).toEqual(
      {
        images,
        startedAt: T(0),
        outcome: 'Running',
        maxWeight: 10,
        failedChecks: 0,
      },
    );
  });

  it('records a rollout first seen finished with its end at the observation', () => {
    const state = createRolloutState(observed({ outcome: 'Succeeded', observedAt: T(50) }));
    expect(state).toMatchObject({ startedAt: T(50), endedAt: T(50), outcome: 'Succeeded' });
  });

  it('never starts after the observation (a start time from the future is clamped)', () => {
    expect(createRolloutState(observed({ startedAt: T(9), observedAt: T(3) })).startedAt).toBe(
      T(3),
    );
  });
});

describe('mergeRollout', () => {
  it('ends a running rollout with the observed outcome and time', () => {
    const next = mergeRollout(
      running(),
      observed({ outcome: 'Succeeded', observedAt: T(50), reason: 'done' }),
    );
    expect(next).toMatchObject({ outcome: 'Succeeded', endedAt: T(50), reason: 'done' });
  });

  it("keeps the failed checks counted from the recorded measurements, not the controller's count", () => {
    // The controller resets its count to 0 when it rolls back.
    const next = mergeRollout(
      running({ failedChecks: 2 }),
      observed({ outcome: 'Failed', observedAt: T(50), failedChecks: 0 }),
    );
    expect(next).toMatchObject({ outcome: 'Failed', failedChecks: 2 });
    expect(createRolloutState(observed({ failedChecks: 3 })).failedChecks).toBe(0);
  });

  it('keeps the largest weight reached', () => {
    expect(mergeRollout(running({ maxWeight: 50 }), observed({ weight: 0 })).maxWeight).toBe(50);
    expect(mergeRollout(running({ maxWeight: 25 }), observed({ weight: 50 })).maxWeight).toBe(50);
  });

  it('keeps the first images seen; fills them when the first observation had none', () => {
    const later = { canary: ['app:2'], primary: ['app:2'] };
    expect(mergeRollout(running(), observed({ images: later })).images).toEqual(images);
    const empty = { canary: [], primary: [] };
    expect(mergeRollout(running({ images: empty }), observed()).images).toEqual(images);
  });

  it('moves the start earlier when a better start time arrives, never later', () => {
    expect(
      mergeRollout(running({ startedAt: T(5) }), observed({ startedAt: T(1) })).startedAt,
    ).toBe(T(1));
    expect(
      mergeRollout(running({ startedAt: T(1) }), observed({ startedAt: T(5) })).startedAt,
    ).toBe(T(1));
  });

  it('is idempotent: the same end observed twice keeps the first end time', () => {
    const ended = mergeRollout(running(), observed({ outcome: 'Failed', observedAt: T(40) }));
    expect(mergeRollout(ended, observed({ outcome: 'Failed', observedAt: T(45) }))).toEqual(ended);
  });

  it('ignores a replayed running observation older than the end (no reopening)', () => {
    const ended = running({ outcome: 'Succeeded', endedAt: T(50) });
    expect(
      mergeRollout(ended, observed({ outcome: 'Running', observedAt: T(30), weight: 25 })),
    ).toEqual(ended);
  });

  it('reopens a finished rollout on a newer running observation (retry, released again)', () => {
    const ended = running({ outcome: 'Failed', endedAt: T(50), reason: 'failed checks' });
    const next = mergeRollout(
      ended,
      observed({ outcome: 'Running', observedAt: T(60), reason: 'retry' }),
    );
    expect(next.outcome).toBe('Running');
    expect(next.endedAt).toBeUndefined();
    expect(next.reason).toBe('retry');
  });

  it('replaces Superseded by the real end whenever it arrives', () => {
    const superseded = running({ outcome: 'Superseded', endedAt: T(60) });
    const next = mergeRollout(superseded, observed({ outcome: 'Succeeded', observedAt: T(50) }));
    expect(next).toMatchObject({ outcome: 'Succeeded', endedAt: T(50) });
  });

  it('never lets Superseded replace a real end', () => {
    const succeeded = running({ outcome: 'Succeeded', endedAt: T(50) });
    expect(mergeRollout(succeeded, observed({ outcome: 'Superseded', observedAt: T(70) }))).toEqual(
      succeeded,
    );
  });

  it('lets a newer Succeeded replace Failed, not an older one', () => {
    const failed = running({ outcome: 'Failed', endedAt: T(50) });
    expect(
      mergeRollout(failed, observed({ outcome: 'Succeeded', observedAt: T(40) })).outcome,
    ).toBe('Failed');
    expect(
      mergeRollout(failed, observed({ outcome: 'Succeeded', observedAt: T(80) })).outcome,
    ).toBe('Succeeded');
  });

  it('goes from Running to WaitingPromotion and back', () => {
    const waiting = mergeRollout(
      running(),
      observed({ outcome: 'WaitingPromotion', observedAt: T(20) }),
    );
    expect(waiting).toMatchObject({ outcome: 'WaitingPromotion' });
    expect(waiting.endedAt).toBeUndefined();
    expect(mergeRollout(waiting, observed({ outcome: 'Running', observedAt: T(30) })).outcome).toBe(
      'Running',
    );
  });
});
