// Revert of the VirtualService when a canary with revertOnDeletion is deleted (spec 2.14, 3.6, R9).
import type { Canary } from '../../api/types.js';
import { canaryNamespace, serviceNames } from '../canary.js';
import { clone } from '../equality.js';
import type { ObjectPlan } from '../kube.js';
import { KUBECTL_ANNOTATION, RouterError } from '../kube.js';
import { releaseOwnedMetadata } from '../metadata.js';
import type { VirtualService, VirtualServiceSpec } from './types.js';
import {
  FLAGGER_ORIGINAL_CONFIG_ANNOTATION,
  ORIGINAL_CONFIG_ANNOTATION,
} from './virtual-service.js';

function parseAnnotation<T>(vs: VirtualService, key: string): T {
  try {
    return JSON.parse(vs.metadata.annotations?.[key] ?? '') as T;
  } catch {
    throw new RouterError(
      `VirtualService ${vs.metadata.name}.${vs.metadata.namespace} failed to unmarshal annotation ${key}`,
    );
  }
}

/** The spec to restore: kubectl's last-applied copy first, then the one saved at takeover. */
function storedSpec(vs: VirtualService): VirtualServiceSpec | undefined {
  const annotations = vs.metadata.annotations ?? {};
  if (KUBECTL_ANNOTATION in annotations) {
    return parseAnnotation<{ spec?: VirtualServiceSpec }>(vs, KUBECTL_ANNOTATION).spec ?? {};
  }
  for (const key of [ORIGINAL_CONFIG_ANNOTATION, FLAGGER_ORIGINAL_CONFIG_ANNOTATION]) {
    if (key in annotations) return parseAnnotation<VirtualServiceSpec>(vs, key);
  }
  return undefined;
}

/**
 * Restores the stored spec and hands the object back: our managed labels/annotations (Flux
 * markers included, so Flux manages it again) and the saved copy are removed. Without a stored
 * spec nothing changes and the plan carries Flagger's warning. A missing object is an error.
 */
export function planVirtualServiceRevert(
  canary: Canary,
  live: VirtualService | undefined,
): ObjectPlan<VirtualService> {
  const apex = serviceNames(canary).apex;
  const namespace = canaryNamespace(canary);
  if (!live) throw new RouterError(`VirtualService ${apex}.${namespace} not found`);
  const spec = storedSpec(live);
  if (spec === undefined) {
    return {
      action: 'none',
      warning: `VirtualService ${apex}.${namespace} original configuration not found, unable to revert`,
    };
  }
  const next = clone(live);
  next.spec = clone(spec);
  next.metadata = releaseOwnedMetadata(next.metadata);
  const annotations = { ...(next.metadata.annotations ?? {}) };
  delete annotations[ORIGINAL_CONFIG_ANNOTATION];
  delete annotations[FLAGGER_ORIGINAL_CONFIG_ANNOTATION];
  if (Object.keys(annotations).length > 0) next.metadata.annotations = annotations;
  else delete next.metadata.annotations;
  return { action: 'update', object: next, reasons: ['revert'] };
}
