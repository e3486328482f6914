// What the engine sees of the Deployments: readiness fields, the target's revision and tracked
// configs (or why the target cannot be used), and the primary's revision stamp.
import type {
  DeploymentCondition as EngineCondition,
  DeploymentObservation,
  PrimaryObservation,
  TargetObservation,
} from '../engine/types.js';
import { trackConfigs, trackedConfigsStatus } from './configs.js';
import { DEFAULT_WORKLOAD_OPTIONS, type WorkloadOptions } from './options.js';
import { templateRevision } from './revision.js';
import type { ConfigLookup, Deployment } from './types.js';

/** The revision stamp on the primary Deployment (and its pod template). */
export const REVISION_ANNOTATION = 'aviary.dev/revision';

export interface SelectorLabel {
  label: string;
  value: string;
}

const displayName = (dep: Deployment) =>
  `${dep.metadata?.name ?? ''}.${dep.metadata?.namespace ?? ''}`;

/** The first of the selector labels present in `spec.selector.matchLabels`, with its value. */
export function selectorLabelOf(
  dep: Deployment,
  options: WorkloadOptions = DEFAULT_WORKLOAD_OPTIONS,
): SelectorLabel | { error: string } {
  const matchLabels = dep.spec?.selector.matchLabels ?? {};
  for (const label of options.selectorLabels) {
    const value = matchLabels[label];
    if (value) return { label, value };
  }
  return {
    error: `deployment ${displayName(dep)} spec.selector.matchLabels must contain one of [${options.selectorLabels.join(' ')}]`,
  };
}

function conditionStatus(status: string): EngineCondition['status'] {
  return status === 'True' || status === 'False' ? status : 'Unknown';
}

export function observeDeployment(dep: Deployment): DeploymentObservation {
  const status = dep.status ?? {};
  return {
    generation: dep.metadata?.generation ?? 0,
    observedGeneration: status.observedGeneration ?? 0,
    specReplicas: dep.spec?.replicas ?? 1,
    replicas: status.replicas ?? 0,
    updatedReplicas: status.updatedReplicas ?? 0,
    readyReplicas: status.readyReplicas ?? 0,
    availableReplicas: status.availableReplicas ?? 0,
    conditions: (status.conditions ?? []).map(c => ({
      type: c.type,
      status: conditionStatus(c.status),
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.lastUpdateTime ? { lastUpdateTime: c.lastUpdateTime } : {}),
      ...(c.lastTransitionTime ? { lastTransitionTime: c.lastTransitionTime } : {}),
    })),
  };
}

/** The target as the engine needs it, or why it cannot be used. */
export function observeTarget(
  dep: Deployment,
  configs: ConfigLookup,
  options: WorkloadOptions = DEFAULT_WORKLOAD_OPTIONS,
): TargetObservation | { error: string } {
  const selector = selectorLabelOf(dep, options);
  if ('error' in selector) return selector;
  const tracked = trackConfigs(dep, configs, options);
  if ('error' in tracked) return tracked;
  return {
    ...observeDeployment(dep),
    revision: templateRevision(dep.spec?.template),
    trackedConfigs: trackedConfigsStatus(tracked.configs),
  };
}

export function observePrimary(dep: Deployment): PrimaryObservation {
  const revision = dep.metadata?.annotations?.[REVISION_ANNOTATION];
  return { ...observeDeployment(dep), ...(revision ? { revision } : {}) };
}

/** The `Observation.target` for a target Deployment that does not exist. */
export function missingTarget(namespace: string, name: string): { error: string } {
  return { error: `deployment ${name}.${namespace} not found` };
}
