import type { ObjectMeta } from '../api/meta.js';
import type { WorkloadOptions } from './options.js';
import type { ConfigLookup, ConfigRef, Deployment, PodSpec, TrackedConfig } from './types.js';

const todo = (): never => {
  throw new Error('not implemented yet');
};

/** ConfigMaps/Secrets referenced by env valueFrom, envFrom and volumes (incl. projected). */
export function configRefs(_spec: PodSpec | undefined): ConfigRef[] {
  return todo();
}
/** `aviary.dev/config-tracking` or `flagger.app/config-tracking` starting with `disable`. */
export function isTrackingDisabled(_meta: ObjectMeta | undefined): boolean {
  return todo();
}
/** First 8 bytes of sha256 over the canonical JSON of the data, as hex. */
export function configChecksum(_data: object | undefined): string {
  return todo();
}
/** The tracked configs of a Deployment, or why they cannot be resolved (missing required ref). */
export function trackConfigs(
  _dep: Deployment,
  _lookup: ConfigLookup,
  _options?: WorkloadOptions,
): { configs: TrackedConfig[] } | { error: string } {
  return todo();
}
/** `configmap/<name>` / `secret/<name>` → checksum, as in `status.trackedConfigs`. */
export function trackedConfigsStatus(_configs: readonly TrackedConfig[]): Record<string, string> {
  return todo();
}
/** Index keys `<namespace>/configmap/<name>`, `<namespace>/secret/<name>` a Deployment references. */
export function configIndexKeys(_dep: Deployment): string[] {
  return todo();
}
