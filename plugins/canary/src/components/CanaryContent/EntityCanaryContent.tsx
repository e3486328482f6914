import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { canaryKey } from '@aviary/backstage-plugin-canary-common';
import type { EntityCanary } from '@aviary/backstage-plugin-canary-common';
import { useLiveCanaries } from '../../hooks/useLiveCanaries';
import { CanaryErrorPanel } from '../status/CanaryErrorPanel';
import { EntityCanariesBoundary } from '../status/EntityCanariesBoundary';
import { CanaryLiveSection } from './CanaryLiveSection';
import { StreamIndicator } from './StreamIndicator';

function LiveCanaries(props: { initial: EntityCanary[]; entityRef: string }) {
  const { canaries, rolloutVersions, streamState } = useLiveCanaries(props.initial);
  return (
    <>
      <Box display="flex" justifyContent="flex-end" mb={1}>
        <StreamIndicator state={streamState} />
      </Box>
      {canaries.map(canary => {
        const key = canaryKey(canary.ref);
        return (
          <Box key={key} component="section" mb={4} aria-label={`canary ${key}`}>
            {'state' in canary ? (
              <CanaryLiveSection
                canary={canary.state}
                entityRef={props.entityRef}
                historyVersion={rolloutVersions[key]}
              />
            ) : (
              <>
                <Typography variant="h6">
                  {canary.ref.namespace}/{canary.ref.name}
                </Typography>
                <CanaryErrorPanel canaryRef={canary.ref} error={canary.error} />
              </>
            )}
          </Box>
        );
      })}
    </>
  );
}

/** The Canary tab: live state, charts, events, history and actions of each canary of the entity. */
export function EntityCanaryContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  return (
    <EntityCanariesBoundary entity={entity}>
      {canaries => <LiveCanaries initial={canaries} entityRef={entityRef} />}
    </EntityCanariesBoundary>
  );
}
