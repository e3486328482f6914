// Pure update planning: the live object with Aviary's fields set from the desired one, or
// undefined when nothing differs (so no-op updates are never sent).
import type { ObjectMeta, OwnerReference } from '../api/meta.js';
import { clone, semanticEqual } from '../router/equality.js';
import { applyOwnedMetadata } from '../router/metadata.js';
import type { ConfigMap, Deployment, HorizontalPodAutoscaler, Secret } from './types.js';

interface Owned {
  metadata?: ObjectMeta;
}

/** Labels/annotations of `desired` as owned metadata (recorded so later removals are exact). */
export function forCreate<T extends Owned>(desired: T): T {
  const meta = desired.metadata ?? {};
  const { metadata } = applyOwnedMetadata(
    { ...meta, labels: undefined, annotations: undefined },
    { labels: meta.labels ?? {}, annotations: meta.annotations ?? {} },
  );
  return { ...desired, metadata };
}

/** The live metadata with our labels, annotations and controller reference; and if it changed. */
function ownedMetadata(
  live: ObjectMeta,
  desired: ObjectMeta,
): { metadata: ObjectMeta; changed: boolean } {
  const { metadata, changed } = applyOwnedMetadata(live, {
    labels: desired.labels ?? {},
    annotations: desired.annotations ?? {},
  });
  const owner = desired.ownerReferences?.[0];
  if (!owner) return { metadata, changed };
  const refs = live.ownerReferences ?? [];
  // At most one controller: ours replaces any other (only Aviary creates these objects).
  const ownerReferences: OwnerReference[] = [
    ...refs.filter(r => r.uid !== owner.uid && r.controller !== true),
    owner,
  ];
  const refsChanged = !semanticEqual(ownerReferences, refs);
  return { metadata: { ...metadata, ownerReferences }, changed: changed || refsChanged };
}

const DEPLOYMENT_FIELDS = [
  'replicas',
  'template',
  'strategy',
  'minReadySeconds',
  'revisionHistoryLimit',
  'progressDeadlineSeconds',
] as const;

/** The primary Deployment to PUT, or undefined. The selector is immutable and kept as live. */
export function updatedDeployment(live: Deployment, desired: Deployment): Deployment | undefined {
  const { metadata, changed } = ownedMetadata(live.metadata ?? {}, desired.metadata ?? {});
  const liveSpec = live.spec;
  const desiredSpec = desired.spec;
  if (!liveSpec || !desiredSpec) return undefined;
  const spec = clone(liveSpec);
  let specChanged = false;
  for (const field of DEPLOYMENT_FIELDS) {
    const want = desiredSpec[field];
    if (semanticEqual(liveSpec[field], want)) continue;
    specChanged = true;
    if (want === undefined) delete spec[field];
    else (spec as unknown as Record<string, unknown>)[field] = clone(want);
  }
  if (!changed && !specChanged) return undefined;
  return { ...live, metadata, spec };
}

export interface ConfigUpdate<T> {
  object: T;
  /** Immutable object or changed Secret type: delete and create instead of replacing. */
  recreate: boolean;
}

/** The primary ConfigMap/Secret to write, or undefined when it already matches. */
export function updatedConfig<T extends ConfigMap | Secret>(
  live: T,
  desired: T,
): ConfigUpdate<T> | undefined {
  const { metadata, changed } = ownedMetadata(live.metadata ?? {}, desired.metadata ?? {});
  const fields = ['data', 'binaryData', 'type'] as const;
  const record = (o: T) => o as unknown as Record<string, unknown>;
  const dataChanged = fields.some(f => !semanticEqual(record(live)[f], record(desired)[f]));
  if (!changed && !dataChanged) return undefined;
  const object = { ...clone(live), metadata } as T;
  for (const field of fields) {
    const want = record(desired)[field];
    if (want === undefined) delete record(object)[field];
    else record(object)[field] = clone(want);
  }
  const typeChanged = !semanticEqual(record(live).type, record(desired).type);
  return { object, recreate: dataChanged && (live.immutable === true || typeChanged) };
}

/** The primary HPA to PUT, or undefined when it already matches. */
export function updatedAutoscaler(
  live: HorizontalPodAutoscaler,
  desired: HorizontalPodAutoscaler,
): HorizontalPodAutoscaler | undefined {
  const { metadata, changed } = ownedMetadata(live.metadata ?? {}, desired.metadata ?? {});
  const specChanged = !semanticEqual(live.spec, desired.spec);
  if (!changed && !specChanged) return undefined;
  return { ...live, metadata, spec: clone(desired.spec) };
}
