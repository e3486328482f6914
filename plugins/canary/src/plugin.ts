import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { canaryApiRef } from './api/CanaryApi';
import { CanaryClient } from './api/CanaryClient';
import { entityContentRouteRef, rootRouteRef } from './routes';

/** The canary plugin for apps on the legacy frontend system. */
export const canaryPlugin = createPlugin({
  id: 'canary',
  apis: [
    createApiFactory({
      api: canaryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CanaryClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef, entityContent: entityContentRouteRef },
});

/** Card for an entity's overview tab: the state of each of its canaries. */
export const EntityCanaryCard = canaryPlugin.provide(
  createComponentExtension({
    name: 'EntityCanaryCard',
    component: {
      lazy: () => import('./components/CanaryCard').then(m => m.EntityCanaryCard),
    },
  }),
);

/** The entity's Canary tab: live state, charts, events, history and actions. */
export const EntityCanaryContent = canaryPlugin.provide(
  createRoutableExtension({
    name: 'EntityCanaryContent',
    component: () => import('./components/CanaryContent').then(m => m.EntityCanaryContent),
    mountPoint: entityContentRouteRef,
  }),
);

/** The org-wide overview of canaries, filterable by owner, phase and cluster. */
export const CanaryOverviewPage = canaryPlugin.provide(
  createRoutableExtension({
    name: 'CanaryOverviewPage',
    component: () => import('./components/OverviewPage').then(m => m.CanaryOverviewPage),
    mountPoint: rootRouteRef,
  }),
);
