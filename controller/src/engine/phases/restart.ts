// A new revision while the analysed one is in flight (spec 2.10).
import { event, route, unpause, update, type Tick } from '../context.js';
import { events } from '../messages.js';
import type { TargetObservation } from '../types.js';

/** All traffic back to the primary and a fresh analysis of the target's revision. */
export function restartAnalysis(t: Tick, target: TargetObservation): void {
  event(t, events.restarting(t.spec));
  // A pause was asked for the revision that is gone; the new one starts unpaused.
  if (t.status.paused) unpause(t);
  update(t, {
    phase: 'Progressing',
    canaryWeight: 0,
    failedChecks: 0,
    iterations: 0,
    lastAppliedSpec: target.revision,
    trackedConfigs: target.trackedConfigs,
  });
  route(t);
}
