// Plain JSON shapes of the Kubernetes objects the router builds, plus the plan type every
// builder returns. Kept structural (no client classes) so the builders stay pure and testable.
import type { Canary, ObjectMeta, OwnerReference } from '../api/types.js';
import { API_VERSION, CANARY_KIND } from '../api/types.js';

export type { ObjectMeta, OwnerReference };

/**
 * What the executor must do with one object. `update` objects are derived from the live object
 * (resourceVersion included), so writing them is an optimistic-concurrency update.
 */
export type ObjectPlan<T> =
  | { action: 'create'; object: T }
  | { action: 'update'; object: T; reasons: string[] }
  | { action: 'none'; warning?: string };

/** Thrown for canary specs the router cannot turn into objects (caller reports it as an event). */
export class RouterError extends Error {
  override readonly name = 'RouterError';
}

export const KUBECTL_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

export function canaryOwnerReference(canary: Canary): OwnerReference {
  return {
    apiVersion: canary.apiVersion || API_VERSION,
    kind: CANARY_KIND,
    name: canary.metadata.name ?? '',
    uid: canary.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The controlling owner reference, if any (at most one may have `controller: true`). */
export function controllerOf(meta: { ownerReferences?: unknown }): OwnerReference | undefined {
  const refs = Array.isArray(meta.ownerReferences)
    ? (meta.ownerReferences as OwnerReference[])
    : [];
  return refs.find(ref => ref.controller === true);
}

/** Flagger's rule: controlled by a Canary of the same name (any API group, so migrated objects count). */
export function isControlledByCanary(
  meta: { ownerReferences?: unknown },
  canaryName: string,
): boolean {
  const ref = controllerOf(meta);
  return ref?.kind === CANARY_KIND && ref.name === canaryName;
}
