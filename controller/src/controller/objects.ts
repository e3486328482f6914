// Applying a router plan to one object with optimistic concurrency: plan against the cached
// object first; after a conflict (the cache lagged our own or someone else's write) re-read it
// live and plan again, so a stale cache costs one request, never a lost or reverted change.
import type { KubeObject, ObjectWriter, ResourceCache, ResourceType } from '../kube/index.js';
import { retryOnConflict } from '../kube/index.js';
import type { ObjectPlan } from '../router/index.js';

export type PlanOutcome = 'created' | 'updated' | 'unchanged';

export interface ObjectAccess<T extends KubeObject> {
  writer: ObjectWriter;
  cache: ResourceCache<T>;
  type: ResourceType;
}

export async function converge<T extends KubeObject>(
  access: ObjectAccess<T>,
  namespace: string,
  name: string,
  plan: (live: T | undefined) => ObjectPlan<T>,
  onWarning?: (warning: string) => void,
): Promise<PlanOutcome> {
  return retryOnConflict(async attempt => {
    const live =
      attempt === 0
        ? access.cache.get(namespace, name)
        : await access.writer.read<T>(access.type, namespace, name);
    const decided = plan(live);
    switch (decided.action) {
      case 'create':
        await access.writer.create(access.type, decided.object);
        return 'created';
      case 'update':
        await access.writer.replace(access.type, decided.object);
        return 'updated';
      case 'none':
        if (decided.warning) onWarning?.(decided.warning);
        return 'unchanged';
    }
  });
}
