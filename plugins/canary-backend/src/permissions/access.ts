// Who may see and act on which canary. Both permissions are scoped to the catalog entity whose
// `aviary.dev/canary` annotation names the canary, so a policy can decide per entity (for example
// "owners may act"). A canary that no entity names has no resource to decide on: only a policy
// that grants the permission unconditionally (an admin rule, or allow-all) covers it.
import type { BackstageCredentials, PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult, type ResourcePermission } from '@backstage/plugin-permission-common';
import {
  CANARY_ANNOTATION,
  canaryActionPermission,
  canaryKey,
  canaryReadPermission,
  type CanaryRef,
} from '@aviary/backstage-plugin-canary-common';
import type { CanaryEntity } from '../service/entityIndex';

export interface EntityLookup {
  lookup(ref: CanaryRef): Promise<CanaryEntity | undefined>;
}

export class CanaryAccess {
  constructor(
    private readonly permissions: PermissionsService,
    private readonly entities: EntityLookup,
  ) {}

  /** Throws NotAllowedError unless the caller may read the canary; returns its entity. */
  async assertRead(
    credentials: BackstageCredentials,
    ref: CanaryRef,
  ): Promise<CanaryEntity | undefined> {
    const entity = await this.entities.lookup(ref);
    if (entity) {
      if (!(await this.allowed(canaryReadPermission, entity.entityRef, credentials))) {
        throw new NotAllowedError(
          `you may not read canary ${canaryKey(ref)} (permission canary.read on ${entity.entityRef})`,
        );
      }
      return entity;
    }
    if (!(await this.allowedEverywhere(canaryReadPermission, credentials))) {
      throw new NotAllowedError(
        `canary ${canaryKey(ref)} belongs to no catalog entity (annotation ${CANARY_ANNOTATION}); ` +
          'only users granted canary.read on every canary may see it',
      );
    }
    return undefined;
  }

  /** Throws NotAllowedError unless the caller may read the canaries of this entity. */
  async assertReadEntity(credentials: BackstageCredentials, entityRef: string): Promise<void> {
    if (!(await this.allowed(canaryReadPermission, entityRef, credentials))) {
      throw new NotAllowedError(
        `you may not read the canaries of ${entityRef} (permission canary.read)`,
      );
    }
  }

  /** Throws NotAllowedError unless the caller may act; actions always need the owning entity. */
  async assertAct(credentials: BackstageCredentials, ref: CanaryRef): Promise<CanaryEntity> {
    const entity = await this.entities.lookup(ref);
    if (!entity) {
      throw new NotAllowedError(
        `canary ${canaryKey(ref)} belongs to no catalog entity: add "${CANARY_ANNOTATION}: ${canaryKey(ref)}" ` +
          'to the entity that owns it, so its owners can be allowed to act',
      );
    }
    if (!(await this.allowed(canaryActionPermission, entity.entityRef, credentials))) {
      throw new NotAllowedError(
        `you may not act on canary ${canaryKey(ref)} (permission canary.action on ${entity.entityRef})`,
      );
    }
    return entity;
  }

  /** One decision per entity ref, in one batch. */
  async readableEntities(
    credentials: BackstageCredentials,
    entityRefs: string[],
  ): Promise<Set<string>> {
    const unique = [...new Set(entityRefs)];
    if (unique.length === 0) return new Set();
    const decisions = await this.permissions.authorize(
      unique.map(resourceRef => ({ permission: canaryReadPermission, resourceRef })),
      { credentials },
    );
    return new Set(unique.filter((_, i) => decisions[i]?.result === AuthorizeResult.ALLOW));
  }

  /** Whether the policy grants canary.read without conditions (needed for canaries of no entity). */
  async readsEverything(credentials: BackstageCredentials): Promise<boolean> {
    return this.allowedEverywhere(canaryReadPermission, credentials);
  }

  private async allowed(
    permission: ResourcePermission,
    resourceRef: string,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    const [decision] = await this.permissions.authorize([{ permission, resourceRef }], {
      credentials,
    });
    return decision?.result === AuthorizeResult.ALLOW;
  }

  private async allowedEverywhere(
    permission: ResourcePermission,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    const [decision] = await this.permissions.authorizeConditional([{ permission }], {
      credentials,
    });
    return decision?.result === AuthorizeResult.ALLOW;
  }
}
