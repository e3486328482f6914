import Box from '@material-ui/core/Box';
import Divider from '@material-ui/core/Divider';
import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { canaryKey } from '@aviary/backstage-plugin-canary-common';
import { CanaryErrorPanel } from '../status/CanaryErrorPanel';
import { CanaryStatePanel } from '../status/CanaryStatePanel';
import { EntityCanariesBoundary } from '../status/EntityCanariesBoundary';

/** The overview-tab card: each canary of the entity in its own section. */
export function EntityCanaryCard(props: { title?: string }) {
  const { entity } = useEntity();
  return (
    <InfoCard title={props.title ?? 'Canary'} variant="gridItem">
      <EntityCanariesBoundary entity={entity}>
        {canaries => (
          <>
            {canaries.map((canary, index) => (
              <Box key={canaryKey(canary.ref)} component="section" mt={index > 0 ? 2 : 0}>
                {index > 0 && (
                  <Box mb={2}>
                    <Divider />
                  </Box>
                )}
                {'state' in canary ? (
                  <CanaryStatePanel canary={canary.state} />
                ) : (
                  <CanaryErrorPanel canaryRef={canary.ref} error={canary.error} />
                )}
              </Box>
            ))}
          </>
        )}
      </EntityCanariesBoundary>
    </InfoCard>
  );
}
