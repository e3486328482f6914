// The demo's permission policy: canary actions (promote, abort, ...) only for the owners of the
// entity the canary belongs to; everything else allowed, as in an unrestricted portal.
import { canaryActionPermission } from '@aviary/backstage-plugin-canary-common';
import type { UserInfoService } from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import type { PolicyDecision } from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';

export class CanaryOwnerPolicy implements PermissionPolicy {
  constructor(private readonly userInfo: Pick<UserInfoService, 'getUserInfo'>) {}

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    if (!isPermission(request.permission, canaryActionPermission)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user || !isResourcePermission(request.permission, 'catalog-entity')) {
      // services and anonymous callers never act on a canary through this permission
      return { result: AuthorizeResult.DENY };
    }
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(user.credentials);
    if (ownershipEntityRefs.length === 0) return { result: AuthorizeResult.DENY };
    // the catalog evaluates the condition against the entity's owner (spec.owner, ownedBy)
    return createCatalogConditionalDecision(
      request.permission,
      catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
    );
  }
}
