// A permissions service for the tests that behaves like a policy "owners may read and act on
// their entities' canaries; admin may do anything": resource decisions by the entity's owner, and
// a CONDITIONAL answer (not ALLOW) when asked without a resource, as an owner rule would give.
import {
  coreServices,
  createServiceFactory,
  type BackstageCredentials,
  type PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult, type PolicyDecision } from '@backstage/plugin-permission-common';
import { memberships, owners } from './catalog';

const ADMIN = 'user:default/admin';

function userOf(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as { type?: string; userEntityRef?: string };
  return principal.type === 'user' ? principal.userEntityRef : undefined;
}

export const askedPermissions: Array<{ user?: string; permission: string; resourceRef?: string }> =
  [];

const ownersOnly: PermissionsService = {
  async authorize(requests, { credentials }) {
    const user = userOf(credentials);
    return requests.map(r => {
      askedPermissions.push({ user, permission: r.permission.name, resourceRef: r.resourceRef });
      if (
        credentials.principal &&
        (credentials.principal as { type?: string }).type === 'service'
      ) {
        return { result: AuthorizeResult.ALLOW };
      }
      if (user === ADMIN) return { result: AuthorizeResult.ALLOW };
      const owner = r.resourceRef ? owners[r.resourceRef] : undefined;
      const allowed = Boolean(user && owner && memberships[user]?.includes(owner));
      return { result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    });
  },
  async authorizeConditional(requests, { credentials }) {
    const user = userOf(credentials);
    return requests.map((): PolicyDecision => {
      if (user === ADMIN) return { result: AuthorizeResult.ALLOW };
      return {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: { claims: memberships[user ?? ''] ?? [] },
        },
      };
    }) as Awaited<ReturnType<PermissionsService['authorizeConditional']>>;
  },
};

export const ownersOnlyPermissionsFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => ownersOnly,
});
