// Decisions about a canary's phase: its status colour, the progress to draw and the actions that make
// sense. Pure functions of the reported state.
import type {
  CanaryAction,
  CanaryDetail,
  CanaryPhase,
  CanarySummary,
} from '@aviary/backstage-plugin-canary-common';

export const PHASES: readonly CanaryPhase[] = [
  'Initializing',
  'Initialized',
  'Waiting',
  'Progressing',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
  'Succeeded',
  'Failed',
  'Terminating',
  'Terminated',
];

/** Which core-components Status* a canary shows. */
export type PhaseTone = 'ok' | 'warning' | 'error' | 'running' | 'pending' | 'aborted';

type PhaseState = Pick<CanarySummary, 'phase' | 'paused' | 'failedChecks'>;

export function phaseTone(state: PhaseState): PhaseTone {
  if (state.paused) return 'warning';
  switch (state.phase) {
    case 'Initialized':
    case 'Succeeded':
      return 'ok';
    case 'Progressing':
      // Running, but a failed check means it may be heading for a rollback.
      return state.failedChecks > 0 ? 'warning' : 'running';
    case 'Promoting':
    case 'Finalising':
      return 'running';
    case 'WaitingPromotion':
      return 'warning';
    case 'Failed':
      return 'error';
    case 'Terminated':
      return 'aborted';
    case 'Initializing':
    case 'Waiting':
    case 'Terminating':
    case '':
      return 'pending';
    default:
      return 'pending';
  }
}

export function phaseLabel(state: Pick<CanarySummary, 'phase' | 'paused'>): string {
  const phase = state.phase || 'Unknown';
  return state.paused ? `${phase} (paused)` : phase;
}

/** Progressive canaries move a weight toward maxWeight; A/B and blue/green count iterations. */
export type CanaryProgress =
  | { kind: 'weight'; weight: number; maxWeight: number; percent: number }
  | { kind: 'iterations'; iteration: number; total: number; percent: number };

const clampPercent = (value: number) => Math.max(0, Math.min(100, value));

export function canaryProgress(
  canary: Pick<CanaryDetail, 'weight' | 'iterations' | 'spec'>,
): CanaryProgress {
  const analysis = canary.spec.analysis;
  if (analysis?.iterations !== undefined && analysis.iterations > 0) {
    const total = analysis.iterations;
    return {
      kind: 'iterations',
      iteration: canary.iterations,
      total,
      percent: clampPercent((canary.iterations / total) * 100),
    };
  }
  const maxWeight = analysis?.maxWeight && analysis.maxWeight > 0 ? analysis.maxWeight : 100;
  return {
    kind: 'weight',
    weight: canary.weight,
    maxWeight,
    percent: clampPercent((canary.weight / maxWeight) * 100),
  } satisfies CanaryProgress;
}

export function describeProgress(progress: CanaryProgress): string {
  return progress.kind === 'weight'
    ? `weight ${progress.weight}% of ${progress.maxWeight}%`
    : `iteration ${progress.iteration}/${progress.total}`;
}

/** The manual actions offered for a canary's current state, in display order. */
export function allowedActions(state: Pick<CanarySummary, 'phase' | 'paused'>): CanaryAction[] {
  const running = state.phase === 'Progressing' || state.phase === 'WaitingPromotion';
  const actions: CanaryAction[] = [];
  if (running) actions.push('promote');
  if (state.phase === 'Progressing' && !state.paused) actions.push('pause');
  if (state.paused) actions.push('resume');
  if (running || state.paused) actions.push('abort');
  if (state.phase === 'Failed') actions.push('retry');
  return actions;
}
