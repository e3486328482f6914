// Applies a stream message (a canary's summary) to the detail on screen until the next full read.
import type { CanaryDetail, CanarySummary } from '@aviary/backstage-plugin-canary-common';

export function mergeSummary(detail: CanaryDetail, summary: CanarySummary, nowIso: string) {
  const next: CanaryDetail = { ...detail, ...summary };
  if (summary.weight !== detail.weight || summary.phase !== detail.phase) {
    next.changes = [
      ...detail.changes,
      {
        type: summary.phase !== detail.phase ? 'phase' : 'weight',
        phase: summary.phase,
        weight: summary.weight,
        revision: summary.revision,
        at: summary.lastTransitionTime ?? nowIso,
      },
    ];
  }
  // Checks belong to one revision's analysis: a new revision starts with none.
  if (summary.revision !== detail.revision) next.checks = [];
  return next;
}
