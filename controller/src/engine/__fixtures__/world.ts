// A toy cluster for multi-tick scenarios: it answers checks, applies actions the way the
// executor would, and lets a test move the clock and the workloads. Deployments roll out
// instantly unless `instantRollouts` is off.
import type { DateTime } from 'luxon';
import type { Canary, CanaryPhase, CanaryStatus } from '../../api/types.js';
import { decideTick } from '../tick.js';
import type {
  Action,
  Check,
  CheckResult,
  CheckResults,
  Notification,
  Observation,
  PrimaryObservation,
  Routes,
  TargetObservation,
  TickDecision,
} from '../types.js';
import { canary as canaryBuilder, deployment, MINUTE, primary, T0, target } from './builders.js';

type Act = Extract<TickDecision, { kind: 'act' }>;

export interface WorldOptions {
  canary?: Canary;
  target?: TargetObservation;
  primary?: PrimaryObservation;
  routes?: Routes;
  now?: DateTime;
  instantRollouts?: boolean;
}

export class World {
  canary: Canary;
  target: TargetObservation;
  primary: PrimaryObservation | undefined;
  routes: Routes | undefined;
  autoscaler: Observation['autoscaler'];
  now: DateTime;
  instantRollouts: boolean;
  /** Metric values by metric name (default: success rate 100, everything else 1). */
  metricValues: Record<string, CheckResult> = {};
  /** Webhook results by hook name (default: success). */
  hookResults: Record<string, CheckResult> = {};
  /** Answers to the other checks (default: providers up, 1000 requests, judge passes). */
  otherResults: Partial<Record<'providers' | 'request-count' | 'judge', CheckResult>> = {};
  /** Every check run, in order, per tick. */
  calls: Check[][] = [];
  notes: Notification[] = [];
  effects: Action[] = [];
  last?: Act;

  constructor(options: WorldOptions = {}) {
    this.canary = options.canary ?? canaryBuilder();
    this.target = options.target ?? target();
    this.primary = options.primary;
    this.routes = options.routes;
    this.now = options.now ?? T0;
    this.instantRollouts = options.instantRollouts ?? true;
  }

  get status(): CanaryStatus {
    return this.canary.status ?? {};
  }

  /** Edit status by hand (what a test helper or a person with kubectl would do). */
  setStatus(patch: CanaryStatus): void {
    this.canary = { ...this.canary, status: { ...this.status, ...patch } };
  }

  /** A failing result for the hook named `name`. */
  failHook(name: string, error = 'closed'): void {
    this.hookResults[name] = { kind: 'webhook', ok: false, error };
  }

  metric(name: string, value: number): void {
    this.metricValues[name] = { kind: 'metric', outcome: 'value', value };
  }

  /** Drop what earlier ticks recorded, to look at the next ones only. */
  forget(): void {
    this.notes = [];
    this.effects = [];
    this.calls = [];
  }

  get phase(): CanaryPhase {
    return this.status.phase ?? '';
  }

  observation(): Observation {
    return {
      target: this.target,
      ...(this.primary ? { primary: this.primary } : {}),
      ...(this.routes ? { routes: this.routes } : {}),
      ...(this.autoscaler ? { autoscaler: this.autoscaler } : {}),
    };
  }

  /** Run the measure loop and return the decision, without applying it. */
  decide(): Act {
    const results: Record<string, CheckResult> = {};
    const calls: Check[] = [];
    for (let round = 0; round < 10; round++) {
      const decision = decideTick(
        { canary: this.canary, observation: this.observation(), now: this.now },
        results as CheckResults,
      );
      if (decision.kind === 'act') {
        this.calls.push(calls);
        return decision;
      }
      for (const check of decision.round.checks) {
        const result = this.answer(check);
        calls.push(check);
        results[check.id] = result;
        const stop = decision.round.stopAt;
        const ok = !('ok' in result) || result.ok;
        if (
          check.kind === 'webhook' &&
          ((stop === 'first-failure' && !ok) || (stop === 'first-success' && ok))
        )
          break;
      }
    }
    throw new Error('the engine asked for checks more than 10 times in one tick');
  }

  /** One tick at the current time: decide, then apply `upTo` actions (all by default). */
  tick(upTo?: number): Act {
    const decision = this.decide();
    this.apply(decision.actions.slice(0, upTo));
    this.last = decision;
    return decision;
  }

  /** Move the clock by one analysis interval (or `ms`) and tick. */
  next(ms = MINUTE): Act {
    this.now = this.now.plus({ milliseconds: ms });
    return this.tick();
  }

  /** The target gets a new pod template. */
  release(revision: string, configs?: Record<string, string>): void {
    this.target = {
      ...this.target,
      revision,
      ...(configs ? { trackedConfigs: configs } : {}),
      generation: this.target.generation + 1,
      observedGeneration: this.instantRollouts
        ? this.target.generation + 1
        : this.target.observedGeneration,
    };
  }

  events(): string[] {
    return this.notes.flatMap(n => (n.type === 'emitEvent' ? [n.message] : []));
  }

  apply(actions: Action[]): void {
    for (const action of actions) this.applyOne(action);
  }

  private applyOne(action: Action): void {
    switch (action.type) {
      case 'writeStatus':
        this.canary = {
          ...this.canary,
          metadata: {
            ...this.canary.metadata,
            resourceVersion: String(Number(this.canary.metadata.resourceVersion ?? 0) + 1),
          },
          status: action.status,
        };
        return;
      case 'emitEvent':
      case 'sendAlert':
      case 'runWebhooks':
      case 'recordMetric':
        this.notes.push(action);
        return;
      default:
        this.effects.push(action);
    }
    switch (action.type) {
      case 'addFinalizer':
      case 'removeFinalizer': {
        const others = (this.canary.metadata.finalizers ?? []).filter(
          f => f !== 'finalizer.aviary.dev',
        );
        const finalizers =
          action.type === 'addFinalizer' ? [...others, 'finalizer.aviary.dev'] : others;
        this.canary = { ...this.canary, metadata: { ...this.canary.metadata, finalizers } };
        return;
      }
      case 'ensurePrimary':
        this.primary ??= primary({
          specReplicas: Math.max(1, this.target.specReplicas),
          revision: action.revision,
          ...(this.instantRollouts ? {} : { observedGeneration: 0 }),
        });
        return;
      case 'ensureRouting':
        this.routes ??= action.routes;
        return;
      case 'setRoutes':
        this.routes = action.routes;
        return;
      case 'scaleTarget':
        this.target = { ...this.target, ...this.rollout(this.target, action.replicas) };
        return;
      case 'copyTargetToPrimary':
        if (!this.primary) return;
        this.primary = {
          ...this.primary,
          ...this.rollout(this.primary, this.primary.specReplicas),
          revision: action.revision,
        };
        return;
      default:
    }
  }

  private rollout(current: PrimaryObservation, replicas: number) {
    const generation = current.generation + 1;
    if (!this.instantRollouts) return { specReplicas: replicas, generation };
    return deployment({ specReplicas: replicas, generation, observedGeneration: generation });
  }

  /** Make a workload finish its rollout (for tests with instantRollouts off). */
  ready(which: 'primary' | 'target'): void {
    const current = which === 'primary' ? this.primary : this.target;
    if (!current) return;
    const done = deployment({
      specReplicas: current.specReplicas,
      generation: current.generation,
      observedGeneration: current.generation,
    });
    if (which === 'primary' && this.primary) this.primary = { ...this.primary, ...done };
    if (which === 'target') this.target = { ...this.target, ...done };
  }

  private answer(check: Check): CheckResult {
    switch (check.kind) {
      case 'providers':
        return this.otherResults.providers ?? { kind: 'providers', ok: true };
      case 'webhook':
        return this.hookResults[check.hook.name] ?? { kind: 'webhook', ok: true };
      case 'request-count':
        return (
          this.otherResults['request-count'] ?? { kind: 'request-count', ok: true, count: 1000 }
        );
      case 'judge':
        return this.otherResults.judge ?? { kind: 'judge', ok: true };
      case 'metric':
        return (
          this.metricValues[check.metric.name] ?? {
            kind: 'metric',
            outcome: 'value',
            value: check.metric.name === 'request-success-rate' ? 100 : 1,
          }
        );
    }
  }
}

/** A world past initialization: primary ready at rev-1, routes 100/0, phase Initialized. */
export function initializedWorld(options: WorldOptions = {}): World {
  const world = new World(options);
  world.tick(); // creates the primary
  world.ready('primary');
  world.tick(); // sees it ready
  if (world.phase !== 'Initialized') throw new Error(`expected Initialized, got ${world.phase}`);
  world.forget();
  return world;
}
