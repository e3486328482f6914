// The one sentence a developer reads first: what the canary is doing and why.
import type { CanaryDetail } from '@aviary/backstage-plugin-canary-common';
import { describeCheck, latestFailingCheck } from './metrics';
import { canaryProgress, describeProgress } from './phase';

/** "6.0.1" from "ghcr.io/org/podinfo:6.0.1" (a digest is dropped); undefined without a tag. */
export function imageTag(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const withoutDigest = image.split('@')[0] ?? image;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(colon + 1) : undefined;
}

/** What to call the revision under analysis: its image tag, else its short hash, else the target. */
export function canaryVersion(canary: Pick<CanaryDetail, 'images' | 'revision' | 'target'>) {
  return imageTag(canary.images.canary[0]) ?? canary.revision?.slice(0, 8) ?? canary.target;
}

export function primaryVersion(canary: Pick<CanaryDetail, 'images' | 'promotedRevision'>) {
  return imageTag(canary.images.primary[0]) ?? canary.promotedRevision?.slice(0, 8);
}

function checksText(canary: CanaryDetail): string {
  const threshold = canary.spec.analysis?.threshold;
  if (canary.failedChecks === 0) return 'all checks passing';
  const noun = canary.failedChecks === 1 ? 'failed check' : 'failed checks';
  const count =
    threshold !== undefined
      ? `${canary.failedChecks} of ${threshold} ${noun}`
      : `${canary.failedChecks} ${noun}`;
  const failing = latestFailingCheck(canary.checks);
  return failing ? `${count} (${describeCheck(failing)})` : count;
}

export function verdictSentence(canary: CanaryDetail): string {
  const version = canaryVersion(canary);
  const progress = describeProgress(canaryProgress(canary));
  if (canary.paused) {
    return `Paused: ${version} holds at ${progress} until resumed`;
  }
  switch (canary.phase) {
    case 'Progressing':
      // "Analysing", not "Promoting": Promoting is the next phase, and the two must not read alike.
      return `Analysing ${version}: ${progress}, ${checksText(canary)}`;
    case 'WaitingPromotion':
      return `Waiting for promotion of ${version}: analysis passed at ${progress}`;
    case 'Promoting':
      return `Promoting ${version}: copying the canary to the primary`;
    case 'Finalising':
      return `Finalising ${version}: routing all traffic to the primary`;
    case 'Succeeded':
      return `Promoted ${version}: the primary runs it`;
    case 'Failed': {
      const failing = latestFailingCheck(canary.checks);
      if (failing) return `Halted: ${describeCheck(failing)}`;
      return `Halted: ${canary.message || 'the analysis failed'}`;
    }
    case 'Initializing':
      return 'Initializing: creating the primary deployment and routes';
    case 'Initialized': {
      const primary = primaryVersion(canary);
      return primary
        ? `Idle: the primary runs ${primary}, no rollout in progress`
        : 'Idle: no rollout in progress';
    }
    case 'Waiting':
      return `Waiting: ${canary.message || 'the rollout has not started yet'}`;
    case 'Terminating':
      return `Terminating: handing ${canary.target} back to its Deployment`;
    case 'Terminated':
      return `Terminated: the canary no longer manages ${canary.target}`;
    case '':
      return 'Not yet seen by the controller';
    default:
      return canary.message || `Phase ${String(canary.phase)}`;
  }
}
