import type { CanaryPhase, RolloutOutcome } from '@aviary/backstage-plugin-canary-common';
import { closingReason, rolloutOutcome } from './outcome';

// Every phase the controller can report, with the outcome of the rollout it means.
const TABLE: Array<[CanaryPhase | '', RolloutOutcome | undefined]> = [
  ['', undefined],
  ['Initializing', undefined],
  ['Initialized', undefined],
  ['Waiting', undefined],
  ['Progressing', 'Running'],
  ['WaitingPromotion', 'WaitingPromotion'],
  ['Promoting', 'Running'],
  ['Finalising', 'Running'],
  ['Succeeded', 'Succeeded'],
  ['Failed', 'Failed'],
  ['Terminating', undefined],
  ['Terminated', undefined],
];

describe('rolloutOutcome', () => {
  it.each(TABLE)('maps phase %p to %p', (phase, outcome) => {
    expect(rolloutOutcome(phase)).toBe(outcome);
  });

  it('covers every phase of the shared contract', () => {
    const phases: Record<CanaryPhase, true> = {
      Initializing: true,
      Initialized: true,
      Waiting: true,
      Progressing: true,
      WaitingPromotion: true,
      Promoting: true,
      Finalising: true,
      Succeeded: true,
      Failed: true,
      Terminating: true,
      Terminated: true,
    };
    expect(
      TABLE.map(([p]) => p)
        .filter(Boolean)
        .sort(),
    ).toEqual(Object.keys(phases).sort());
  });

  it('records nothing for a phase it does not know (a newer controller)', () => {
    expect(rolloutOutcome('Exploding' as CanaryPhase)).toBeUndefined();
  });
});

describe('closingReason', () => {
  it('closes on deletion and while terminating; otherwise not', () => {
    expect(closingReason('Progressing', true)).toBe('the canary was deleted');
    expect(closingReason('Terminating', false)).toBe('the canary is being deleted');
    expect(closingReason('Terminated', false)).toBe('the canary is being deleted');
    for (const [phase] of TABLE.filter(([p]) => p !== 'Terminating' && p !== 'Terminated')) {
      expect(closingReason(phase, false)).toBeUndefined();
    }
  });
});
