// Records every controller's canaries into the rollout history and tells the rest of the plugin.
//
// Per controller: a full resync (list, then the detail of each canary, a few at a time) at start,
// on the stream's hello and reset, and when the scheduler calls resync(); in between, the live
// stream, resumed from the cursor kept in the database. A resync also ends the open rollouts of
// canaries the list no longer has (deleted while nobody listened). Each stream message is recorded before the
// cursor moves past it (a failure makes the client deliver it again), so backend restarts and
// disconnects leave no gaps; the store's idempotent writes mean a replay adds nothing twice.
//
// Outcomes come from the summaries (in stream order, never coalesced); images, checks, events and
// actors from the detail, read at most once at a time per canary plus one pending read for a
// burst. Writes about one canary run in order through its lane; canaries and controllers never
// wait for each other.
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  canaryKey,
  type CanaryDetail,
  type CanaryRef,
  type CanarySummary,
  type Rollout,
  type RolloutOutcome,
} from '@aviary/backstage-plugin-canary-common';
import type {
  ControllerRegistry,
  ControllerStreamMessage,
  StreamHandle,
} from '../controllers/types';
import type { RolloutObservation, RolloutStore } from '../database/types';
import type { RolloutListener } from './types';
import type { CanaryFeedHub } from './feed';
import { closingReason, forgottenCanaries, forgottenReason, rolloutOutcome } from './outcome';
import {
  actorOf,
  checksOfRollout,
  eventsOfRollout,
  observeDetail,
  observeSummary,
} from './observe';
import { KeyedLanes } from './lanes';
import { DetailReads } from './detailReads';

const TERMINAL: ReadonlySet<RolloutOutcome> = new Set<RolloutOutcome>([
  'Succeeded',
  'Failed',
  'Superseded',
]);

export interface RolloutIngestorOptions {
  store: RolloutStore;
  registry: ControllerRegistry;
  logger: LoggerService;
  feed: CanaryFeedHub;
  listeners?: RolloutListener[];
  retentionDays: number;
  /** Detail reads at once per controller (resync and bursts), default 4. */
  detailConcurrency?: number;
  /** How long after a rollout ends its detail is read once more (its last Events), default 2 s. */
  finalReadDelayMs?: number;
  now?: () => Date;
}

export class RolloutIngestor {
  private readonly lanes = new KeyedLanes();
  private readonly details: DetailReads;
  private readonly streams = new Map<string, StreamHandle>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly finalReads = new Set<ReturnType<typeof setTimeout>>();
  private running = false;
  /** Controllers whose stream is failing: one warning per outage, not one per retry. */
  private readonly failing = new Set<string>();
  private readonly now: () => Date;

  constructor(private readonly options: RolloutIngestorOptions) {
    this.now = options.now ?? (() => new Date());
    this.details = new DetailReads({
      concurrency: options.detailConcurrency ?? 4,
      read: ref => this.readDetail(ref),
      onError: (ref, error) =>
        options.logger.warn(
          `canary ingestion: reading ${canaryKey(ref)} failed: ${errorText(error)}`,
        ),
      track: promise => this.track(promise),
    });
  }

  /** Starts following every controller; returns at once (the first resync runs in the background). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    for (const cluster of this.options.registry.clusters()) {
      // Without a stored cursor the stream's hello triggers the first resync.
      const resumed = await this.follow(cluster);
      if (resumed) this.track(this.resyncCluster(cluster));
    }
  }

  /** Closes the streams and waits for the work under way. */
  async stop(): Promise<void> {
    this.running = false;
    for (const timer of this.finalReads) clearTimeout(timer);
    this.finalReads.clear();
    for (const handle of this.streams.values()) handle.close();
    this.streams.clear();
    while (this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
    }
  }

  /** Lists and records every canary of every controller; one failing controller fails alone. */
  async resync(): Promise<void> {
    await Promise.allSettled(
      this.options.registry.clusters().map(cluster => this.track(this.resyncCluster(cluster))),
    );
  }

  /** Deletes rollouts that ended more than `retentionDays` before `now`; returns how many. */
  async pruneHistory(now: Date = this.now()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.options.retentionDays * 86_400_000);
    const deleted = await this.options.store.deleteEndedBefore(cutoff.toISOString());
    if (deleted > 0) {
      this.options.logger.info(
        `canary history: deleted ${deleted} rollouts that ended before ${cutoff.toISOString()}`,
      );
    }
    return deleted;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    void promise.then(
      () => this.inFlight.delete(promise),
      () => this.inFlight.delete(promise),
    );
    return promise;
  }

  /** Opens the stream of one controller; true when it resumes from a stored cursor. */
  private async follow(cluster: string): Promise<boolean> {
    const { store, logger, registry } = this.options;
    let lastEventId: string | undefined;
    try {
      lastEventId = await store.getStreamCursor(cluster);
    } catch (error) {
      logger.warn(
        `canary ingestion: cannot read the stream cursor of ${cluster}: ${String(error)}`,
      );
    }
    const handle = registry.get(cluster).stream({
      ...(lastEventId !== undefined ? { lastEventId } : {}),
      onMessage: message => this.track(this.onStreamMessage(cluster, message)),
      onError: error => {
        if (this.failing.has(cluster)) {
          logger.debug(`canary ingestion: ${error.message}`);
        } else {
          this.failing.add(cluster);
          logger.warn(`canary ingestion: ${error.message} (retrying with backoff)`);
        }
      },
    });
    this.streams.set(cluster, handle);
    return lastEventId !== undefined;
  }

  private async onStreamMessage(cluster: string, message: ControllerStreamMessage): Promise<void> {
    if (!this.running) return;
    if (this.failing.delete(cluster)) {
      this.options.logger.info(`canary ingestion: following the stream of ${cluster} again`);
    }
    // hello: a stream without a resume point (first start): the list is the starting state.
    // reset: the controller lost our position (restart, overflow): re-list to close the gap.
    if (message.kind === 'hello' || message.kind === 'reset') {
      await this.resyncCluster(cluster, { throwOnError: true });
    } else {
      await this.recordSummary(message.canary, message.type === 'delete');
    }
    if (message.id !== undefined) await this.options.store.setStreamCursor(cluster, message.id);
  }

  private async resyncCluster(
    cluster: string,
    options: { throwOnError?: boolean } = {},
  ): Promise<void> {
    try {
      // Taken before the list, so a rollout that starts after the list is never taken for gone.
      const open = await this.options.store.listOpenRollouts(cluster);
      const summaries = await this.options.registry.get(cluster).list();
      await Promise.all(
        summaries.map(async summary => {
          await this.recordSummary(summary, false, { awaitDetail: true });
        }),
      );
      await this.closeForgotten(cluster, open, summaries);
    } catch (error) {
      this.options.logger.warn(
        `canary ingestion: resync of ${cluster} failed: ${errorText(error)}`,
      );
      if (options.throwOnError) throw error;
    }
  }

  /** Records what a summary says (in the canary's lane), then asks for its detail. */
  private async recordSummary(
    summary: CanarySummary,
    deleted: boolean,
    options: { awaitDetail?: boolean } = {},
  ): Promise<void> {
    this.options.feed.publish({ type: 'canary', canary: summary, ...(deleted ? { deleted } : {}) });
    const key = canaryKey(summary);
    await this.lanes.run(key, async () => {
      const closing = closingReason(summary.phase, deleted);
      if (closing) {
        await this.closeOpenRollout(summary, closing);
        return;
      }
      const observation = observeSummary(summary, this.now());
      if (!observation) return;
      const rollout = await this.recordObservation(observation);
      if (await this.recordActor(rollout, summary)) await this.publishRollout(rollout.id);
    });
    if (deleted || closingReason(summary.phase, false)) return;
    const detail = this.details.request(summary);
    if (options.awaitDetail) {
      await detail;
      return;
    }
    const outcome = rolloutOutcome(summary.phase);
    if (outcome && TERMINAL.has(outcome)) this.readAgainLater(summary);
  }

  /**
   * The controller writes a rollout's last Events (rolling back, promotion completed) with its
   * final status, but they reach its Event cache after the status reaches the stream, and no
   * later message comes to fetch them: read the detail once more a moment later.
   */
  private readAgainLater(ref: CanaryRef): void {
    const timer = setTimeout(() => {
      this.finalReads.delete(timer);
      if (this.running) void this.details.request(ref);
    }, this.options.finalReadDelayMs ?? 2_000);
    this.finalReads.add(timer);
  }

  /**
   * Ends the open rollouts of canaries the controller no longer lists: deleted (or forgotten by
   * the controller) while no stream message could tell us. Only after a successful list.
   */
  private async closeForgotten(
    cluster: string,
    open: Rollout[],
    listed: CanarySummary[],
  ): Promise<void> {
    const openIds = new Set(open.map(r => r.id));
    await Promise.all(
      forgottenCanaries(open, listed).map(ref =>
        this.lanes.run(canaryKey(ref), () =>
          // A canary created again since the list has a newer rollout: leave that one alone.
          this.closeOpenRollout(ref, forgottenReason(cluster), latest => openIds.has(latest.id)),
        ),
      ),
    );
  }

  /** Ends a running rollout whose canary goes away (when `still` agrees about the latest one). */
  private async closeOpenRollout(
    ref: CanaryRef,
    reason: string,
    still: (latest: Rollout) => boolean = () => true,
  ): Promise<void> {
    const latest = (await this.options.store.latestRollouts([ref])).get(canaryKey(ref));
    if (!latest || TERMINAL.has(latest.outcome) || !still(latest)) return;
    await this.upsert({
      cluster: latest.cluster,
      namespace: latest.namespace,
      name: latest.name,
      revision: latest.revision,
      images: { canary: [], primary: [] },
      observedAt: this.now().toISOString(),
      outcome: 'Superseded',
      reason,
      weight: 0,
      failedChecks: latest.failedChecks,
    });
  }

  /**
   * Upserts the observation; first, a running rollout of another, older revision of the canary
   * is marked Superseded (a new revision replaced it before it finished).
   */
  private async recordObservation(observation: RolloutObservation): Promise<Rollout> {
    const key = canaryKey(observation);
    const latest = (await this.options.store.latestRollouts([observation])).get(key);
    const start = Date.parse(observation.startedAt ?? observation.observedAt);
    if (
      latest &&
      latest.revision !== observation.revision &&
      !TERMINAL.has(latest.outcome) &&
      Date.parse(latest.startedAt) < start
    ) {
      await this.upsert({
        cluster: latest.cluster,
        namespace: latest.namespace,
        name: latest.name,
        revision: latest.revision,
        images: { canary: [], primary: [] },
        observedAt: new Date(start).toISOString(),
        outcome: 'Superseded',
        reason: `superseded by revision ${observation.revision} before it finished`,
        weight: 0,
        failedChecks: latest.failedChecks,
      });
    }
    return this.upsert(observation);
  }

  private async upsert(observation: RolloutObservation): Promise<Rollout> {
    const result = await this.options.store.upsertRollout(observation);
    if (result.changed) this.options.feed.publish({ type: 'rollout', rollout: result.rollout });
    if (result.previousOutcome !== result.rollout.outcome) {
      this.notify(result.rollout, result.previousOutcome);
    }
    return result.rollout;
  }

  /** Listeners run after the current work, each guarded: they never delay or break ingestion. */
  private notify(rollout: Rollout, previousOutcome: RolloutOutcome | undefined): void {
    for (const listener of this.options.listeners ?? []) {
      setImmediate(() => {
        try {
          listener({ rollout, ...(previousOutcome !== undefined ? { previousOutcome } : {}) });
        } catch (error) {
          this.options.logger.error(
            `canary ingestion: a rollout listener failed: ${errorText(error)}`,
          );
        }
      });
    }
  }

  /** Reads one canary's detail and records it in the canary's lane. */
  private async readDetail(ref: CanaryRef): Promise<void> {
    if (!this.running) return;
    const detail = await this.options.registry.get(ref.cluster).get(ref.namespace, ref.name);
    if (detail) await this.lanes.run(canaryKey(ref), () => this.recordDetail(detail));
  }

  private async recordDetail(detail: CanaryDetail): Promise<void> {
    const observation = observeDetail(detail, this.now());
    if (!observation) return;
    const { store } = this.options;
    const rollout = await this.recordObservation(observation);
    const checks = await store.addChecks(
      rollout.id,
      checksOfRollout(detail.checks, rollout.startedAt),
    );
    const events = await store.addEvents(
      rollout.id,
      eventsOfRollout(detail.events, rollout.startedAt),
    );
    const actorAdded = await this.recordActor(rollout, detail);
    if (checks > 0 || events > 0 || actorAdded) await this.publishRollout(rollout.id);
  }

  /** Adds the acknowledged manual action of the summary's revision; true when it is new. */
  private async recordActor(rollout: Rollout, summary: CanarySummary): Promise<boolean> {
    const actor = actorOf(summary);
    if (!actor) return false;
    const at = Date.parse(actor.at);
    const known = rollout.actors.some(
      a => a.action === actor.action && a.by === actor.by && Date.parse(a.at) === at,
    );
    if (known) return false;
    await this.options.store.addActor(rollout.id, actor);
    return true;
  }

  private async publishRollout(id: string): Promise<void> {
    const fresh = await this.options.store.getRollout(id);
    if (!fresh) return;
    const { checks: _checks, events: _events, ...rollout } = fresh;
    this.options.feed.publish({ type: 'rollout', rollout });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
