import type { RolloutOutcome } from '@aviary/backstage-plugin-canary-common';
import type { PhaseTone } from './phase';

export function outcomeTone(outcome: RolloutOutcome): PhaseTone {
  switch (outcome) {
    case 'Succeeded':
      return 'ok';
    case 'Failed':
      return 'error';
    case 'Running':
      return 'running';
    case 'WaitingPromotion':
      return 'warning';
    case 'Superseded':
      return 'aborted';
    default:
      return 'pending';
  }
}
