// Manual actions (architecture "Manual actions"): a request in spec.manualAction, handled once per
// id and acknowledged in status.manualAction in the same status write as its effect, so a crash
// before the write re-applies the (idempotent) effect and a crash after it never applies it twice.
import type { CanaryManualAction, CanaryPhase, ManualActionOutcome } from '../../api/types.js';
import { alert, effect, event, unpause, update, warn, type Tick } from '../context.js';
import { alerts, events } from '../messages.js';
import { analysedKey, revisionMoved } from '../revision.js';
import { formatTime, parseTime } from '../time.js';
import type { TargetObservation } from '../types.js';
import { rollback } from './failure.js';
import { beginAnalysis } from './start.js';

/** The request in spec.manualAction that status has not acknowledged yet. */
export function pendingRequest(t: Tick): CanaryManualAction | undefined {
  const request = t.canary.spec.manualAction;
  if (!request || request.id === t.status.manualAction?.id) return undefined;
  return request;
}

/** Refuse the pending request (suspended or initializing canaries). */
export function refusePending(t: Tick, why: string): void {
  const request = pendingRequest(t);
  if (request) refuse(t, request, why);
}

/**
 * Handle the pending request, if any. Returns true when it was applied: the tick is then done
 * (the action is this tick's step). A refused request is acknowledged and the tick goes on.
 */
export function manualAction(t: Tick, target: TargetObservation): boolean {
  const request = pendingRequest(t);
  if (!request) return false;
  const why = refusal(t, request, target);
  if (why !== undefined) {
    refuse(t, request, why);
    return false;
  }
  apply(t, request, target);
  return true;
}

const ACTIVE: readonly CanaryPhase[] = ['Progressing', 'WaitingPromotion'];

function refusal(
  t: Tick,
  request: CanaryManualAction,
  target: TargetObservation,
): string | undefined {
  const phase = t.status.phase ?? '';
  const paused = t.status.paused === true;
  const { action } = request;
  const allowed = action === 'retry' ? ['Failed'] : ACTIVE;
  if (!allowed.includes(phase)) return wrongPhase(t, request, phase);
  const current = t.status.lastAppliedSpec ?? '';
  if (request.revision !== current) {
    const doing = action === 'retry' ? 'last analysed' : 'is analysing';
    return `request is for revision ${request.revision} but the canary ${doing} ${current}`;
  }
  if (revisionMoved(t.status, target)) {
    return `request is for revision ${request.revision} but the target now holds revision ${target.revision}, which is analysed as a new revision`;
  }
  if (action === 'retry' && t.observation.primary?.revision === analysedKey(t.status)) {
    // The promotion failed after the copy: the canary carries all traffic because the primary
    // (already on this revision) is not ready. A fresh analysis would send traffic back to it.
    return `the primary already runs revision ${current} (its promotion failed); fix the primary or release a new revision`;
  }
  if (action === 'pause' && paused) return 'the canary is already paused';
  if (action === 'resume' && !paused) return 'the canary is not paused';
  return undefined;
}

function wrongPhase(t: Tick, request: CanaryManualAction, phase: string): string {
  const shown = phase || 'not initialized';
  switch (request.action) {
    case 'retry':
      return `retry re-runs the analysis of a Failed revision; the canary is ${shown}`;
    case 'abort':
      if (phase === 'Promoting' || phase === 'Finalising') {
        return `too late to abort: revision ${t.status.lastAppliedSpec ?? ''} is already being promoted (the canary is ${phase})`;
      }
      return `abort rolls back an analysis in flight (Progressing or WaitingPromotion); the canary is ${shown}`;
    case 'promote':
      if (phase === 'Promoting' || phase === 'Finalising') {
        return `the promotion is already under way (the canary is ${phase})`;
      }
      return `promote skips the remaining steps of an analysis in flight (Progressing or WaitingPromotion); the canary is ${shown}`;
    case 'pause':
    case 'resume':
      return `${request.action} applies to an analysis in flight (Progressing or WaitingPromotion); the canary is ${shown}`;
  }
}

function apply(t: Tick, request: CanaryManualAction, target: TargetObservation): void {
  const { spec } = t;
  const by = request.requestedBy;
  event(t, events.manualRequested(request.action, by, request.reason));
  const revision = t.status.lastAppliedSpec ?? '';
  switch (request.action) {
    case 'promote': {
      // Straight to Promoting: the primary gets the analysed revision and traffic moves back to
      // it only once it is ready (promoting() in promotion.ts, with its deadline).
      if (t.status.paused) unpause(t);
      event(t, events.copying(spec));
      effect(t, { type: 'copyTargetToPrimary', revision: analysedKey(t.status) });
      update(t, { phase: 'Promoting' });
      alert(t, 'info', alerts.manualPromote(by));
      acknowledge(
        t,
        request,
        'Applied',
        `promoting revision ${revision}: traffic moves to the primary once it is ready`,
      );
      return;
    }
    case 'abort': {
      const why = `aborted by ${by}${request.reason ? `: ${request.reason}` : ''}`;
      if (t.status.paused) unpause(t);
      rollback(t, { kind: 'aborted', why });
      acknowledge(t, request, 'Applied', `rolled back revision ${revision}: ${why}`);
      return;
    }
    case 'retry':
      beginAnalysis(t, target);
      acknowledge(t, request, 'Applied', `analysing revision ${revision} again`);
      return;
    case 'pause':
      update(t, { paused: true, pausedAt: formatTime(t.now) });
      acknowledge(
        t,
        request,
        'Applied',
        `paused at weight ${t.status.canaryWeight ?? 0}, iteration ${t.status.iterations ?? 0}`,
      );
      return;
    case 'resume': {
      const pausedAt = parseTime(t.status.pausedAt);
      const pausedFor = pausedAt ? t.now.diff(pausedAt) : undefined;
      // The paused time does not count: the last step moves forward by it.
      if (t.lastStep && pausedFor && pausedFor.as('milliseconds') > 0) {
        t.stepAt = t.lastStep.plus(pausedFor);
      } else if (t.lastStep) {
        t.stepAt = t.lastStep;
      }
      unpause(t);
      const seconds = pausedFor ? Math.max(0, Math.round(pausedFor.as('seconds'))) : 0;
      acknowledge(t, request, 'Applied', `resumed after ${seconds}s paused`);
      return;
    }
  }
}

function refuse(t: Tick, request: CanaryManualAction, why: string): void {
  warn(t, events.manualRefused(request.action, request.requestedBy, why));
  acknowledge(t, request, 'Refused', why);
}

function acknowledge(
  t: Tick,
  request: CanaryManualAction,
  outcome: ManualActionOutcome,
  message: string,
): void {
  t.ack = {
    id: request.id,
    action: request.action,
    revision: request.revision,
    requestedBy: request.requestedBy,
    ...(request.reason !== undefined ? { reason: request.reason } : {}),
    outcome,
    message,
    acknowledgedAt: formatTime(t.now),
  };
}
