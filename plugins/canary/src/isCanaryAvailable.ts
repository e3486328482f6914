import type { Entity } from '@backstage/catalog-model';
import { CANARY_ANNOTATION } from '@aviary/backstage-plugin-canary-common';

/** True when the entity names its canaries with the `aviary.dev/canary` annotation. */
export function isCanaryAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[CANARY_ANNOTATION]?.trim());
}
