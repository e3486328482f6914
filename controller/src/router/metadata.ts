// Labels and annotations the controller owns on objects it writes. We record the keys we set in
// one annotation, so a key dropped from the Canary spec is removed later while keys set by users
// or other controllers are never touched (Flagger replaced the whole map instead).
import type { ObjectMeta } from './kube.js';
import { semanticEqual } from './equality.js';

export const MANAGED_METADATA_ANNOTATION = 'aviary.dev/managed-metadata';

/** Keep Flux from reverting objects the controller mutates (same markers Flagger writes). */
export const FLUX_MARKERS: Readonly<Record<string, string>> = {
  'kustomize.toolkit.fluxcd.io/reconcile': 'disabled',
  'helm.toolkit.fluxcd.io/driftDetection': 'disabled',
};

export interface OwnedMetadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** Keys that must be kept exactly as found (spec.service.unmanagedMetadata). */
export interface PreservedKeys {
  labels: readonly string[];
  annotations: readonly string[];
}

interface ManagedKeys {
  labels: string[];
  annotations: string[];
}

const NOTHING_PRESERVED: PreservedKeys = { labels: [], annotations: [] };

function readManagedKeys(annotations: Record<string, string> | undefined): ManagedKeys {
  const raw = annotations?.[MANAGED_METADATA_ANNOTATION];
  if (!raw) return { labels: [], annotations: [] };
  try {
    const parsed = JSON.parse(raw) as Partial<ManagedKeys>;
    const strings = (v: unknown): string[] =>
      Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    return { labels: strings(parsed.labels), annotations: strings(parsed.annotations) };
  } catch {
    return { labels: [], annotations: [] };
  }
}

function mergeMap(
  live: Record<string, string> | undefined,
  desired: Record<string, string>,
  previouslyManaged: readonly string[],
  preserved: readonly string[],
): { result: Record<string, string>; managed: string[] } {
  const result = { ...(live ?? {}) };
  const keep = new Set(preserved);
  for (const key of previouslyManaged) {
    if (!(key in desired) && !keep.has(key)) delete result[key];
  }
  const managed: string[] = [];
  for (const [key, value] of Object.entries(desired)) {
    if (keep.has(key)) continue;
    result[key] = value;
    managed.push(key);
  }
  return { result, managed: managed.sort() };
}

/**
 * Returns the metadata after applying the owned labels/annotations to `live`, and whether
 * anything changed. Works for creation too (pass an empty live metadata).
 */
export function applyOwnedMetadata(
  live: ObjectMeta,
  desired: OwnedMetadata,
  preserved: PreservedKeys = NOTHING_PRESERVED,
): { metadata: ObjectMeta; changed: boolean } {
  const previous = readManagedKeys(live.annotations);
  const labels = mergeMap(live.labels, desired.labels, previous.labels, preserved.labels);
  const annotations = mergeMap(
    live.annotations,
    desired.annotations,
    previous.annotations,
    preserved.annotations,
  );
  if (labels.managed.length > 0 || annotations.managed.length > 0) {
    annotations.result[MANAGED_METADATA_ANNOTATION] = JSON.stringify({
      labels: labels.managed,
      annotations: annotations.managed,
    });
  } else {
    delete annotations.result[MANAGED_METADATA_ANNOTATION];
  }
  const metadata: ObjectMeta = { ...live };
  setOrDelete(metadata, 'labels', labels.result);
  setOrDelete(metadata, 'annotations', annotations.result);
  const changed =
    !semanticEqual(metadata.labels, live.labels) ||
    !semanticEqual(metadata.annotations, live.annotations);
  return { metadata, changed };
}

/** Removes every key the controller manages (used when handing an object back on revert). */
export function releaseOwnedMetadata(live: ObjectMeta): ObjectMeta {
  return applyOwnedMetadata(live, { labels: {}, annotations: {} }).metadata;
}

function setOrDelete(meta: ObjectMeta, key: 'labels' | 'annotations', map: Record<string, string>) {
  if (Object.keys(map).length > 0) meta[key] = map;
  else delete meta[key];
}
