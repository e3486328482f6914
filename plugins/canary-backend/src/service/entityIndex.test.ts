import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { captureLogger } from '../alerts/__testUtils__/captureLogger';
import { sampleEntities } from './__testUtils__/catalog';
import { CanaryEntityIndex } from './entityIndex';

function index(entities: Entity[], now = () => 0) {
  const catalog = catalogServiceMock({ entities });
  const getEntities = jest.spyOn(catalog, 'getEntities');
  const entityIndex = new CanaryEntityIndex({
    catalog,
    auth: mockServices.auth(),
    logger: captureLogger(),
    defaultCluster: () => 'prod',
    ttlMs: 1000,
    now,
  });
  return { entityIndex, getEntities };
}

describe('CanaryEntityIndex', () => {
  it('maps every annotated canary to its entity, owner and alert channel', async () => {
    const { entityIndex } = index(sampleEntities);
    const all = await entityIndex.all();
    expect([...all.keys()].sort()).toEqual([
      'edge:shop/cart-edge',
      'prod:shop/cart',
      'prod:shop/podinfo',
    ]);
    expect(all.get('prod:shop/podinfo')).toEqual({
      entityRef: 'component:shop/podinfo',
      kind: 'Component',
      namespace: 'shop',
      name: 'podinfo',
      // a bare owner name is a Group in the entity's namespace
      owner: 'group:shop/team-a',
      alertChannel: 'ops',
    });
    expect(
      await entityIndex.lookup({ cluster: 'edge', namespace: 'shop', name: 'cart-edge' }),
    ).toMatchObject({
      entityRef: 'component:shop/cart',
      owner: 'group:default/team-b',
    });
    expect(
      await entityIndex.lookup({ cluster: 'edge', namespace: 'shop', name: 'podinfo' }),
    ).toBeUndefined();
  });

  it('asks the catalog once per time-to-live', async () => {
    let now = 0;
    const { entityIndex, getEntities } = index(sampleEntities, () => now);
    await Promise.all([entityIndex.all(), entityIndex.all()]);
    now = 999;
    await entityIndex.all();
    expect(getEntities).toHaveBeenCalledTimes(1);
    expect(getEntities.mock.calls[0]![0]).toMatchObject({
      filter: { 'metadata.annotations.aviary.dev/canary': expect.anything() },
    });
    now = 1000;
    await entityIndex.all();
    expect(getEntities).toHaveBeenCalledTimes(2);
  });

  it('keeps serving the previous answer when the catalog fails', async () => {
    let now = 0;
    const { entityIndex, getEntities } = index(sampleEntities, () => now);
    await entityIndex.all();
    getEntities.mockRejectedValueOnce(new Error('catalog down'));
    now = 5000;
    expect((await entityIndex.all()).size).toBe(3);
  });

  it('fails when the catalog fails and nothing was cached', async () => {
    const { entityIndex, getEntities } = index(sampleEntities);
    getEntities.mockRejectedValueOnce(new Error('catalog down'));
    await expect(entityIndex.all()).rejects.toThrow('catalog down');
  });

  it('lets the first entity in ref order own a canary two entities name', async () => {
    const twin = structuredClone(sampleEntities[0]!);
    twin.metadata.name = 'a-podinfo-docs';
    const { entityIndex } = index([sampleEntities[0]!, twin]);
    expect(
      (await entityIndex.lookup({ cluster: 'prod', namespace: 'shop', name: 'podinfo' }))
        ?.entityRef,
    ).toBe('component:shop/a-podinfo-docs');
  });
});
