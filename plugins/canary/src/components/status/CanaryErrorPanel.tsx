import { WarningPanel } from '@backstage/core-components';
import type { CanaryRef } from '@aviary/backstage-plugin-canary-common';

/** One canary that could not be read, shown in place while the others render. */
export function CanaryErrorPanel(props: {
  canaryRef: CanaryRef;
  error: { status: number; message: string };
}) {
  const { canaryRef: ref, error } = props;
  return (
    <WarningPanel
      severity="warning"
      defaultExpanded
      title={`Canary ${ref.namespace}/${ref.name} on ${ref.cluster} is unavailable`}
      message={`${error.message} (HTTP ${error.status})`}
    />
  );
}
