// The durable rollout history: what the store offers to ingestion (writes) and routes (reads).
import type {
  CanaryRef,
  CheckResult,
  Rollout,
  RolloutActor,
  RolloutEvent,
  RolloutOutcome,
  RolloutPage,
  RolloutWithChecks,
} from '@aviary/backstage-plugin-canary-common';

/** What ingestion knows about a revision when it sees it. */
export interface RolloutObservation extends CanaryRef {
  revision: string;
  images: { canary: string[]; primary: string[] };
  /** When this state was true (the controller's transition time when known). */
  observedAt: string;
  /** When the analysis of the revision began, if known; else `observedAt` is used for a new rollout. */
  startedAt?: string;
  outcome: RolloutOutcome;
  reason?: string;
  weight: number;
  failedChecks: number;
}

export interface RolloutStore {
  /**
   * Creates the rollout of (ref, revision) or updates it; returns it with the outcome it had before
   * (undefined when new), so callers can tell transitions. Idempotent: the same observation twice
   * changes nothing.
   */
  upsertRollout(
    observation: RolloutObservation,
  ): Promise<{ rollout: Rollout; previousOutcome?: RolloutOutcome; changed: boolean }>;
  /** Adds checks, ignoring ones already stored (same metric and time). Returns how many were new. */
  addChecks(rolloutId: string, checks: CheckResult[]): Promise<number>;
  /** Adds events, ignoring ones already stored (same time, reason and message). */
  addEvents(rolloutId: string, events: RolloutEvent[]): Promise<number>;
  addActor(rolloutId: string, actor: RolloutActor): Promise<void>;

  listRollouts(ref: CanaryRef, page: { limit: number; before?: string }): Promise<RolloutPage>;
  getRollout(id: string): Promise<RolloutWithChecks | undefined>;
  /** The newest rollout of each canary given (missing ones are absent from the map, keyed by canaryKey). */
  latestRollouts(refs: CanaryRef[]): Promise<Map<string, Rollout>>;
  /** The rollouts of a cluster that have not ended (Running, WaitingPromotion), oldest first. */
  listOpenRollouts(cluster: string): Promise<Rollout[]>;

  /** Resume point of a controller's stream, kept across backend restarts. */
  getStreamCursor(cluster: string): Promise<string | undefined>;
  setStreamCursor(cluster: string, eventId: string): Promise<void>;

  /** Deletes rollouts that ended before `cutoff` with their checks and events; returns how many. */
  deleteEndedBefore(cutoff: string): Promise<number>;
}
