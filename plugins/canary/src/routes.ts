import { createRouteRef } from '@backstage/core-plugin-api';

/** The org-wide overview page. */
export const rootRouteRef = createRouteRef({ id: 'canary' });

/** The Canary tab of an entity page. */
export const entityContentRouteRef = createRouteRef({ id: 'canary:entity-content' });
