// Advancing after a passed analysis (spec 2.6): one step of the strategy, or the promotion gate.
// Each step is written to status (weight, iterations) and the routes follow from it.
import { gate } from '../checks.js';
import { alert, effect, event, route, update, warn, type Tick } from '../context.js';
import { alerts, events } from '../messages.js';
import { analysedKey } from '../revision.js';
import { expectedRoutes, sameRoutes } from '../routes.js';
import { maxWeightReached, nextCanaryWeight } from '../schedule.js';

export function advance(t: Tick): void {
  switch (t.spec.strategy) {
    case 'canary':
      return advanceCanary(t);
    case 'blue-green':
      return advanceBlueGreen(t);
    case 'ab-testing':
      return advanceAbTesting(t);
  }
}

function advanceCanary(t: Tick): void {
  const { spec } = t;
  const weight = t.status.canaryWeight ?? 0;
  if (maxWeightReached(spec, weight)) {
    promotionGate(t);
    return;
  }
  if (spec.mirror && weight === 0 && (t.status.iterations ?? 0) === 0) {
    // The mirror step: the canary sees copies of the requests, users still only the primary.
    // iterations records that the step was taken (routes derive mirroring from it).
    update(t, { iterations: 1 });
    route(t);
    event(t, events.advanceWeight(spec, 0));
    return;
  }
  const next = nextCanaryWeight(spec, weight);
  if (next === undefined) {
    // No rung above the current weight (validation guarantees a step, so only a ladder edited
    // below the current weight gets here): nothing is left to climb.
    promotionGate(t);
    return;
  }
  // Asked before each real increase only: Flagger also asks on the promotion tick (where no
  // weight increases; confirm-promotion guards that) and skips the first increase after a
  // mirror step, the one that first exposes users to the canary.
  const confirm = gate(t, 'confirm-traffic-increase', 'Progressing');
  if (!confirm) return;
  for (const hook of confirm.passed) event(t, events.trafficIncreasePassed(hook));
  if (confirm.failed) {
    warn(t, events.waitingForTrafficIncrease(spec, confirm.failed.name));
    if (!confirm.failed.muteAlert) alert(t, 'warn', alerts.waitingForTrafficIncrease);
    update(t, {});
    return;
  }
  update(t, { phase: 'Progressing', canaryWeight: next });
  route(t);
  event(t, events.advanceWeight(spec, next));
}

function advanceBlueGreen(t: Tick): void {
  const { spec } = t;
  const iterations = t.status.iterations ?? 0;
  if (iterations < spec.iterations) {
    update(t, { phase: 'Progressing', iterations: iterations + 1 });
    routeIfChanged(t);
    event(t, events.advanceIteration(spec, iterations + 1, spec.iterations));
    return;
  }
  if (iterations > spec.iterations) {
    promotionGate(t);
    return;
  }
  // Last iteration done: all traffic to the canary for one more analysed tick, then promote.
  const confirm = gate(t, 'confirm-promotion', 'Progressing');
  if (!confirm) return;
  for (const hook of confirm.passed) event(t, events.promotionGatePassed(hook));
  if (confirm.failed) {
    waitForPromotion(t, confirm.failed.name, confirm.failed.muteAlert);
    return;
  }
  event(t, spec.mirror ? events.stopMirroring() : events.routingToCanary());
  update(t, { phase: 'Progressing', iterations: iterations + 1, canaryWeight: 100 });
  route(t);
}

function advanceAbTesting(t: Tick): void {
  const { spec } = t;
  const iterations = t.status.iterations ?? 0;
  if (iterations < spec.iterations) {
    update(t, { phase: 'Progressing', iterations: iterations + 1 });
    routeIfChanged(t);
    event(t, events.advanceIteration(spec, iterations + 1, spec.iterations));
    return;
  }
  promotionGate(t);
}

/** confirm-promotion, then Promote: copy the analysed revision into the primary. */
function promotionGate(t: Tick): void {
  const confirm = gate(t, 'confirm-promotion', 'Progressing');
  if (!confirm) return;
  for (const hook of confirm.passed) event(t, events.promotionGatePassed(hook));
  if (confirm.failed) {
    waitForPromotion(t, confirm.failed.name, confirm.failed.muteAlert);
    return;
  }
  event(t, events.copying(t.spec));
  effect(t, { type: 'copyTargetToPrimary', revision: analysedKey(t.status) });
  update(t, { phase: 'Promoting' });
}

/**
 * WaitingPromotion keeps the canary's weight and iterations (Flagger resets the status weight to
 * 0 while leaving the VirtualService as it is; here status and routes must agree). The event and
 * alert come once, on entering; later ticks keep analysing and re-ask the gate.
 */
function waitForPromotion(t: Tick, hook: string, muted: boolean): void {
  if (t.status.phase === 'WaitingPromotion') {
    update(t, {});
    return;
  }
  warn(t, events.waitingForPromotion(t.spec, hook));
  if (!muted) alert(t, 'warn', alerts.waitingForPromotion);
  update(t, { phase: 'WaitingPromotion' });
}

function routeIfChanged(t: Tick): void {
  const observed = t.observation.routes;
  if (!observed || !sameRoutes(observed, expectedRoutes(t.spec, t.status))) route(t);
}
