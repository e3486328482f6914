// `backstage-cli package start`: the plugin's pages with a simulated canary API and a fixture entity.
import type { ReactNode } from 'react';
import { createDevApp } from '@backstage/dev-utils';
import { attachComponentData } from '@backstage/core-plugin-api';
import { EntityProvider, entityRouteRef } from '@backstage/plugin-catalog-react';
import { DateTime } from 'luxon';
import { canaryApiRef, canaryPlugin, CanaryOverviewPage, ClockProvider } from '../src';
import { EntityCanaryCard, EntityCanaryContent } from '../src/plugin';
import { entity, NOW } from '../src/testing/fixtures';
import { simulatedCanaryApi } from './simulatedCanaryApi';

// The fixtures are dated around NOW: the dev clock starts there and runs in real time.
const started = Date.now();
const clock = () => DateTime.fromISO(NOW).plus(Date.now() - started);

function Fixture(props: { children: ReactNode }) {
  return (
    <ClockProvider now={clock}>
      <EntityProvider entity={entity}>{props.children}</EntityProvider>
    </ClockProvider>
  );
}

// Entity links need the catalog's entity page to exist somewhere; this stands in for it.
function EntityPageStub() {
  return <div>The catalog entity page would be here.</div>;
}
attachComponentData(EntityPageStub, 'core.mountPoint', entityRouteRef);

createDevApp()
  .registerPlugin(canaryPlugin)
  .registerApi({ api: canaryApiRef, deps: {}, factory: () => simulatedCanaryApi(clock) })
  .addPage({
    path: '/canary-tab',
    title: 'Canary tab',
    element: (
      <Fixture>
        <EntityCanaryContent />
      </Fixture>
    ),
  })
  .addPage({
    path: '/canary-card',
    title: 'Canary card',
    element: (
      <Fixture>
        <div style={{ maxWidth: 640, padding: 24 }}>
          <EntityCanaryCard />
        </div>
      </Fixture>
    ),
  })
  .addPage({
    path: '/canary',
    title: 'Canaries',
    element: (
      <Fixture>
        <CanaryOverviewPage />
      </Fixture>
    ),
  })
  .addPage({ path: '/catalog/:namespace/:kind/:name', element: <EntityPageStub /> })
  .render();
