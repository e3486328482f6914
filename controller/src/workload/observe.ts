import type {
  DeploymentObservation,
  PrimaryObservation,
  TargetObservation,
} from '../engine/types.js';
import type { WorkloadOptions } from './options.js';
import type { ConfigLookup, Deployment } from './types.js';

/** The revision stamp on the primary Deployment (and its pod template). */
export const REVISION_ANNOTATION = 'aviary.dev/revision';

export interface SelectorLabel {
  label: string;
  value: string;
}

const todo = (): never => {
  throw new Error('not implemented yet');
};

export function selectorLabelOf(
  _dep: Deployment,
  _options?: WorkloadOptions,
): SelectorLabel | { error: string } {
  return todo();
}
export function observeDeployment(_dep: Deployment): DeploymentObservation {
  return todo();
}
export function observeTarget(
  _dep: Deployment,
  _configs: ConfigLookup,
  _options?: WorkloadOptions,
): TargetObservation | { error: string } {
  return todo();
}
export function observePrimary(_dep: Deployment): PrimaryObservation {
  return todo();
}
/** The `Observation.target` for a target Deployment that does not exist. */
export function missingTarget(_namespace: string, _name: string): { error: string } {
  return todo();
}
