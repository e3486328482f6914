import type { Canary } from '../api/types.js';
import type { WorkloadOptions } from './options.js';
import type {
  Deployment,
  HorizontalPodAutoscaler,
  TrackedConfig,
  ConfigMap,
  Secret,
} from './types.js';

const todo = (): never => {
  throw new Error('not implemented yet');
};

export interface PrimaryDeploymentInput {
  canary: Canary;
  target: Deployment;
  /** Stamped as `aviary.dev/revision` on the Deployment and its pod template. */
  revision: string;
  /** Tracked configs: their references are renamed to `<name>-primary`. */
  configs: readonly TrackedConfig[];
  replicas: number;
  options?: WorkloadOptions;
}

export interface PrimaryReplicasInput {
  target: Deployment;
  /** The live primary, when it exists. */
  primary?: Deployment;
  /** Set when the canary has an autoscalerRef: the primary HPA's minimum (override first). */
  autoscalerMinReplicas?: number;
  hasAutoscaler: boolean;
}

export function primaryName(name: string): string {
  return `${name}-primary`;
}
export function primaryReplicas(_input: PrimaryReplicasInput): number {
  return todo();
}
export function buildPrimaryDeployment(_input: PrimaryDeploymentInput): Deployment {
  return todo();
}
export function buildPrimaryConfig(
  _canary: Canary,
  _config: TrackedConfig,
  _options?: WorkloadOptions,
): ConfigMap | Secret {
  return todo();
}
export function buildPrimaryAutoscaler(
  _canary: Canary,
  _target: HorizontalPodAutoscaler,
  _options?: WorkloadOptions,
): HorizontalPodAutoscaler {
  return todo();
}
/** Merge patch that sets the target's replicas. */
export function scaleTargetPatch(replicas: number): { spec: { replicas: number } } {
  return { spec: { replicas } };
}
