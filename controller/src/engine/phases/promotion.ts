// Promoting → Finalising → Succeeded (spec 2.8), and the skip-analysis shortcut (2.11).
import { alert, effect, event, route, update, warn, type Tick } from '../context.js';
import { alerts, events } from '../messages.js';
import { analysedKey, targetKey } from '../revision.js';
import { nextPromotionWeight } from '../schedule.js';
import type { TargetObservation } from '../types.js';
import { restartAnalysis } from './restart.js';
import { failPromotion, finished } from './failure.js';
import { pauseTargetScaler, primaryReadiness } from './health.js';

/**
 * Promoting: wait for the primary to roll out the promoted revision, then move traffic back to
 * it (at once, or in stepWeightPromotion steps). The deadline counts from entering the phase, so
 * a primary that never becomes ready fails the promotion (Flagger can wait forever, #1591).
 */
export function promoting(t: Tick, target: TargetObservation): void {
  const { spec } = t;
  const primary = primaryReadiness(t, { sincePhaseStart: true, requireReplicas: true });
  if (!primary.ready && !primary.retriable) {
    failPromotion(t, primary.detail);
    return;
  }
  if (!t.due) return;
  const stamped = t.observation.primary?.revision;
  const promoted = analysedKey(t.status);
  if (stamped !== undefined && stamped !== promoted) {
    if (targetKey(target) === promoted) {
      // The copy is not (or no longer) in the primary: copy again, it is idempotent.
      effect(t, { type: 'copyTargetToPrimary', revision: promoted });
    } else {
      // The analysed revision is gone from both workloads; analyse the one the target has.
      restartAnalysis(t, target);
    }
    return;
  }
  if (!primary.ready) {
    warn(t, events.primaryNotReady(spec, primary.detail));
    return;
  }
  if (spec.autoscalerKind) effect(t, { type: 'ensurePrimaryAutoscaler', mode: 'sync' });
  const weight = t.status.canaryWeight ?? 0;
  // A/B sends only matching requests to the canary, so there is nothing to shift gradually.
  const next = spec.strategy === 'ab-testing' ? 0 : nextPromotionWeight(spec, weight);
  if (next === 0) {
    // With weight 0 Flagger does nothing and stays in Promoting forever (QUIRK in 2.8); a user
    // expects the promotion to complete: all traffic to the primary, then Finalising.
    const stepped = spec.stepWeightPromotion > 0 && weight > 0 && spec.strategy !== 'ab-testing';
    event(t, stepped ? events.advancePrimary(spec, 100) : events.routingToPrimary());
    update(t, { phase: 'Finalising', canaryWeight: 0 });
    route(t);
    return;
  }
  update(t, { canaryWeight: next });
  route(t);
  event(t, events.advancePrimary(spec, 100 - next));
}

/** Finalising: traffic is on the primary; park the canary at zero and record the success. */
export function finalising(t: Tick): void {
  const primary = primaryReadiness(t, { sincePhaseStart: true, requireReplicas: true });
  if (!primary.ready && !primary.retriable) {
    failPromotion(t, primary.detail);
    return;
  }
  if (!t.due) return;
  if (!primary.ready) {
    warn(t, events.primaryNotReady(t.spec, primary.detail));
    return;
  }
  pauseTargetScaler(t, true);
  effect(t, { type: 'scaleTarget', replicas: 0 });
  update(t, {
    phase: 'Succeeded',
    canaryWeight: 0,
    lastPromotedSpec: t.status.lastAppliedSpec ?? '',
  });
  finished(t, 'successes', 'Succeeded');
  event(t, events.promotionCompleted(t.spec));
  alert(t, 'info', alerts.succeeded);
}

/** skipAnalysis: the canary is ready, so promote it at once and park it at zero. */
export function skipAnalysis(t: Tick): void {
  const { spec } = t;
  update(t, {
    phase: 'Succeeded',
    canaryWeight: 0,
    lastPromotedSpec: t.status.lastAppliedSpec ?? '',
  });
  route(t);
  event(t, events.copying(spec));
  effect(t, { type: 'copyTargetToPrimary', revision: analysedKey(t.status) });
  if (spec.autoscalerKind) effect(t, { type: 'ensurePrimaryAutoscaler', mode: 'sync' });
  pauseTargetScaler(t, true);
  effect(t, { type: 'scaleTarget', replicas: 0 });
  finished(t, 'successes', 'Succeeded', 'skipped');
  event(t, events.promotionSkipped(spec));
  alert(t, 'info', alerts.skipped);
}
