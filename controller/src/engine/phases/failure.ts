// Rollback, failed promotion and failed checks (spec 2.9).
import { alert, effect, event, record, route, update, warn, type Tick } from '../context.js';
import { alerts, events } from '../messages.js';
import { hooksOf } from '../spec.js';
import { pauseTargetScaler } from './health.js';

export type RollbackReason =
  | { kind: 'threshold' }
  | { kind: 'hook'; hook: string }
  /** The canary or the primary cannot become ready (non-retriable). */
  | { kind: 'deadline'; detail: string }
  /** A manual abort: `why` is "aborted by <who>: <reason>". */
  | { kind: 'aborted'; why: string };

/**
 * Traffic back to the primary, then the canary scaled to zero, then Failed. The primary is not
 * touched: it still runs the last promoted revision.
 */
export function rollback(t: Tick, reason: RollbackReason): void {
  const { spec } = t;
  switch (reason.kind) {
    case 'threshold': {
      const failed = t.status.failedChecks ?? 0;
      warn(t, events.rollingBackThreshold(spec, failed));
      alert(t, 'error', alerts.thresholdReached(failed));
      break;
    }
    case 'hook':
      event(t, events.rollbackHookPassed(reason.hook));
      warn(t, events.rollingBackManual(spec));
      alert(t, 'warn', alerts.rollingBackManual);
      break;
    case 'deadline':
      // Flagger never reaches its deadline message and sends no alert (QUIRK in 2.9, issue
      // #1663); a user expects to hear about every terminal failure, so both are sent.
      warn(t, events.rollingBackDeadline(spec, reason.detail));
      alert(t, 'error', alerts.progressDeadline);
      break;
    case 'aborted':
      warn(t, events.rollingBackAborted(spec, reason.why));
      alert(t, 'warn', alerts.rollingBackAborted(reason.why));
      break;
  }
  update(t, { phase: 'Failed', canaryWeight: 0, failedChecks: 0, iterations: 0 });
  route(t);
  pauseTargetScaler(t, true);
  effect(t, { type: 'scaleTarget', replicas: 0 });
  warn(t, events.canaryFailed(spec));
  finished(t, 'failures', 'Failed');
}

/**
 * The primary cannot finish its rollout during Promoting/Finalising: all traffic goes to the
 * canary, the only healthy copy, which is therefore not scaled down.
 */
export function failPromotion(t: Tick, detail: string): void {
  warn(t, events.promotionFailed(t.spec, detail));
  alert(t, 'error', alerts.promotionFailed(detail));
  update(t, { phase: 'Failed', canaryWeight: 100 });
  route(t);
  finished(t, 'failures', 'Failed');
}

/**
 * Count one failed check. Reaching the threshold rolls back in the same tick: Flagger waits for
 * the next tick to notice, leaving a canary it already judged bad in traffic for one more
 * interval; nothing is gained by that.
 */
export function failCheck(t: Tick, message: string): void {
  warn(t, message);
  const failedChecks = (t.status.failedChecks ?? 0) + 1;
  update(t, { failedChecks });
  if (failedChecks >= t.spec.threshold) rollback(t, { kind: 'threshold' });
}

/** Counter and post-rollout hooks of a finished run. */
export function finished(
  t: Tick,
  counter: 'successes' | 'failures',
  phase: 'Succeeded' | 'Failed',
  analysisStatus: 'completed' | 'skipped' = 'completed',
): void {
  record(t, { metric: counter, strategy: t.spec.strategy, analysisStatus });
  const hooks = hooksOf(t.spec, 'post-rollout').map(h => h.hook);
  if (hooks.length > 0)
    t.notes.push({ type: 'runWebhooks', hookType: 'post-rollout', phase, hooks });
}
