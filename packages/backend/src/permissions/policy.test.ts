import {
  canaryActionPermission,
  canaryReadPermission,
} from '@aviary/backstage-plugin-canary-common';
import type { BackstageCredentials, BackstageUserInfo } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult, createPermission } from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { CanaryOwnerPolicy } from './policy';

const OWNERSHIP: Record<string, string[]> = {
  'user:default/guest': ['user:default/guest', 'group:default/team-podinfo'],
  'user:default/loner': [],
};

/** The user-info service's answer for the demo's users. */
const userInfo = {
  async getUserInfo(credentials: BackstageCredentials): Promise<BackstageUserInfo> {
    const principal = credentials.principal as { userEntityRef: string };
    return {
      userEntityRef: principal.userEntityRef,
      ownershipEntityRefs: OWNERSHIP[principal.userEntityRef] ?? [],
    };
  },
};

function signedIn(userEntityRef: string): PolicyQueryUser {
  return {
    credentials: mockCredentials.user(userEntityRef),
    info: { userEntityRef, ownershipEntityRefs: OWNERSHIP[userEntityRef] ?? [] },
  };
}

const policy = new CanaryOwnerPolicy(userInfo);

describe('CanaryOwnerPolicy', () => {
  it('makes canary.action conditional on owning the entity, with the user and its groups as claims', async () => {
    const decision = await policy.handle(
      { permission: canaryActionPermission },
      signedIn('user:default/guest'),
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ['user:default/guest', 'group:default/team-podinfo'] },
      },
    });
  });

  it('denies canary.action to a user who owns nothing and to callers without a user', async () => {
    expect(
      await policy.handle({ permission: canaryActionPermission }, signedIn('user:default/loner')),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(await policy.handle({ permission: canaryActionPermission })).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('allows reading canaries and any other permission to everyone', async () => {
    const other = createPermission({ name: 'catalog.entity.delete', attributes: {} });
    for (const permission of [canaryReadPermission, other]) {
      expect(await policy.handle({ permission })).toEqual({ result: AuthorizeResult.ALLOW });
      expect(await policy.handle({ permission }, signedIn('user:default/loner'))).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });
});
