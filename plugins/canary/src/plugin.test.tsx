import { screen } from '@testing-library/react';
import { EntityProvider, entityRouteRef } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  canaryApiRef,
  canaryPlugin,
  CanaryClient,
  CanaryOverviewPage,
  EntityCanaryCard,
  EntityCanaryContent,
  FixedChartWidth,
  isCanaryAvailable,
} from './index';
import { FakeCanaryApi } from './testing/FakeCanaryApi';
import {
  entity,
  entityWithoutAnnotation,
  overviewItems,
  progressingCanary,
} from './testing/fixtures';
import { Route, Routes } from 'react-router-dom';

describe('canary plugin for the legacy frontend system', () => {
  it('is the canary plugin with a CanaryClient factory', () => {
    expect(canaryPlugin.getId()).toBe('canary');
    const [factory] = [...canaryPlugin.getApis()];
    expect(factory!.api).toBe(canaryApiRef);
    const client = factory!.factory({
      discoveryApi: { getBaseUrl: async () => '' },
      fetchApi: { fetch },
    });
    expect(client).toBeInstanceOf(CanaryClient);
  });

  it('tells whether an entity has canaries', () => {
    expect(isCanaryAvailable(entity)).toBe(true);
    expect(isCanaryAvailable(entityWithoutAnnotation)).toBe(false);
    expect(
      isCanaryAvailable({
        ...entity,
        metadata: { name: 'x', annotations: { 'aviary.dev/canary': '  ' } },
      }),
    ).toBe(false);
  });

  it.each([
    ['/entity/canary', 2],
    ['/canaries', 1],
  ])('renders the extensions lazily, routable ones at their path (%s)', async (path, verdicts) => {
    const api = new FakeCanaryApi({
      entityCanaries: {
        entityRef: '',
        canaries: [
          {
            ref: { cluster: 'local', namespace: 'demo', name: 'podinfo' },
            state: progressingCanary(),
          },
        ],
      },
      overview: { items: overviewItems, unreachable: [] },
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [canaryApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <FixedChartWidth width={600}>
          <EntityProvider entity={entity}>
            <EntityCanaryCard />
            <Routes>
              <Route path="/entity/canary" element={<EntityCanaryContent />} />
              <Route path="/canaries" element={<CanaryOverviewPage />} />
            </Routes>
          </EntityProvider>
        </FixedChartWidth>
      </TestApiProvider>,
      {
        routeEntries: [path],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(await screen.findAllByTestId('canary-verdict')).toHaveLength(verdicts);
    if (path === '/canaries') {
      expect(
        await screen.findByText('Every canary rollout you can see, across clusters'),
      ).toBeInTheDocument();
      expect(await screen.findByText('local:demo/podinfo')).toBeInTheDocument();
    }
  });
});
