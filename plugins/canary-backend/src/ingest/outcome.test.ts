import type { CanaryPhase, RolloutOutcome } from '@aviary/backstage-plugin-canary-common';
import { closingReason, forgottenCanaries, forgottenReason, rolloutOutcome } from './outcome';

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

describe('forgottenCanaries', () => {
  const ref = (name: string, namespace = 'demo') => ({ cluster: 'prod', namespace, name });

  it('names each canary with an open rollout that the list no longer has, once', () => {
    const open = [
      { ...ref('podinfo'), revision: 'r1' },
      ref('abtest'),
      { ...ref('podinfo'), revision: 'r2' },
      ref('cart', 'shop'),
    ];
    expect(forgottenCanaries(open, [ref('cart', 'shop'), ref('other')])).toEqual([
      ref('podinfo'),
      ref('abtest'),
    ]);
  });

  it('tells namespaces apart and forgets nothing that is listed', () => {
    expect(forgottenCanaries([ref('podinfo', 'shop')], [ref('podinfo')])).toEqual([
      ref('podinfo', 'shop'),
    ]);
    expect(forgottenCanaries([ref('podinfo')], [ref('podinfo')])).toEqual([]);
    expect(forgottenCanaries([], [])).toEqual([]);
  });

  it('says which controller no longer has the canary', () => {
    expect(forgottenReason('prod')).toBe('the canary no longer exists on controller prod');
  });
});
