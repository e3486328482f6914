// One tick of one canary, as a pure function.
//
// Protocol. The executor calls `decideTick(input, results)` with the results gathered so far
// (none at first). The answer is either `measure` (run `round`'s checks, add the results, call
// again with the same input) or `act` (apply the actions in order, schedule `nextDueAt`). A tick
// needs at most a few rounds: metric providers (initializing), confirm-rollout, rollback hooks,
// the analysis, and one gate (confirm-traffic-increase or confirm-promotion).
//
// Crash safety. All progress lives in Canary status; routes are derived from it (routes.ts).
// 1. Every effect is an absolute, idempotent target (weights, replicas, "primary runs revision
//    K"), computed from status as read at the start of the tick, never from the observed routes.
// 2. Effects come first, then one writeStatus (the commit, guarded by the resourceVersion the
//    tick read), then notifications. A crash before the commit leaves status at the previous
//    step; the next tick computes the same targets and re-applies them, converging with no
//    double step. A lost status write is recomputed the same way.
// 3. Steps are paced by status.lastTransitionTime + interval, so extra ticks (watch events,
//    restarts, two controllers racing) cannot take two steps inside one interval; a stale writer
//    loses on resourceVersion.
// 4. Promotion: `copyTargetToPrimary` stamps the primary with the revision key. If the
//    controller stops between the copy and the Promoting commit, the next tick sees the primary
//    already running the analysed revision and commits Promoting instead of analysing again (no
//    second copy, no rollback onto a primary that already runs the new code).
// Notifications after the commit are at most once: a crash right after it loses them, while
// sending them earlier would announce steps that never commit.
import { DEFAULT_INTERVAL_MS } from '../api/resolve.js';
import { promotedConditions } from './conditions.js';
import { event, newTick, route, targetOf, warn, type Tick } from './context.js';
import { events } from './messages.js';
import { progressing } from './phases/analysis.js';
import { initialize, reconcileObjects } from './phases/initialize.js';
import { manualAction, refusePending } from './phases/manual.js';
import { finalising, promoting } from './phases/promotion.js';
import { idle, waiting } from './phases/start.js';
import { syncFinalizer, terminate } from './phases/terminate.js';
import { expectedRoutes, sameRoutes } from './routes.js';
import { resolveSpec } from './spec.js';
import { formatTime, parseTime } from './time.js';
import type { Action, CheckResults, TickDecision, TickInput } from './types.js';

export function decideTick(input: TickInput, results: CheckResults = {}): TickDecision {
  const resolved = resolveSpec(input.canary);
  if (!resolved.ok) return invalid(input, resolved.problems);
  const { spec } = resolved;
  const t = newTick(input.canary, spec, input.observation, input.now, results);
  const deleting = Boolean(input.canary.metadata.deletionTimestamp);
  const frozen = deleting || spec.suspend;
  run(t);
  if (t.pending) return { kind: 'measure', round: t.pending };
  if (!frozen) reconcileRoutes(t);
  return {
    kind: 'act',
    actions: actionsOf(t, !deleting),
    nextDueAt: nextDueAt(t),
    analysed: t.analysed,
  };
}

/** A spec that does not validate is reported and nothing else is done (Flagger rejects the sync). */
function invalid(input: TickInput, problems: string): TickDecision {
  return {
    kind: 'act',
    actions: [
      {
        type: 'emitEvent',
        eventType: 'Warning',
        reason: 'Synced',
        message: events.invalidSpec(problems),
      },
    ],
    nextDueAt: input.now.plus({ milliseconds: DEFAULT_INTERVAL_MS }),
    analysed: false,
  };
}

function run(t: Tick): void {
  if (t.canary.metadata.deletionTimestamp) {
    terminate(t);
    return;
  }
  syncFinalizer(t);
  if (t.spec.suspend) {
    refusePending(t, 'the canary is suspended (spec.suspend)');
    event(t, events.suspended());
    return;
  }
  const observed = t.observation.target;
  const target = targetOf(t);
  if (!target) {
    warn(t, 'error' in observed ? observed.error : 'target not found');
    return;
  }
  const phase = t.status.phase ?? '';
  if (phase === '' || phase === 'Initializing') {
    refusePending(t, 'the canary is initializing; no revision is being analysed yet');
    initialize(t, target);
    return;
  }
  reconcileObjects(t, target);
  // A request applied here is this tick's step; a refused one is acknowledged and the tick goes on.
  if (manualAction(t, target)) return;
  switch (phase) {
    case 'Waiting':
      return waiting(t, target);
    case 'Progressing':
    case 'WaitingPromotion':
      return progressing(t, target);
    case 'Promoting':
      return promoting(t, target);
    case 'Finalising':
      return finalising(t);
    default:
      // Initialized, Succeeded, Failed (and Terminating/Terminated left by an old deletion).
      return idle(t, target);
  }
}

/** A VirtualService that does not carry the split status implies is put back. */
function reconcileRoutes(t: Tick): void {
  const observed = t.observation.routes;
  if (t.routes || !observed) return;
  const phase = t.status.phase ?? '';
  if (phase === '' || phase === 'Initializing') return;
  if (!sameRoutes(observed, expectedRoutes(t.spec, t.status))) route(t);
}

function actionsOf(t: Tick, gauges: boolean): Action[] {
  const actions: Action[] = [...t.effects];
  if (t.dirty || t.ack) {
    const now = formatTime(t.now);
    const phase = t.status.phase ?? '';
    // Only an acknowledgement to write (a refused request): the step clock stays as it was.
    const stepped = t.dirty
      ? {
          lastTransitionTime: stepTime(t),
          conditions: promotedConditions(t.status.conditions, phase, t.spec.targetKind, now),
        }
      : {};
    actions.push({
      type: 'writeStatus',
      status: {
        ...t.status,
        ...(t.ack ? { manualAction: t.ack } : {}),
        ...stepped,
      },
      ...(t.canary.metadata.resourceVersion
        ? { resourceVersion: t.canary.metadata.resourceVersion }
        : {}),
    });
  }
  actions.push(...t.notes);
  if (gauges) {
    const phase = t.status.phase;
    const value = phase === 'Progressing' ? 0 : phase === 'Failed' ? 2 : 1;
    actions.push({ type: 'recordMetric', record: { metric: 'status', value } });
    const routes = t.routes ?? t.observation.routes;
    if (routes) {
      actions.push({
        type: 'recordMetric',
        record: { metric: 'weight', primary: routes.primaryWeight, canary: routes.canaryWeight },
      });
    }
  }
  return actions;
}

/**
 * The lastTransitionTime a dirty tick writes: now, except while paused (frozen at the last step
 * before the pause) and on a resume (moved forward by the paused time).
 */
function stepTime(t: Tick): string {
  if (t.status.paused) return t.status.lastTransitionTime ?? formatTime(t.now);
  return formatTime(t.stepAt ?? t.now);
}

/** One interval after the last committed step; at least one interval from now when overdue. */
function nextDueAt(t: Tick): TickInput['now'] {
  const interval = { milliseconds: t.spec.intervalMs };
  const committed = t.dirty ? parseTime(stepTime(t)) : t.lastStep;
  const due = committed?.plus(interval);
  return due && due > t.now ? due : t.now.plus(interval);
}
