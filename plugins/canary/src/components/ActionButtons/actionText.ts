import type { CanaryAction } from '@aviary/backstage-plugin-canary-common';

/** Button labels and what each action does, for the confirmation dialog. */
export const ACTION_TEXT: Record<CanaryAction, { label: string; effect: string }> = {
  promote: {
    label: 'Promote',
    effect: 'skips the remaining analysis and promotes the canary to the primary',
  },
  abort: {
    label: 'Abort',
    effect: 'stops the analysis and routes all traffic back to the primary',
  },
  retry: { label: 'Retry', effect: 'starts the analysis of this revision again' },
  pause: { label: 'Pause', effect: 'holds the canary at its current weight' },
  resume: { label: 'Resume', effect: 'continues the analysis from where it was paused' },
};

export const ACTION_PERMISSION_HINT = 'You need the canary.action permission on this entity';
