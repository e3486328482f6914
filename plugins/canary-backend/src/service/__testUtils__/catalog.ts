// Sample catalog of the plugin tests: who owns which canary, and entities with broken annotations.
import type { Entity } from '@backstage/catalog-model';

function component(
  namespace: string,
  name: string,
  owner: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { namespace, name, annotations },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

export const sampleEntities: Entity[] = [
  // `shop/podinfo` without a cluster means the first controller, `prod`.
  component('shop', 'podinfo', 'team-a', {
    'aviary.dev/canary': 'shop/podinfo',
    'aviary.dev/alert-channel': 'ops',
  }),
  component('shop', 'cart', 'group:default/team-b', {
    'aviary.dev/canary': 'prod:shop/cart,edge:shop/cart-edge',
  }),
  component('default', 'no-canary', 'group:shop/team-a', {}),
  component('default', 'bad-canary', 'group:shop/team-a', {
    'aviary.dev/canary': 'prod:Shop/podinfo',
  }),
];

/** Group membership the permission policy of the tests uses. */
export const memberships: Record<string, string[]> = {
  'user:default/alice': ['group:shop/team-a'],
  'user:default/bob': ['group:default/team-b'],
  'user:default/admin': [],
};

/** Owner refs of the sample entities, as the catalog's ownership relation would give them. */
export const owners: Record<string, string> = {
  'component:shop/podinfo': 'group:shop/team-a',
  'component:shop/cart': 'group:default/team-b',
  'component:default/no-canary': 'group:shop/team-a',
  'component:default/bad-canary': 'group:shop/team-a',
  'component:demo/podinfo': 'group:shop/team-a',
};

/** The playground's podinfo, owned by Alice's team (for the test against the real controller). */
export const playgroundPodinfo: Entity = component('demo', 'podinfo', 'group:shop/team-a', {
  'aviary.dev/canary': 'playground:demo/podinfo',
});
