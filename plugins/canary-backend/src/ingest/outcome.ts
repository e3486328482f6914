// Which rollout outcome a controller phase means. Pure; every phase is decided here.
import {
  canaryKey,
  type CanaryPhase,
  type CanaryRef,
  type RolloutOutcome,
} from '@aviary/backstage-plugin-canary-common';

/**
 * The outcome of the rollout of the summary's revision (`status.lastAppliedSpec`), or undefined
 * when the phase says nothing about a rollout:
 * - '' / Initializing / Initialized: the canary is being set up; its first revision is deployed
 *   as is, nothing is analysed, so there is no rollout.
 * - Waiting: a new revision waits for the confirm-rollout gate (or a free slot), but
 *   `lastAppliedSpec` still names the previous revision, which must not be touched.
 * - Terminating / Terminated: the canary is being deleted; see `closingReason`.
 */
export function rolloutOutcome(phase: CanaryPhase | ''): RolloutOutcome | undefined {
  switch (phase) {
    case 'Progressing':
    case 'Promoting':
    case 'Finalising':
      return 'Running';
    case 'WaitingPromotion':
      return 'WaitingPromotion';
    case 'Succeeded':
      return 'Succeeded';
    case 'Failed':
      return 'Failed';
    case '':
    case 'Initializing':
    case 'Initialized':
    case 'Waiting':
    case 'Terminating':
    case 'Terminated':
      return undefined;
    default: {
      // A phase a newer controller added: record nothing rather than guess.
      const _exhaustive: never = phase;
      return _exhaustive && undefined;
    }
  }
}

/**
 * Why a canary's open rollout ends without an outcome of its own (recorded as Superseded):
 * the canary was deleted, or is being deleted. Undefined when it goes on.
 */
export function closingReason(phase: CanaryPhase | '', deleted: boolean): string | undefined {
  if (deleted) return 'the canary was deleted';
  if (phase === 'Terminating' || phase === 'Terminated') return 'the canary is being deleted';
  return undefined;
}

/**
 * The canaries that have an open rollout but are missing from a successful list of their
 * controller: deleted (or forgotten by a restarted controller) while no stream message could say
 * so. Each once, in the order of `open`.
 */
export function forgottenCanaries(open: CanaryRef[], listed: CanaryRef[]): CanaryRef[] {
  const present = new Set(listed.map(canaryKey));
  const gone = new Map<string, CanaryRef>();
  for (const ref of open) {
    const key = canaryKey(ref);
    if (!present.has(key) && !gone.has(key))
      gone.set(key, { cluster: ref.cluster, namespace: ref.namespace, name: ref.name });
  }
  return [...gone.values()];
}

export function forgottenReason(controller: string): string {
  return `the canary no longer exists on controller ${controller}`;
}
