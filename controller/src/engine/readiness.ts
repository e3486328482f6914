// Deployment readiness (spec 2.4), shared by the primary and canary checks.
import type { DateTime } from 'luxon';
import { parseTime } from './time.js';
import type { DeploymentObservation } from './types.js';

export type Readiness =
  | { ready: true }
  /** `retriable: false`: waiting longer will not help; the run must fail. */
  | { ready: false; retriable: boolean; detail: string };

export interface ReadinessOptions {
  name: string;
  /** Percent of the updated replicas that must be available. */
  threshold: number;
  progressDeadlineSeconds: number;
  now: DateTime;
  /**
   * When the engine last made progress for this workload (status.lastTransitionTime). A
   * workload unavailable since before that is judged from that time, so the deadline counts
   * per phase and not from an old outage the engine has already seen through.
   */
  since?: DateTime;
  /** Treat `spec.replicas: 0` as not ready (the primary: never route traffic to nothing). */
  requireReplicas?: boolean;
}

export function checkReadiness(
  workload: DeploymentObservation | undefined,
  options: ReadinessOptions,
): Readiness {
  if (!workload) {
    return { ready: false, retriable: true, detail: 'waiting for the deployment to be created' };
  }
  if (workload.generation > workload.observedGeneration) {
    return {
      ready: false,
      retriable: true,
      detail: 'observed deployment generation less than desired generation',
    };
  }
  const progressing = workload.conditions.find(c => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      ready: false,
      retriable: false,
      detail: `deployment "${options.name}" exceeded its progress deadline`,
    };
  }
  const waiting = rolloutWait(workload, options.threshold);
  if (waiting) return { ready: false, retriable: !stalled(workload, options), detail: waiting };
  if (options.requireReplicas && workload.specReplicas === 0) {
    // Flagger meant to check this and never did (QUIRK in 2.4): promoting onto a primary with no
    // pods would drop every request, so wait (retriable) instead.
    return { ready: false, retriable: true, detail: 'deployment is scaled to zero' };
  }
  return { ready: true };
}

function rolloutWait(workload: DeploymentObservation, threshold: number): string | undefined {
  const prefix = 'waiting for rollout to finish: ';
  if (workload.updatedReplicas < workload.specReplicas) {
    return `${prefix}${workload.updatedReplicas} out of ${workload.specReplicas} new replicas have been updated`;
  }
  if (workload.replicas > workload.updatedReplicas) {
    return `${prefix}${workload.replicas - workload.updatedReplicas} old replicas are pending termination`;
  }
  const needed = Math.floor((workload.updatedReplicas * threshold) / 100);
  if (workload.availableReplicas < needed) {
    return `${prefix}${workload.availableReplicas} of ${workload.updatedReplicas} (readyThreshold ${threshold}%) updated replicas are available`;
  }
  return undefined;
}

/** Unavailable (Available=False, minimum replicas missing) for longer than the deadline. */
function stalled(workload: DeploymentObservation, options: ReadinessOptions): boolean {
  const available = workload.conditions.find(c => c.type === 'Available');
  if (available?.status !== 'False' || available.reason !== 'MinimumReplicasUnavailable') {
    return false;
  }
  const unavailableSince = parseTime(available.lastTransitionTime ?? available.lastUpdateTime);
  if (!unavailableSince) return false;
  const from = options.since && options.since > unavailableSince ? options.since : unavailableSince;
  return options.now.diff(from).as('seconds') > options.progressDeadlineSeconds;
}
