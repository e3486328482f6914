// Pure decisions of the alert path: which transitions deserve an alert, and whether one was
// already sent for this rollout and outcome.
import type { Rollout, RolloutOutcome } from '@aviary/backstage-plugin-canary-common';
import type { RolloutTransition } from '../ingest/types';

/** Outcomes people hear about: a rollback, a wait for approval, a promotion. */
export type AlertOutcome = Extract<RolloutOutcome, 'Failed' | 'WaitingPromotion' | 'Succeeded'>;

const ALERTED: readonly RolloutOutcome[] = ['Failed', 'WaitingPromotion', 'Succeeded'];

/** The outcome to alert about, or undefined when the transition is not news. */
export function alertOutcomeOf(transition: RolloutTransition): AlertOutcome | undefined {
  const { outcome } = transition.rollout;
  if (!ALERTED.includes(outcome)) return undefined;
  if (transition.previousOutcome === outcome) return undefined;
  return outcome as AlertOutcome;
}

/** Remembers which (rollout, outcome) pairs were alerted; bounded, oldest forgotten first. */
export class AlertDedup {
  private readonly seen = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  /** True the first time a pair is offered. */
  first(rollout: Pick<Rollout, 'id'>, outcome: AlertOutcome): boolean {
    const key = `${rollout.id}\u0000${outcome}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (this.seen.size > this.capacity) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }
}
