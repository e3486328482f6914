// Idle phases and the start gate (spec 2.5 step 6, 2.12 Waiting).
import { gate } from '../checks.js';
import { alert, effect, event, update, warn, type Tick } from '../context.js';
import { alerts, events } from '../messages.js';
import { hasNewRevision } from '../revision.js';
import { alertFields } from '../spec.js';
import type { TargetObservation } from '../types.js';
import { pauseTargetScaler, primaryReadiness } from './health.js';

/**
 * Initialized, Succeeded, Failed: start on a new revision.
 *
 * Failed-phase hazard (QUIRK in 2.3): Flagger overwrites lastAppliedSpec with the current hash
 * when it sees a Failed canary and only then compares, so a revision first seen on a tick that
 * ends early (primary not ready, gate closed) is never analysed. Here detection only reads:
 * lastAppliedSpec changes when an analysis actually starts, so the revision stays "new" on every
 * tick until it does.
 */
export function idle(t: Tick, target: TargetObservation): void {
  if (hasNewRevision(t.status, target)) {
    startGate(t, target);
    return;
  }
  // A target reverted to the promoted revision needs no analysis; record it as applied so a
  // later return to the revision that failed counts as new again (what a retry looks like).
  if (target.revision !== t.status.lastAppliedSpec) {
    update(t, { lastAppliedSpec: target.revision, trackedConfigs: target.trackedConfigs });
  }
}

/** Waiting: the confirm-rollout gate is asked again once per interval. */
export function waiting(t: Tick, target: TargetObservation): void {
  if (t.due) startGate(t, target);
}

function startGate(t: Tick, target: TargetObservation): void {
  const { spec } = t;
  if (!spec.skipAnalysis) {
    // Nothing is in flight yet, so a broken primary only delays the start (Flagger would roll
    // back, scaling down the target it never scaled up).
    const primary = primaryReadiness(t);
    if (!primary.ready) {
      warn(t, events.primaryNotReady(spec, primary.detail));
      return;
    }
  }
  const phase = t.status.phase ?? '';
  const pending = { lastAppliedSpec: target.revision, trackedConfigs: target.trackedConfigs };
  const confirm = gate(t, 'confirm-rollout', phase, pending);
  if (!confirm) return;
  if (confirm.failed) {
    warn(t, events.waitingForApproval(spec, confirm.failed.name));
    if (phase !== 'Waiting') {
      update(t, { phase: 'Waiting', canaryWeight: 0 });
      // Alert once, on entering Waiting, not on every tick spent there.
      if (!confirm.failed.muteAlert) alert(t, 'warn', alerts.waitingForApproval);
    } else {
      update(t, {});
    }
    return;
  }
  for (const hook of confirm.passed) event(t, events.confirmRolloutPassed(hook));
  event(t, events.newRevision(spec));
  alert(t, 'info', alerts.newRevision, alertFields(spec));
  beginAnalysis(t, target);
}

/** Scale the target up and start analysing the revision it holds (also a manual retry). */
export function beginAnalysis(t: Tick, target: TargetObservation): void {
  pauseTargetScaler(t, false);
  effect(t, { type: 'scaleTarget', replicas: scaleUpReplicas(t, target) });
  update(t, {
    phase: 'Progressing',
    canaryWeight: 0,
    failedChecks: 0,
    iterations: 0,
    lastAppliedSpec: target.revision,
    trackedConfigs: target.trackedConfigs,
  });
}

/** The target's own replicas, else the primary's (no autoscaler), else the HPA minimum, else 1. */
function scaleUpReplicas(t: Tick, target: TargetObservation): number {
  if (target.specReplicas > 0) return target.specReplicas;
  if (!t.spec.autoscalerKind) return Math.max(1, t.observation.primary?.specReplicas ?? 1);
  return Math.max(1, t.observation.autoscaler?.minReplicas ?? 1);
}
