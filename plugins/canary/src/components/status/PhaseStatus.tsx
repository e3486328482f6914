import type { CanarySummary } from '@aviary/backstage-plugin-canary-common';
import { phaseLabel, phaseTone } from './phase';
import { ToneStatus } from './ToneStatus';

/** The phase with its status colour. */
export function PhaseStatus(props: {
  canary: Pick<CanarySummary, 'phase' | 'paused' | 'failedChecks'>;
}) {
  return (
    <ToneStatus tone={phaseTone(props.canary)} testId="canary-phase">
      {phaseLabel(props.canary)}
    </ToneStatus>
  );
}
