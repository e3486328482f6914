import type { Canary } from '../api/types.js';
import type { WorkloadContext, WorkloadResult } from './api.js';

const todo = (): never => {
  throw new Error('not implemented yet');
};

/** Creates `<target>-primary` (and its configs) when missing, stamped with `revision`. */
export async function ensurePrimary(
  _ctx: WorkloadContext,
  _canary: Canary,
  _revision: string,
): Promise<WorkloadResult> {
  return todo();
}
/** Promotion: the target's template, configs and autoscaler to the primary, stamped. */
export async function copyTargetToPrimary(
  _ctx: WorkloadContext,
  _canary: Canary,
  _revision: string,
): Promise<WorkloadResult> {
  return todo();
}
/** `create`: `<hpa>-primary` when missing; `sync`: also update it from the target's HPA. */
export async function ensurePrimaryAutoscaler(
  _ctx: WorkloadContext,
  _canary: Canary,
  _mode: 'create' | 'sync',
): Promise<WorkloadResult> {
  return todo();
}
/** Sets the target's `spec.replicas` (no write when it already has that value). */
export async function scaleTarget(
  _ctx: WorkloadContext,
  _canary: Canary,
  _replicas: number,
): Promise<WorkloadResult> {
  return todo();
}
