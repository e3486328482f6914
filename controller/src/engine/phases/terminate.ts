// Deletion with revertOnDeletion (spec 2.14) and keeping the finalizer in step with the spec.
import { effect, event, targetOf, update, warn, type Tick } from '../context.js';
import { events } from '../messages.js';
import { canaryReadiness, pauseTargetScaler } from './health.js';

export const FINALIZER = 'finalizer.aviary.dev';

export function syncFinalizer(t: Tick): void {
  const has = (t.canary.metadata.finalizers ?? []).includes(FINALIZER);
  if (t.spec.revertOnDeletion && !has) effect(t, { type: 'addFinalizer' });
  if (!t.spec.revertOnDeletion && has) effect(t, { type: 'removeFinalizer' });
}

/**
 * The Canary is being deleted. Without our finalizer the garbage collector does the rest. With
 * it: give the target its replicas back, wait until it serves, point the apex Service and the
 * VirtualService back at it, and release the finalizer.
 */
export function terminate(t: Tick): void {
  if (!(t.canary.metadata.finalizers ?? []).includes(FINALIZER)) return;
  if (!t.spec.revertOnDeletion) {
    effect(t, { type: 'removeFinalizer' });
    return;
  }
  const target = targetOf(t);
  const primary = t.observation.primary;
  const replicas = primary
    ? Math.max(1, primary.specReplicas)
    : Math.max(1, target?.specReplicas ?? 1);
  pauseTargetScaler(t, false);
  effect(t, { type: 'scaleTarget', replicas });
  // Zero replicas reads as "ready"; only a target that has been given its replicas and runs
  // them may take the traffic (this tick's scaleTarget is not in the observation yet).
  const ready = target ? canaryReadiness(t, target, { requireReplicas: true }) : undefined;
  if (ready?.ready && target && target.specReplicas >= replicas) {
    effect(t, { type: 'revertApexService' });
    effect(t, { type: 'revertRouting' });
    effect(t, { type: 'removeFinalizer' });
    event(t, events.terminated(t.spec));
    return;
  }
  if (t.status.phase !== 'Terminating') {
    update(t, { phase: 'Terminating' });
    event(t, events.terminating(t.spec));
  }
  // Flagger gives up with an error and retries forever; reverting traffic to a target that
  // cannot run would be an outage, so keep waiting (the user can fix the target or drop
  // revertOnDeletion, which releases the finalizer) and say why.
  if (!target || (ready && !ready.ready && !ready.retriable)) {
    warn(t, events.notReadyFinalizing());
  }
}
