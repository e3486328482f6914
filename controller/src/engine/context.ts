// The working state of one tick: the status being built, the actions collected so far, and the
// check round the tick is waiting for. Phase handlers mutate it; only tick.ts turns it into a
// decision.
import type { DateTime } from 'luxon';
import type { Canary, CanaryManualActionStatus, CanaryStatus } from '../api/types.js';
import { cookiesOf, expectedRoutes, withAffinityCookies } from './routes.js';
import type { EngineSpec } from './spec.js';
import { parseTime } from './time.js';
import type {
  AlertSeverity,
  CheckResults,
  CheckRound,
  Effect,
  MetricRecord,
  Notification,
  Observation,
  Routes,
  TargetObservation,
} from './types.js';

export interface Tick {
  readonly canary: Canary;
  readonly spec: EngineSpec;
  readonly observation: Observation;
  readonly now: DateTime;
  readonly results: CheckResults;
  /** When the engine last committed a step (status.lastTransitionTime). */
  readonly lastStep?: DateTime;
  /** At least one analysis interval has passed since the last step. */
  readonly due: boolean;
  status: CanaryStatus;
  /** The status must be written (something changed, or a paced step was taken). */
  dirty: boolean;
  effects: Effect[];
  notes: Notification[];
  /** Set when the tick cannot go on without these check results. */
  pending?: CheckRound;
  /** Routes written by this tick, if any. */
  routes?: Routes;
  analysed: boolean;
  /** Acknowledgement of spec.manualAction, written with the status of this tick. */
  ack?: CanaryManualActionStatus;
  /**
   * The lastTransitionTime to write instead of now (a resume moves the last step forward by the
   * paused time so that the interval and progress-deadline clocks continue where they stopped).
   */
  stepAt?: DateTime;
}

export function newTick(
  canary: Canary,
  spec: EngineSpec,
  observation: Observation,
  now: DateTime,
  results: CheckResults,
): Tick {
  const status: CanaryStatus = { ...(canary.status ?? {}) };
  const lastStep = parseTime(status.lastTransitionTime);
  const due = !lastStep || now.diff(lastStep).as('milliseconds') >= spec.intervalMs;
  return {
    canary,
    spec,
    observation,
    now,
    results,
    ...(lastStep ? { lastStep } : {}),
    due,
    status,
    dirty: false,
    effects: [],
    notes: [],
    analysed: false,
  };
}

export function update(t: Tick, patch: Partial<CanaryStatus>): void {
  t.status = { ...t.status, ...patch };
  t.dirty = true;
}

/** End a manual pause (resume, promote, abort, a new revision): the fields leave status. */
export function unpause(t: Tick): void {
  const { paused: _paused, pausedAt: _pausedAt, ...rest } = t.status;
  t.status = rest;
  t.dirty = true;
}

export function effect(t: Tick, action: Effect): void {
  t.effects.push(action);
}

export function event(t: Tick, message: string, eventType: 'Normal' | 'Warning' = 'Normal'): void {
  t.notes.push({ type: 'emitEvent', eventType, reason: 'Synced', message });
}

export function warn(t: Tick, message: string): void {
  event(t, message, 'Warning');
}

export function alert(
  t: Tick,
  severity: AlertSeverity,
  message: string,
  fields: Array<{ title: string; value: string }> = [],
): void {
  t.notes.push({ type: 'sendAlert', severity, message, fields });
}

export function record(t: Tick, record: MetricRecord): void {
  t.notes.push({ type: 'recordMetric', record });
}

/** Write the routes the (already updated) status implies, with session-affinity cookies. */
export function route(t: Tick): void {
  const before = t.status;
  t.status = withAffinityCookies(t.spec, t.status, seedOf(t));
  if (cookieFieldsDiffer(before, t.status)) t.dirty = true;
  const routes = expectedRoutes(t.spec, t.status);
  const cookies = cookiesOf(t.spec, t.status);
  effect(t, { type: 'setRoutes', routes, ...(cookies ? { cookies } : {}) });
  t.routes = routes;
}

export function targetOf(t: Tick): TargetObservation | undefined {
  const target = t.observation.target;
  return 'error' in target ? undefined : target;
}

function seedOf(t: Tick): string {
  return t.canary.metadata.uid ?? `${t.spec.namespace}/${t.spec.name}`;
}

function cookieFieldsDiffer(a: CanaryStatus, b: CanaryStatus): boolean {
  return (
    a.sessionAffinityCookie !== b.sessionAffinityCookie ||
    a.primarySessionAffinityCookie !== b.primarySessionAffinityCookie ||
    a.previousSessionAffinityCookie !== b.previousSessionAffinityCookie
  );
}
