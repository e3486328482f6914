import { screen } from '@testing-library/react';
import { createExtensionTester, mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { ApiBlueprint, coreExtensionData } from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint, EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import canaryPlugin from '../alpha';
import { canaryApiRef } from '../api/CanaryApi';
import { CanaryClient } from '../api/CanaryClient';
import { FixedChartWidth } from '../components/charts/ChartFrame';
import { FakeCanaryApi } from '../testing/FakeCanaryApi';
import { entity, entityWithoutAnnotation, progressingCanary } from '../testing/fixtures';
import { canaryApi, canaryEntityCard, canaryEntityContent, canaryOverviewPage } from './plugin';

const ref = { cluster: 'local', namespace: 'demo', name: 'podinfo' };

function fakeApi() {
  return new FakeCanaryApi({
    entityCanaries: { entityRef: '', canaries: [{ ref, state: progressingCanary() }] },
    overview: { items: [], unreachable: [] },
  });
}

describe('canary plugin for the new frontend system', () => {
  it('is the canary plugin with its four extensions', () => {
    expect(canaryPlugin.pluginId).toBe('canary');
    expect(canaryPlugin.getExtension('api:canary')).toBeDefined();
    expect(canaryPlugin.getExtension('entity-card:canary/overview')).toBeDefined();
    expect(canaryPlugin.getExtension('entity-content:canary/canary')).toBeDefined();
    expect(canaryPlugin.getExtension('page:canary')).toBeDefined();
  });

  it('provides a CanaryClient through the API extension', async () => {
    const factory = createExtensionTester(canaryApi).get(ApiBlueprint.dataRefs.factory);
    expect(factory.api.id).toBe('plugin.canary.service');
    const fetchApi = { fetch: jest.fn(async () => new Response('{"items":[],"unreachable":[]}')) };
    const client = factory.factory({
      discoveryApi: { getBaseUrl: async () => 'http://b/api/canary' },
      fetchApi,
    });
    expect(client).toBeInstanceOf(CanaryClient);
    await (client as CanaryClient).getOverview();
    expect(fetchApi.fetch).toHaveBeenCalledWith('http://b/api/canary/canaries');
  });

  it('shows the card only on entities with the annotation, as a content card', () => {
    const tester = createExtensionTester(canaryEntityCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(entity)).toBe(true);
    expect(filter(entityWithoutAnnotation)).toBe(false);
    expect(tester.get(EntityCardBlueprint.dataRefs.type)).toBe('content');
  });

  it('renders the card with the entity canaries', async () => {
    const tester = createExtensionTester(canaryEntityCard);
    await renderInTestApp(
      <EntityProvider entity={entity}>{tester.reactElement()}</EntityProvider>,
      {
        apis: [[canaryApiRef, fakeApi()]],
      },
    );
    expect(await screen.findByTestId('canary-verdict')).toHaveTextContent(
      'Analysing 6.0.1: weight 30% of 50%, all checks passing',
    );
  });

  it('adds a Canary tab at canary, filtered by the annotation', async () => {
    const tester = createExtensionTester(canaryEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('canary');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Canary');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(entity)).toBe(true);
    expect(filter(entityWithoutAnnotation)).toBe(false);
    // Charts measure their container, which a DOM without layout cannot: fix their width.
    const element = (
      <FixedChartWidth width={600}>
        <EntityProvider entity={entity}>{tester.reactElement()}</EntityProvider>
      </FixedChartWidth>
    );
    await renderInTestApp(element, {
      apis: [
        [canaryApiRef, fakeApi()],
        [permissionApiRef, mockApis.permission()],
      ],
    });
    expect(await screen.findByTestId('stream-state')).toHaveTextContent('Live');
    expect(screen.getByTestId('weight-chart')).toBeInTheDocument();
  });

  it('adds the overview page at /canary, titled for the navigation', async () => {
    const tester = createExtensionTester(canaryOverviewPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/canary');
    expect(tester.get(coreExtensionData.title)).toBe('Canaries');
    expect(tester.get(coreExtensionData.icon)).toBeTruthy();
    await renderInTestApp(tester.reactElement(), { apis: [[canaryApiRef, fakeApi()]] });
    expect(await screen.findByText('No canaries yet.')).toBeInTheDocument();
  });
});
