// How an observation changes a stored rollout: a pure decision, so the edge cases (stale
// observations, retries, a superseded rollout that in fact finished) are tested without a
// database. Times are epoch milliseconds.
import type { RolloutOutcome } from '@aviary/backstage-plugin-canary-common';
import type { RolloutImages } from './conversions';

export interface RolloutState {
  images: RolloutImages;
  startedAt: number;
  endedAt?: number;
  outcome: RolloutOutcome;
  reason?: string;
  maxWeight: number;
  failedChecks: number;
}

export interface ObservedState {
  images: RolloutImages;
  observedAt: number;
  startedAt?: number;
  outcome: RolloutOutcome;
  reason?: string;
  weight: number;
  failedChecks: number;
}

const TERMINAL: ReadonlySet<RolloutOutcome> = new Set<RolloutOutcome>([
  'Succeeded',
  'Failed',
  'Superseded',
]);

export function isTerminal(outcome: RolloutOutcome): boolean {
  return TERMINAL.has(outcome);
}

const hasImages = (images: RolloutImages) => images.canary.length > 0 || images.primary.length > 0;

/**
 * Whether the observation's outcome replaces the stored one.
 * - Anything replaces a running rollout (the stream is ordered per canary).
 * - A finished rollout reopens (retry, or the revision released again) only on an observation
 *   newer than its end: an older one is a replay of what was already recorded.
 * - `Superseded` is a guess made when a newer revision appeared; the real end (Succeeded or
 *   Failed) replaces it whenever it arrives. Superseded never replaces a real end.
 * - Succeeded and Failed replace each other only when newer.
 */
function outcomeApplies(current: RolloutState, observed: ObservedState): boolean {
  if (!isTerminal(current.outcome)) return true;
  const newer = observed.observedAt > (current.endedAt ?? current.startedAt);
  if (!isTerminal(observed.outcome)) return newer;
  if (observed.outcome === current.outcome) return false;
  if (current.outcome === 'Superseded') return true;
  if (observed.outcome === 'Superseded') return false;
  return newer;
}

export function createRolloutState(observed: ObservedState): RolloutState {
  const startedAt = Math.min(observed.startedAt ?? observed.observedAt, observed.observedAt);
  return {
    images: observed.images,
    startedAt,
    ...(isTerminal(observed.outcome) ? { endedAt: Math.max(observed.observedAt, startedAt) } : {}),
    outcome: observed.outcome,
    ...(observed.reason !== undefined ? { reason: observed.reason } : {}),
    maxWeight: observed.weight,
    // Owned by addChecks: the failing measurements recorded. The controller's own count is no use
    // here: it drops to 0 when it rolls back.
    failedChecks: 0,
  };
}

/** The stored state after the observation (equal to `current` when nothing changes). */
export function mergeRollout(current: RolloutState, observed: ObservedState): RolloutState {
  const next: RolloutState = {
    ...current,
    // The first images seen are the ones rolled out (and against which primary): at the end the
    // primary runs the new images too.
    images: hasImages(current.images) ? current.images : observed.images,
    startedAt:
      observed.startedAt !== undefined
        ? Math.min(current.startedAt, observed.startedAt)
        : current.startedAt,
    maxWeight: Math.max(current.maxWeight, observed.weight),
  };
  if (!outcomeApplies(current, observed)) return next;
  next.outcome = observed.outcome;
  if (observed.reason !== undefined) next.reason = observed.reason;
  if (isTerminal(observed.outcome)) {
    // Keep the first end time seen for the same end; a new end replaces it.
    next.endedAt =
      current.outcome === observed.outcome && current.endedAt !== undefined
        ? current.endedAt
        : Math.max(observed.observedAt, next.startedAt);
  } else {
    delete next.endedAt;
  }
  return next;
}

export function sameState(a: RolloutState, b: RolloutState): boolean {
  return (
    a.startedAt === b.startedAt &&
    a.endedAt === b.endedAt &&
    a.outcome === b.outcome &&
    a.reason === b.reason &&
    a.maxWeight === b.maxWeight &&
    a.failedChecks === b.failedChecks &&
    JSON.stringify(a.images) === JSON.stringify(b.images)
  );
}
