// One tick of one canary, end to end: read the caches, run the engine's measure/act protocol
// (checks through the batched runner), apply the decision, and say when the canary is next due.
// Holds no state a restart would miss: only a short-lived view of the status this process just
// wrote, used until the informer cache has caught up with it.
import { resolveSpec, decideTick } from '../engine/index.js';
import type { Canary, CanaryCondition } from '../api/types.js';
import type { CheckResults, Observation, TickDecision } from '../engine/types.js';
import { CANARIES, isConflict, type ObjectWriter } from '../kube/index.js';
import type { WorkloadContext, WorkloadOptions } from '../workload/index.js';
import type { CheckStore } from './check-store.js';
import { runRound, type CheckDeps } from './checks.js';
import type { Clock } from './clock.js';
import { splitKey, type Cluster } from './cluster.js';
import { execute } from './executor.js';
import type { ControllerLogger } from './log.js';
import type { NotifyDeps } from './notifications.js';
import { observe } from './observe.js';
import { leftActive, startsAnalysis, type ProgressingSlots } from './progressing.js';
import type { WorkOutcome } from './queue.js';
import type { SelfMetrics } from './self-metrics.js';

export interface TickDeps {
  cluster: Cluster;
  writer: ObjectWriter;
  workload: WorkloadContext;
  workloadOptions: WorkloadOptions;
  checks: CheckDeps;
  notify: NotifyDeps;
  metrics: SelfMetrics;
  clock: Clock;
  log: ControllerLogger;
  slots?: ProgressingSlots;
  /** Where the metric check results of the running analysis are kept for the HTTP API. */
  checkStore?: CheckStore;
  /** Makes keys due now (slot freed for canaries waiting on --max-progressing). */
  wake(keys: string[]): void;
}

/** The condition an invalid spec gets (the Promoted condition stays as it was). */
export const VALID_CONDITION = 'Valid';
/** After a conflict the cache is behind by one write; a short pause lets the watch catch up. */
const CONFLICT_RETRY_MS = 500;
const MAX_ROUNDS = 10;

export class TickRunner {
  /**
   * Status this process committed, used while the cache still shows a version from before the
   * write (the one the tick read, or our own finalizer patch in between).
   */
  private readonly written = new Map<string, { superseded: string[]; canary: Canary }>();

  constructor(private readonly deps: TickDeps) {}

  /** The canary as the next tick must see it (our own last write wins over a lagging cache). */
  current(key: string): Canary | undefined {
    const { namespace, name } = splitKey(key);
    const cached = this.deps.cluster.canaries.get(namespace, name);
    const mine = this.written.get(key);
    if (!cached) return undefined;
    if (mine && mine.superseded.includes(cached.metadata.resourceVersion ?? '')) {
      return mine.canary;
    }
    this.written.delete(key);
    return cached;
  }

  forget(key: string): void {
    this.written.delete(key);
  }

  async tick(key: string, signal: AbortSignal): Promise<WorkOutcome> {
    const canary = this.current(key);
    if (!canary) return {};
    const { deps } = this;
    const log = deps.log.child({ canary: `${canary.metadata.name}.${canary.metadata.namespace}` });
    const now = deps.clock.now();
    const resolved = resolveSpec(canary);
    if (resolved.ok && invalidCondition(canary)) {
      await this.writeConditions(canary, withoutValid(canary), log);
      return { nextDueAt: now.plus({ milliseconds: CONFLICT_RETRY_MS }) };
    }
    const observation: Observation = resolved.ok
      ? observe(canary, deps.cluster, deps.workloadOptions)
      : { target: { error: 'invalid canary spec' } };
    const started = now;
    const { decision, results } = await this.decide(canary, observation, now);
    if (decision.kind !== 'act') throw new Error('engine asked for checks more than 10 times');
    const startsRun = startsAnalysis(canary, decision.actions);
    const starting = deps.slots !== undefined && startsRun;
    if (starting && deps.slots) {
      const slot = deps.slots.tryAcquire(key);
      if (!slot.ok) {
        const message = `Halt ${canary.metadata.name}.${canary.metadata.namespace} advancement waiting for a progressing slot (max-progressing ${deps.slots.limit})`;
        log.info(message, { busy: slot.busy });
        await deps.notify.recorder.record(
          { object: canary, type: CANARIES },
          'Normal',
          'Synced',
          message,
        );
        const interval = resolved.ok ? resolved.spec.intervalMs : 60_000;
        return { nextDueAt: now.plus({ milliseconds: interval }) };
      }
    }
    deps.checkStore?.record(
      key,
      {
        revision: canary.status?.lastAppliedSpec,
        phase: canary.status?.phase,
        starting: startsRun,
      },
      resolved.ok ? resolved.spec : undefined,
      results,
      now.toUTC().toISO({ suppressMilliseconds: true }) ?? '',
    );
    try {
      const result = await execute(
        {
          effects: {
            canary,
            cluster: deps.cluster,
            writer: deps.writer,
            workload: deps.workload,
            workloadOptions: deps.workloadOptions,
            log,
          },
          notify: deps.notify,
          log,
          signal,
        },
        decision.actions,
      );
      if (decision.analysed) {
        const seconds = deps.clock.now().diff(started).as('seconds');
        deps.metrics.analysingTick(
          { target: canary.spec.targetRef.name, namespace: canary.metadata.namespace ?? '' },
          seconds,
        );
      }
      if (result.kind === 'conflict') {
        log.debug('canary changed during the tick; running it again');
        return { nextDueAt: deps.clock.now().plus({ milliseconds: CONFLICT_RETRY_MS }) };
      }
      if (result.kind === 'aborted') return {};
      if (result.kind === 'committed') {
        this.written.set(key, { superseded: result.superseded, canary: result.canary });
        if (deps.slots && leftActive(canary, result.canary)) deps.wake(deps.slots.takeWaiting());
      }
    } finally {
      if (starting) deps.slots?.release(key);
    }
    if (!resolved.ok) await this.markInvalid(canary, resolved.problems, log);
    return { nextDueAt: decision.nextDueAt };
  }

  /** The measure/act loop of the engine protocol. */
  private async decide(
    canary: Canary,
    observation: Observation,
    now: ReturnType<Clock['now']>,
  ): Promise<{ decision: TickDecision; results: CheckResults }> {
    const results: Record<string, CheckResults[string]> = {};
    let decision = decideTick({ canary, observation, now }, results);
    for (let round = 0; decision.kind === 'measure' && round < MAX_ROUNDS; round++) {
      Object.assign(results, await runRound(canary, decision.round, this.deps.checks));
      decision = decideTick({ canary, observation, now }, results);
    }
    return { decision, results };
  }

  /** Invalid spec: besides the engine's Warning Event, a condition naming the problems. */
  private async markInvalid(canary: Canary, problems: string, log: ControllerLogger) {
    const current = invalidCondition(canary);
    const message = `invalid canary spec: ${problems}`;
    if (current?.message === message) return;
    const now = this.deps.clock.now().toUTC().toISO({ suppressMilliseconds: true }) ?? '';
    const condition: CanaryCondition = {
      type: VALID_CONDITION,
      status: 'False',
      reason: 'InvalidSpec',
      message,
      lastUpdateTime: now,
      lastTransitionTime: current?.lastTransitionTime ?? now,
    };
    await this.writeConditions(canary, [...withoutValid(canary), condition], log);
  }

  private async writeConditions(
    canary: Canary,
    conditions: CanaryCondition[],
    log: ControllerLogger,
  ): Promise<void> {
    const key = `${canary.metadata.namespace}/${canary.metadata.name}`;
    try {
      const stored = await this.deps.writer.replaceStatus<Canary>(CANARIES, {
        ...canary,
        status: { ...canary.status, conditions },
      });
      const read = canary.metadata.resourceVersion;
      this.written.set(key, { superseded: read ? [read] : [], canary: stored });
    } catch (err) {
      if (!isConflict(err)) throw err;
      log.debug('canary changed before its conditions were written');
    }
  }
}

function invalidCondition(canary: Canary): CanaryCondition | undefined {
  return canary.status?.conditions?.find(c => c.type === VALID_CONDITION && c.status === 'False');
}

function withoutValid(canary: Canary): CanaryCondition[] {
  return (canary.status?.conditions ?? []).filter(c => c.type !== VALID_CONDITION);
}
