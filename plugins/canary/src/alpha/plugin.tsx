import { ApiBlueprint, createFrontendPlugin, PageBlueprint } from '@backstage/frontend-plugin-api';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { compatWrapper, convertLegacyRouteRef } from '@backstage/core-compat-api';
import { EntityCardBlueprint, EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import TrendingUpIcon from '@material-ui/icons/TrendingUp';
import { canaryApiRef } from '../api/CanaryApi';
import { CanaryClient } from '../api/CanaryClient';
import { isCanaryAvailable } from '../isCanaryAvailable';
import { rootRouteRef } from '../routes';

const overviewRouteRef = convertLegacyRouteRef(rootRouteRef);

export const canaryApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: canaryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CanaryClient({ discoveryApi, fetchApi }),
    }),
});

export const canaryEntityCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    filter: isCanaryAvailable,
    type: 'content',
    loader: () =>
      import('../components/CanaryCard').then(m => compatWrapper(<m.EntityCanaryCard />)),
  },
});

export const canaryEntityContent = EntityContentBlueprint.make({
  name: 'canary',
  params: {
    path: 'canary',
    title: 'Canary',
    filter: isCanaryAvailable,
    loader: () =>
      import('../components/CanaryContent').then(m => compatWrapper(<m.EntityCanaryContent />)),
  },
});

/** The overview page; with a title and icon the app's navigation lists it as "Canaries". */
export const canaryOverviewPage = PageBlueprint.make({
  params: {
    path: '/canary',
    title: 'Canaries',
    icon: <TrendingUpIcon />,
    routeRef: overviewRouteRef,
    loader: () =>
      import('../components/OverviewPage').then(m => compatWrapper(<m.CanaryOverviewContent />)),
  },
});

/** The canary plugin for the new frontend system. */
export const canaryFrontendPlugin = createFrontendPlugin({
  pluginId: 'canary',
  title: 'Canaries',
  icon: <TrendingUpIcon />,
  routes: { root: overviewRouteRef },
  extensions: [canaryApi, canaryEntityCard, canaryEntityContent, canaryOverviewPage],
});
