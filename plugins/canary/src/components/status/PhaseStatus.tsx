import React from 'react';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type { CanarySummary } from '@aviary/backstage-plugin-canary-common';
import { phaseLabel, phaseTone } from './phase';
import type { PhaseTone } from './phase';

const STATUS: Record<PhaseTone, typeof StatusOK> = {
  ok: StatusOK,
  warning: StatusWarning,
  error: StatusError,
  running: StatusRunning,
  pending: StatusPending,
  aborted: StatusAborted,
};

/** The phase with its status colour; `data-tone` lets tests and styles read the decision. */
export function PhaseStatus(props: { canary: Pick<CanarySummary, 'phase' | 'paused' | 'failedChecks'> }) {
  const tone = phaseTone(props.canary);
  const Status = STATUS[tone];
  return (
    <span data-testid="canary-phase" data-tone={tone}>
      <Status>{phaseLabel(props.canary)}</Status>
    </span>
  );
}
