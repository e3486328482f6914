// Readiness of the two workloads as the tick sees them (spec 2.4), with the canary's deadline.
import { effect, type Tick } from '../context.js';
import { checkReadiness, type Readiness } from '../readiness.js';
import type { TargetObservation } from '../types.js';

export function primaryReadiness(
  t: Tick,
  options: { sincePhaseStart?: boolean; requireReplicas?: boolean } = {},
): Readiness {
  return checkReadiness(t.observation.primary, {
    name: t.spec.primaryName,
    threshold: t.spec.primaryReadyThreshold,
    progressDeadlineSeconds: t.spec.progressDeadlineSeconds,
    now: t.now,
    ...(options.sincePhaseStart && t.lastStep ? { since: t.lastStep } : {}),
    ...(options.requireReplicas ? { requireReplicas: true } : {}),
  });
}

export function canaryReadiness(
  t: Tick,
  target: TargetObservation,
  options: { requireReplicas?: boolean } = {},
): Readiness {
  return checkReadiness(target, {
    name: t.spec.targetName,
    threshold: t.spec.canaryReadyThreshold,
    progressDeadlineSeconds: t.spec.progressDeadlineSeconds,
    now: t.now,
    ...(t.lastStep ? { since: t.lastStep } : {}),
    ...(options.requireReplicas ? { requireReplicas: true } : {}),
  });
}

/** KEDA ScaledObjects are paused while the target is parked at zero; HPAs need nothing. */
export function pauseTargetScaler(t: Tick, paused: boolean): void {
  if (t.spec.autoscalerKind === 'ScaledObject')
    effect(t, { type: 'setTargetScalerPaused', paused });
}
