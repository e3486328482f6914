// The single `Promoted` condition (spec 1.8): reason = phase, for `kubectl wait --for=condition=promoted`.
import type { CanaryCondition, CanaryPhase } from '../api/types.js';

type ConditionStatus = CanaryCondition['status'];

function promotedFor(
  phase: CanaryPhase,
  kind: string,
): { status: ConditionStatus; message: string } | undefined {
  switch (phase) {
    case 'Initializing':
      return { status: 'Unknown', message: `New ${kind} detected, starting initialization.` };
    case 'Initialized':
      return { status: 'True', message: `${kind} initialization completed.` };
    case 'Waiting':
    case 'WaitingPromotion':
      return { status: 'Unknown', message: 'Waiting for approval.' };
    case 'Progressing':
      return {
        status: 'Unknown',
        message: 'New revision detected, progressing canary analysis.',
      };
    case 'Promoting':
      return {
        status: 'Unknown',
        message: 'Canary analysis completed, starting primary rolling update.',
      };
    case 'Finalising':
      return {
        status: 'Unknown',
        message: 'Canary analysis completed, routing all traffic to primary.',
      };
    case 'Succeeded':
      return {
        status: 'True',
        message: 'Canary analysis completed successfully, promotion finished.',
      };
    case 'Failed':
      return { status: 'False', message: `Canary analysis failed, ${kind} scaled to zero.` };
    default:
      return undefined;
  }
}

/**
 * The conditions after moving to `phase`: the Promoted condition is replaced only when its status
 * or reason changes, and keeps its lastTransitionTime when only the reason changes.
 */
export function promotedConditions(
  current: CanaryCondition[] | undefined,
  phase: CanaryPhase,
  kind: string,
  now: string,
): CanaryCondition[] {
  const others = (current ?? []).filter(c => c.type !== 'Promoted');
  const previous = (current ?? []).find(c => c.type === 'Promoted');
  const wanted = promotedFor(phase, kind);
  if (!wanted) return current ?? [];
  if (previous && previous.status === wanted.status && previous.reason === phase) {
    return current ?? [];
  }
  const transitioned = !previous || previous.status !== wanted.status;
  const condition: CanaryCondition = {
    type: 'Promoted',
    status: wanted.status,
    lastUpdateTime: now,
    lastTransitionTime: transitioned ? now : (previous.lastTransitionTime ?? now),
    reason: phase,
    message: wanted.message,
  };
  return [...others, condition];
}
