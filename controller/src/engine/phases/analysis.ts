// Progressing and WaitingPromotion (spec 2.5 steps 4-16).
import { analyse, gate, rollbackSignal } from '../checks.js';
import { alert, event, record, update, warn, type Tick } from '../context.js';
import { events } from '../messages.js';
import { analysedKey, revisionMoved } from '../revision.js';
import type { TargetObservation } from '../types.js';
import { advance } from './advance.js';
import { failCheck, rollback } from './failure.js';
import { canaryReadiness, primaryReadiness } from './health.js';
import { skipAnalysis } from './promotion.js';
import { restartAnalysis } from './restart.js';
import { alertFields } from '../spec.js';

export function progressing(t: Tick, target: TargetObservation): void {
  const { spec } = t;
  if (t.status.paused) {
    // Manual pause: weight, iterations, failed checks and the clocks stay as they are. Only a
    // new revision ends it (the pause was asked for the revision that is gone).
    if (revisionMoved(t.status, target)) restartAnalysis(t, target);
    return;
  }
  if (!spec.skipAnalysis) {
    const primary = primaryReadiness(t);
    if (!primary.ready) {
      const message = events.primaryNotReady(spec, primary.detail);
      if (!primary.retriable) rollback(t, { kind: 'deadline', detail: message });
      else if (t.due) warn(t, message);
      return;
    }
    // The primary already runs exactly the revision under analysis: either a promotion was
    // copied and the controller stopped before recording it, or the target was reverted to
    // what the primary runs. Analysing further cannot change anything; finish the promotion.
    const stamped = t.observation.primary?.revision;
    if (stamped !== undefined && stamped === analysedKey(t.status)) {
      update(t, { phase: 'Promoting' });
      return;
    }
  }
  if (revisionMoved(t.status, target)) {
    restartAnalysis(t, target);
    return;
  }
  const canary = canaryReadiness(t, target);
  if (!canary.ready) {
    const message = events.canaryNotReady(spec, canary.detail);
    if (!canary.retriable) rollback(t, { kind: 'deadline', detail: message });
    else if (t.due) warn(t, message);
    return;
  }
  if (spec.skipAnalysis) {
    if (t.due) skipAnalysis(t);
    return;
  }
  // Also catches a threshold lowered below failedChecks by a spec edit.
  if ((t.status.failedChecks ?? 0) >= spec.threshold) {
    rollback(t, { kind: 'threshold' });
    return;
  }
  if (!t.due) return;
  analysisStep(t);
}

/** One paced analysis tick: rollback hooks, checks, then the strategy's advance. */
function analysisStep(t: Tick): void {
  const { spec } = t;
  const phase = t.status.phase ?? 'Progressing';
  t.analysed = true;
  const signal = rollbackSignal(t, phase);
  if (!signal) return;
  if (signal.signalledBy) {
    rollback(t, { kind: 'hook', hook: signal.signalledBy });
    return;
  }
  if (isFirstStep(t)) {
    event(t, events.startingAnalysis(spec));
    const pre = gate(t, 'pre-rollout', 'Progressing');
    if (!pre) return;
    for (const hook of pre.passed) event(t, events.preRolloutPassed(hook));
    if (pre.failed) {
      const message = events.preRolloutFailed(spec, pre.failed.name, pre.failed.error);
      // Flagger only logs this; owners hear about the first failure of a run (not every retry).
      if ((t.status.failedChecks ?? 0) === 0) alert(t, 'warn', message, alertFields(spec));
      failCheck(t, message);
      return;
    }
  } else {
    const analysis = analyse(t);
    if (!analysis) return;
    for (const metric of analysis.records) record(t, metric);
    if (analysis.kind === 'fail') {
      failCheck(t, analysis.message);
      return;
    }
    if (analysis.kind === 'hold') {
      warn(t, analysis.message);
      update(t, {});
      return;
    }
  }
  advance(t);
}

/** The pre-rollout tick: nothing shifted and no iteration (or mirror step) taken yet. */
function isFirstStep(t: Tick): boolean {
  return (t.status.canaryWeight ?? 0) === 0 && (t.status.iterations ?? 0) === 0;
}
