import type { ReactNode } from 'react';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type { PhaseTone } from './phase';

const STATUS: Record<PhaseTone, typeof StatusOK> = {
  ok: StatusOK,
  warning: StatusWarning,
  error: StatusError,
  running: StatusRunning,
  pending: StatusPending,
  aborted: StatusAborted,
};

/** A core-components status in the given tone; `data-tone` exposes the decision to tests. */
export function ToneStatus(props: { tone: PhaseTone; testId?: string; children: ReactNode }) {
  const Status = STATUS[props.tone];
  return (
    <span data-testid={props.testId} data-tone={props.tone}>
      <Status>{props.children}</Status>
    </span>
  );
}
