// The JSON shapes the canary backend serves under /api/canary and the frontend reads. One source for
// both plugins: change a shape here and both sides stop compiling until they agree.

/** A canary across clusters: the controller (cluster) that runs it, its namespace and name. */
export interface CanaryRef {
  cluster: string;
  namespace: string;
  name: string;
}

/** Flagger's phases, which Aviary keeps. */
export type CanaryPhase =
  | 'Initializing'
  | 'Initialized'
  | 'Waiting'
  | 'Progressing'
  | 'WaitingPromotion'
  | 'Promoting'
  | 'Finalising'
  | 'Succeeded'
  | 'Failed'
  | 'Terminating'
  | 'Terminated';

export type CanaryAction = 'promote' | 'abort' | 'retry' | 'pause' | 'resume';
export const CANARY_ACTIONS: readonly CanaryAction[] = [
  'promote',
  'abort',
  'retry',
  'pause',
  'resume',
];

/** The last manual action the controller acknowledged (`status.manualAction`). */
export interface ManualActionAck {
  id?: string;
  action?: string;
  revision?: string;
  requestedBy?: string;
  reason?: string;
  outcome?: 'Applied' | 'Refused';
  message?: string;
  acknowledgedAt?: string;
}

/** What a list shows of a canary; the same fields the controller's stream carries. */
export interface CanarySummary extends CanaryRef {
  /** The Deployment the canary rolls out. */
  target: string;
  /** Empty while the controller has not yet seen the canary. */
  phase: CanaryPhase | '';
  /** Current canary traffic weight in percent. */
  weight: number;
  failedChecks: number;
  iterations: number;
  /** Hash of the pod template under analysis (`status.lastAppliedSpec`). */
  revision?: string;
  promotedRevision?: string;
  paused: boolean;
  lastTransitionTime?: string;
  message?: string;
  manualAction?: ManualActionAck;
}

/** The analysis part of the spec that the UI needs to draw progress. */
export interface AnalysisSummary {
  interval?: string;
  threshold?: number;
  maxWeight?: number;
  stepWeight?: number;
  stepWeights?: number[];
  /** Set for A/B and blue/green: a fixed number of iterations instead of weight steps. */
  iterations?: number;
  metrics: string[];
}

export interface ThresholdRange {
  min?: number;
  max?: number;
}

/** One measurement of one metric, and how it was judged. */
export interface CheckResult {
  time: string;
  metric: string;
  /** null when the query returned no data or failed (see `outcome`). */
  value: number | null;
  outcome: 'value' | 'no-data' | 'error';
  thresholdRange: ThresholdRange;
  verdict: 'pass' | 'fail' | 'skip';
  message?: string;
}

/** A Kubernetes Event about the canary. */
export interface CanaryEvent {
  type: string;
  reason: string;
  message: string;
  count: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
}

/** A change of phase or weight the controller observed. */
export interface CanaryChange {
  type: string;
  phase: string;
  weight: number;
  revision?: string;
  at: string;
}

/** The live state of one canary, as the controller reports it now. */
export interface CanaryDetail extends CanarySummary {
  spec: {
    targetRef?: { apiVersion?: string; kind?: string; name: string };
    service?: { name: string; port?: number };
    analysis?: AnalysisSummary;
    skipAnalysis?: boolean;
  };
  /** Current VirtualService weights, when the route exists. */
  weights?: { primary: number; canary: number; virtualService: string };
  images: { canary: string[]; primary: string[] };
  /** Checks of the running analysis (the current revision only). */
  checks: CheckResult[];
  /** Recent Events, newest first. */
  events: CanaryEvent[];
  changes: CanaryChange[];
  /** The controller's full `status`, for a details drawer. */
  status: Record<string, unknown>;
}

/** How a recorded rollout ended; `Running` while it is under analysis. */
export type RolloutOutcome = 'Running' | 'WaitingPromotion' | 'Succeeded' | 'Failed' | 'Superseded';

/** Someone (or the controller) acting on a rollout. */
export interface RolloutActor {
  action: CanaryAction | string;
  by: string;
  reason?: string;
  at: string;
  outcome?: 'Applied' | 'Refused' | 'Requested';
}

/** One revision the controller analysed: the durable history record. */
export interface Rollout extends CanaryRef {
  id: string;
  revision: string;
  images: { canary: string[]; primary: string[] };
  startedAt: string;
  endedAt?: string;
  outcome: RolloutOutcome;
  /** Why it ended (or why it waits), in the controller's words. */
  reason?: string;
  actors: RolloutActor[];
  /** Largest canary weight reached. */
  maxWeightReached: number;
  /** Measurements recorded (one metric at one time) and how many of them failed. */
  failedChecks: number;
  checkCount: number;
}

/** An Event as stored with a rollout. */
export interface RolloutEvent {
  time: string;
  type: string;
  reason: string;
  message: string;
}

export interface RolloutWithChecks extends Rollout {
  checks: CheckResult[];
  events: RolloutEvent[];
}

/** A canary of an entity, or why it could not be read (controller down, unknown cluster, ...). */
export type EntityCanary =
  | { ref: CanaryRef; state: CanaryDetail }
  | { ref: CanaryRef; error: { status: number; message: string } };

/** GET /entity/:kind/:namespace/:name/canaries */
export interface EntityCanariesResponse {
  entityRef: string;
  canaries: EntityCanary[];
}

/** One row of the org-wide overview. */
export interface OverviewItem {
  canary: CanarySummary;
  /** The entity whose `aviary.dev/canary` annotation names this canary, if any. */
  entityRef?: string;
  /** The entity's owner (`spec.owner`), as an entity ref. */
  owner?: string;
  /** The latest rollout recorded for the canary. */
  lastRollout?: Rollout;
}

/** GET /canaries?owner=&phase=&cluster= */
export interface OverviewResponse {
  items: OverviewItem[];
  /** Controllers that could not be reached; their canaries come from history only. */
  unreachable: string[];
}

/** GET /clusters/:cluster/namespaces/:namespace/canaries/:name/rollouts?limit=&before= */
export interface RolloutPage {
  items: Rollout[];
  /** Pass as `before` to get the next (older) page. */
  next?: string;
}

/** POST /clusters/:cluster/namespaces/:namespace/canaries/:name/actions */
export interface ActionRequest {
  action: CanaryAction;
  /** Required: it goes into the audit trail and the controller's acknowledgement. */
  reason: string;
  /** The revision the user saw; the controller refuses the action if another one is now running. */
  revision?: string;
}

export interface ActionResponse {
  requestId: string;
  action: CanaryAction;
  ref: CanaryRef;
}

/** Every error body the backend sends. */
export interface ErrorBody {
  error: { name: string; message: string };
  request?: { method: string; url: string };
  response: { statusCode: number };
}

/** Server-sent events of GET /stream (`event:` line = `type`). */
export type CanaryStreamMessage =
  | { type: 'canary'; canary: CanarySummary; deleted?: boolean }
  | { type: 'rollout'; rollout: Rollout };
