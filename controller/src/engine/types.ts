// The engine's contract: what one tick reads (Canary + Observation + CheckResults + now) and what
// it returns (a request for checks, or the actions to apply and when the canary is next due).
import type { DateTime } from 'luxon';
import type {
  Canary,
  CanaryMetric,
  CanaryPhase,
  CanaryStatus,
  CanaryWebhook,
} from '../api/types.js';

// ---------------------------------------------------------------------------------------------
// Inputs

/** A Deployment condition as the engine needs it (Progressing, Available). */
export interface DeploymentCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

/** What the informer cache says about one Deployment. */
export interface DeploymentObservation {
  generation: number;
  observedGeneration: number;
  /** `spec.replicas` (Kubernetes defaults an unset value to 1). */
  specReplicas: number;
  /** `status.replicas`, `status.updatedReplicas`, ... (0 when absent). */
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  conditions: DeploymentCondition[];
}

/** The user's workload (the canary). */
export interface TargetObservation extends DeploymentObservation {
  /** Stable hash of `spec.template`: the value kept in `status.lastAppliedSpec`. */
  revision: string;
  /** `configmap/<name>` / `secret/<name>` to data checksum, as in `status.trackedConfigs`. */
  trackedConfigs: Record<string, string>;
}

/** The `<target>-primary` Deployment. */
export interface PrimaryObservation extends DeploymentObservation {
  /**
   * The revision key the executor stamped on the primary when it created or promoted it
   * (the `revision` of `ensurePrimary` / `copyTargetToPrimary`); undefined when unknown.
   * Lets a restart tell "promotion already copied" from "promotion not started".
   */
  revision?: string;
}

/** Traffic split as read back from (or written to) the VirtualService. */
export interface Routes {
  primaryWeight: number;
  canaryWeight: number;
  mirrored: boolean;
}

export interface Observation {
  /** The target, or why it cannot be used (not found, no selector label, missing config, ...). */
  target: TargetObservation | { error: string };
  /** Undefined while the primary Deployment does not exist. */
  primary?: PrimaryObservation;
  /** Undefined while the VirtualService does not exist or has no primary/canary route. */
  routes?: Routes;
  /** The target's autoscaler (only when `autoscalerRef` is set and the object exists). */
  autoscaler?: { minReplicas?: number };
}

export interface TickInput {
  canary: Canary;
  observation: Observation;
  now: DateTime;
}

// ---------------------------------------------------------------------------------------------
// Checks: what the engine asks the executor to measure, and the answers.

export type MetricSource = 'builtin' | 'inline' | 'template';

/** The status fields that identify a revision (what Flagger's webhook checksum hashes). */
export type Revision = Required<Pick<CanaryStatus, 'lastAppliedSpec' | 'trackedConfigs'>>;

export type Check =
  /** Are the metric providers reachable (`vector(1)` returns 1, templates' servers answer)? */
  | { kind: 'providers'; id: string }
  /**
   * Call the hook with `phase` in the payload and the checksum of `revision` (the revision the
   * hook is asked about: for confirm-rollout the target's pending one, else the analysed one).
   */
  | { kind: 'webhook'; id: string; hook: CanaryWebhook; phase: CanaryPhase; revision: Revision }
  /** Requests the canary served within the analysis interval (`minRequestCount`). */
  | { kind: 'request-count'; id: string }
  | { kind: 'metric'; id: string; metric: CanaryMetric; source: MetricSource }
  /** The canary-versus-primary comparison of `analysis.judge`. */
  | { kind: 'judge'; id: string };

export type CheckStage =
  | 'metric-providers'
  | 'confirm-rollout'
  | 'rollback'
  | 'pre-rollout'
  | 'analysis'
  | 'confirm-traffic-increase'
  | 'confirm-promotion';

/**
 * One batch of checks, in order. Webhooks must be called in that order, and the executor may stop
 * calling them once one fails (`first-failure`) or succeeds (`first-success`): the engine reads
 * results in order and ignores everything after the deciding one. Read-only checks (metrics,
 * request count, judge) may be fetched together, grouped with other canaries' queries.
 */
export interface CheckRound {
  stage: CheckStage;
  checks: Check[];
  stopAt: 'first-failure' | 'first-success' | 'none';
}

export type MetricVerdict =
  { ok: true } | { ok: false; bound: 'min' | 'max'; limit: number } | { ok: false; reason: string };

export type CheckResult =
  | { kind: 'providers'; ok: true }
  | { kind: 'providers'; ok: false; error: string }
  | { kind: 'webhook'; ok: true }
  | { kind: 'webhook'; ok: false; error: string }
  /** `verdict` comes from a judge other than `thresholdRange`; absent, the engine applies it. */
  | { kind: 'metric'; outcome: 'value'; value: number; verdict?: MetricVerdict }
  | { kind: 'metric'; outcome: 'no-data'; error: string }
  /** `stage: 'template'`: the MetricTemplate could not be used (missing, bad provider). */
  | { kind: 'metric'; outcome: 'error'; error: string; stage?: 'template' | 'query' }
  | { kind: 'request-count'; ok: true; count: number }
  | { kind: 'request-count'; ok: false; error: string }
  | { kind: 'judge'; ok: true }
  | { kind: 'judge'; ok: false; reason: string };

/** Results by `Check.id`, accumulated over the rounds of one tick. */
export type CheckResults = Readonly<Record<string, CheckResult>>;

// ---------------------------------------------------------------------------------------------
// Outputs

export type AlertSeverity = 'info' | 'warn' | 'error';
export type Strategy = 'canary' | 'blue-green' | 'ab-testing';

export interface AlertField {
  title: string;
  value: string;
}

/**
 * Session-affinity cookies (`name=value`) for the router, named like the status fields they come
 * from (and like the router's `SetRoutesOptions.cookies`). Status is authoritative: the engine
 * derives them, so the executor passes them on and ignores cookies the router would generate.
 */
export type AffinityCookies = Pick<
  CanaryStatus,
  'sessionAffinityCookie' | 'primarySessionAffinityCookie' | 'previousSessionAffinityCookie'
>;

export type MetricRecord =
  | { metric: 'status'; value: 0 | 1 | 2 }
  | { metric: 'weight'; primary: number; canary: number }
  | { metric: 'analysis'; name: string; value: number }
  | {
      metric: 'successes' | 'failures';
      strategy: Strategy;
      analysisStatus: 'completed' | 'skipped';
    };

/**
 * Cluster changes. Every one is idempotent (an absolute target, never an increment), so
 * applying a prefix of a tick's actions and then the whole tick again converges.
 */
export type Effect =
  | { type: 'addFinalizer' }
  | { type: 'removeFinalizer' }
  /** Create/update `<apex>-canary` and `<apex>-primary` Services. */
  | { type: 'ensureServices' }
  /** Create `<target>-primary` from the target when missing, stamped with `revision`. */
  | { type: 'ensurePrimary'; revision: string }
  /** `create`: make `<hpa>-primary` when missing; `sync`: also update it from the target's. */
  | { type: 'ensurePrimaryAutoscaler'; mode: 'create' | 'sync' }
  /** Point the apex Service at the primary pods (create it when missing). */
  | { type: 'ensureApexService' }
  /** Reconcile DestinationRules + VirtualService; a rewritten VirtualService gets `routes`. */
  | { type: 'ensureRouting'; routes: Routes }
  | { type: 'setRoutes'; routes: Routes; cookies?: AffinityCookies }
  | { type: 'scaleTarget'; replicas: number }
  /** KEDA ScaledObject pause/resume (only emitted for that autoscaler kind). */
  | { type: 'setTargetScalerPaused'; paused: boolean }
  /** Promote: copy the target's template and configs to the primary, stamped with `revision`. */
  | { type: 'copyTargetToPrimary'; revision: string }
  /** Revert on deletion: apex Service and VirtualService back to their pre-canary state. */
  | { type: 'revertApexService' }
  | { type: 'revertRouting' };

/** The commit point: replace `.status` with optimistic concurrency on `resourceVersion`. */
export interface WriteStatus {
  type: 'writeStatus';
  status: CanaryStatus;
  resourceVersion?: string;
}

/** After the commit. Best effort: a failure is logged, never retried by the engine. */
export type Notification =
  /** A Kubernetes Event on the Canary (reason Synced, as Flagger); also fans out to event hooks. */
  | { type: 'emitEvent'; eventType: 'Normal' | 'Warning'; reason: 'Synced'; message: string }
  | { type: 'sendAlert'; severity: AlertSeverity; message: string; fields: AlertField[] }
  | {
      type: 'runWebhooks';
      hookType: 'post-rollout';
      phase: CanaryPhase;
      hooks: CanaryWebhook[];
    }
  | { type: 'recordMetric'; record: MetricRecord };

/** Ordered: effects, then at most one writeStatus, then notifications. */
export type Action = Effect | WriteStatus | Notification;

export type TickDecision =
  /** Run these checks, add their results, and call `decideTick` again with the same input. */
  | { kind: 'measure'; round: CheckRound }
  | {
      kind: 'act';
      actions: Action[];
      /** When to tick again even if no watch event arrives. */
      nextDueAt: DateTime;
      /** True when the tick ran an analysis (the executor times these for the histogram). */
      analysed: boolean;
    };
