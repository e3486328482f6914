// Initialization (spec 2.2) and the drift correction every later tick repeats.
import { providersCheck } from '../checks.js';
import { alert, effect, event, update, warn, type Tick } from '../context.js';
import { alerts, events } from '../messages.js';
import { targetKey } from '../revision.js';
import { expectedRoutes } from '../routes.js';
import { alertFields } from '../spec.js';
import type { TargetObservation } from '../types.js';
import { primaryReadiness } from './health.js';

/**
 * Phase "" / Initializing. Routing moves to the primary only once it is ready, and the target
 * is scaled down only after that, so the first deployment never loses traffic.
 */
export function initialize(t: Tick, target: TargetObservation): void {
  effect(t, { type: 'ensureServices' });
  if (!t.spec.skipAnalysis) {
    const providers = providersCheck(t);
    if (!providers) return;
    if ('error' in providers) warn(t, events.providersError(providers.error));
    else event(t, events.providersAvailable());
  }
  effect(t, { type: 'ensurePrimary', revision: targetKey(target) });
  // Flagger skips this wait with skipAnalysis and rolls back when the primary fails for good;
  // both would park the target at zero replicas with nothing else serving. Aviary always waits
  // here, and only reports a primary that cannot start.
  const primary = primaryReadiness(t);
  if (!primary.ready) {
    warn(t, events.primaryNotReady(t.spec, primary.detail));
    if (t.status.phase !== 'Initializing') {
      update(t, { phase: 'Initializing', canaryWeight: 0, failedChecks: 0, iterations: 0 });
    }
    return;
  }
  if (t.spec.autoscalerKind) effect(t, { type: 'ensurePrimaryAutoscaler', mode: 'create' });
  effect(t, { type: 'ensureApexService' });
  effect(t, { type: 'scaleTarget', replicas: 0 });
  effect(t, {
    type: 'ensureRouting',
    routes: { primaryWeight: 100, canaryWeight: 0, mirrored: false },
  });
  // The primary was copied from the target when it was created; if the target changed since,
  // the primary does not run it, so leave lastAppliedSpec empty: the next tick analyses it.
  const stamped = t.observation.primary?.revision;
  const inSync = stamped === undefined || stamped === targetKey(target);
  const revision = inSync ? target.revision : '';
  update(t, {
    phase: 'Initialized',
    canaryWeight: 0,
    failedChecks: 0,
    iterations: 0,
    lastAppliedSpec: revision,
    lastPromotedSpec: revision,
    trackedConfigs: target.trackedConfigs,
  });
  event(t, events.initialized(t.spec));
  alert(t, 'info', alerts.initialized, alertFields(t.spec));
}

/** Every tick after initialization re-asserts the objects initialization created. */
export function reconcileObjects(t: Tick, target: TargetObservation): void {
  effect(t, { type: 'ensureServices' });
  effect(t, { type: 'ensurePrimary', revision: targetKey(target) });
  if (t.spec.autoscalerKind) effect(t, { type: 'ensurePrimaryAutoscaler', mode: 'create' });
  effect(t, { type: 'ensureApexService' });
  effect(t, { type: 'ensureRouting', routes: expectedRoutes(t.spec, t.status) });
}
