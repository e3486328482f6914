// Signatures of the workload module (implementations live in the sibling files).
import type { Canary } from '../api/types.js';
import type { KubeObject, ObjectWriter, ResourceType } from '../kube/index.js';
import type { WorkloadOptions } from './options.js';

/**
 * Reads an object the controller caches (a `ResourceCache` lookup in the runtime; a live read in
 * tests). Undefined when absent. After a conflict the workload functions re-read through
 * `ObjectWriter.read`, so a lagging cache costs one extra request, never a wrong write.
 */
export type ObjectReader = (
  type: ResourceType,
  namespace: string,
  name: string,
) => KubeObject | undefined | Promise<KubeObject | undefined>;

export interface WorkloadContext {
  writer: ObjectWriter;
  read: ObjectReader;
  options?: WorkloadOptions;
}

/** What a workload function wrote, e.g. `created Deployment test/podinfo-primary`. */
export interface WorkloadResult {
  changes: string[];
  /** Something was deliberately not done (e.g. a KEDA ScaledObject, not supported yet). */
  warnings: string[];
}

/** The target cannot be used (missing, no selector label, missing config): report, don't retry. */
export class WorkloadError extends Error {
  override readonly name = 'WorkloadError';
}

export type { Canary };
