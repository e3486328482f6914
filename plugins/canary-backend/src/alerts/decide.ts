// Pure decisions of the alert path: which transitions deserve an alert, and whether one was
// already sent for this rollout and outcome.
import type { Rollout, RolloutOutcome } from '@aviary/backstage-plugin-canary-common';
import type { RolloutTransition } from '../ingest/types';

/** Outcomes people hear about: a rollback, a wait for approval, a promotion. */
export type AlertOutcome = Extract<RolloutOutcome, 'Failed' | 'WaitingPromotion' | 'Succeeded'>;

const ALERTED: readonly RolloutOutcome[] = ['Failed', 'WaitingPromotion', 'Succeeded'];

/**
 * A rollout first seen already finished (the backend's first sync, or a restart after a long
 * outage) is news only if it ended recently; otherwise a fresh install would alert once for every
 * canary ever promoted.
 */
export const LATE_ALERT_WINDOW_MS = 15 * 60_000;

/** The outcome to alert about, or undefined when the transition is not news. */
export function alertOutcomeOf(
  transition: RolloutTransition,
  now: Date = new Date(),
): AlertOutcome | undefined {
  const { outcome, endedAt } = transition.rollout;
  if (!ALERTED.includes(outcome)) return undefined;
  if (transition.previousOutcome === outcome) return undefined;
  if (transition.previousOutcome === undefined && outcome !== 'WaitingPromotion') {
    const ended = endedAt ? Date.parse(endedAt) : NaN;
    if (Number.isNaN(ended) || now.getTime() - ended > LATE_ALERT_WINDOW_MS) return undefined;
  }
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
