// Permissions of the canary plugins. Both are scoped to the catalog entity the canary belongs to, so a
// policy can, for example, allow actions only to the entity's owners.
import { createPermission } from '@backstage/plugin-permission-common';

/** The catalog's resource type (`@backstage/plugin-catalog-common/alpha` exports the same string). */
export const CATALOG_ENTITY_RESOURCE_TYPE = 'catalog-entity';

/** See a canary's state, history and checks. */
export const canaryReadPermission = createPermission({
  name: 'canary.read',
  attributes: { action: 'read' },
  resourceType: CATALOG_ENTITY_RESOURCE_TYPE,
});

/** Promote, abort, retry, pause or resume a canary. */
export const canaryActionPermission = createPermission({
  name: 'canary.action',
  attributes: { action: 'update' },
  resourceType: CATALOG_ENTITY_RESOURCE_TYPE,
});

export const canaryPermissions = [canaryReadPermission, canaryActionPermission];
