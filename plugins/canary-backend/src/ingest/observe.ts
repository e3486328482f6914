// What a controller summary or detail says about the rollout of its revision. Pure functions of
// the controller's JSON (and `now` when the controller gives no time).
import type {
  CanaryDetail,
  CanarySummary,
  CheckResult,
  RolloutActor,
  RolloutEvent,
} from '@aviary/backstage-plugin-canary-common';
import type { RolloutObservation } from '../database/types';
import { rolloutOutcome } from './outcome';

const ACTIVE = new Set(['Progressing', 'WaitingPromotion', 'Promoting', 'Finalising']);

/**
 * When the analysis of the detail's revision began: the first change this controller process saw
 * with that revision in an active phase. Undefined when it did not see it (it restarted since).
 */
export function analysisStart(detail: CanaryDetail): string | undefined {
  const times = detail.changes
    .filter(c => c.revision === detail.revision && ACTIVE.has(c.phase))
    .map(c => Date.parse(c.at))
    .filter(t => !Number.isNaN(t));
  return times.length > 0 ? new Date(Math.min(...times)).toISOString() : undefined;
}

/** The observation of the summary's revision, or undefined when its phase means no rollout. */
export function observeSummary(
  summary: CanarySummary,
  now: Date,
  detail?: Pick<CanaryDetail, 'images'> & { startedAt?: string },
): RolloutObservation | undefined {
  if (!summary.revision) return undefined;
  const outcome = rolloutOutcome(summary.phase);
  if (!outcome) return undefined;
  return {
    cluster: summary.cluster,
    namespace: summary.namespace,
    name: summary.name,
    revision: summary.revision,
    images: detail?.images ?? { canary: [], primary: [] },
    // The controller's time of the phase change: a replayed message keeps its original time.
    observedAt: summary.lastTransitionTime ?? now.toISOString(),
    ...(detail?.startedAt !== undefined ? { startedAt: detail.startedAt } : {}),
    outcome,
    ...(summary.message ? { reason: summary.message } : {}),
    weight: summary.weight,
    failedChecks: summary.failedChecks,
  };
}

/**
 * The observation of a detail: the summary's, plus images, the analysis start and the largest
 * weight of the revision among the recent changes (a rollout first seen finished shows weight 0).
 * Without a recorded start (the controller restarted since), the oldest check stands in: the
 * controller clears its checks when an analysis starts.
 */
export function observeDetail(detail: CanaryDetail, now: Date): RolloutObservation | undefined {
  const startedAt = analysisStart(detail) ?? oldestCheck(detail);
  const weights = detail.changes.filter(c => c.revision === detail.revision).map(c => c.weight);
  return observeSummary({ ...detail, weight: Math.max(detail.weight, ...weights) }, now, {
    images: detail.images,
    ...(startedAt !== undefined ? { startedAt } : {}),
  });
}

function oldestCheck(detail: CanaryDetail): string | undefined {
  const times = detail.checks.map(c => Date.parse(c.time)).filter(t => !Number.isNaN(t));
  return times.length > 0 ? new Date(Math.min(...times)).toISOString() : undefined;
}

/**
 * The detail's checks that belong to a rollout started at `startedAt`. The controller clears its
 * list when a new analysis starts, but a detail read just after a revision change can still show
 * the previous revision's checks: those are older than the start.
 */
export function checksOfRollout(checks: CheckResult[], startedAt: string): CheckResult[] {
  const start = Date.parse(startedAt);
  return checks.filter(c => Date.parse(c.time) >= start);
}

/**
 * The detail's Events that happened since the rollout started, at their latest occurrence
 * (Kubernetes aggregates repeats into one Event with a count and a last timestamp; an Event first
 * seen during an earlier revision and repeated now belongs here too). Event times have whole
 * seconds, so the start is rounded down to its second.
 */
export function eventsOfRollout(events: CanaryDetail['events'], startedAt: string): RolloutEvent[] {
  const start = Math.floor(Date.parse(startedAt) / 1000) * 1000;
  const result: RolloutEvent[] = [];
  for (const event of events) {
    const time = event.lastTimestamp ?? event.firstTimestamp;
    if (!time || Number.isNaN(Date.parse(time)) || Date.parse(time) < start) continue;
    result.push({ time, type: event.type, reason: event.reason, message: event.message });
  }
  return result;
}

/**
 * Who acted on the summary's revision: the controller's acknowledgement of the last manual action
 * (`status.manualAction`), once it has an outcome and a time. Actions on other revisions are
 * refused by the controller and not part of this rollout.
 */
export function actorOf(summary: CanarySummary): RolloutActor | undefined {
  const ack = summary.manualAction;
  if (!ack?.action || !ack.outcome || !ack.acknowledgedAt) return undefined;
  if (ack.revision && ack.revision !== summary.revision) return undefined;
  return {
    action: ack.action,
    by: ack.requestedBy || 'unknown',
    ...(ack.reason ? { reason: ack.reason } : {}),
    at: ack.acknowledgedAt,
    outcome: ack.outcome,
  };
}
