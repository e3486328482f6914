// Pure builders for the objects Aviary creates next to the target (spec 2.2, 2.8): the
// `<target>-primary` Deployment, `<name>-primary` ConfigMaps/Secrets and `<hpa>-primary`.
import type { Canary } from '../api/types.js';
import { canaryOwnerReference } from '../router/kube.js';
import { clone } from '../router/equality.js';
import { WorkloadError } from './api.js';
import { copiedAnnotations, includedLabels } from './metadata.js';
import { REVISION_ANNOTATION, selectorLabelOf, type SelectorLabel } from './observe.js';
import { DEFAULT_WORKLOAD_OPTIONS, type WorkloadOptions } from './options.js';
import { renameConfigRefs, retargetPodSelectors } from './podspec.js';
import type {
  ConfigMap,
  Deployment,
  DeploymentSpec,
  HorizontalPodAutoscaler,
  PodTemplateSpec,
  Secret,
  TrackedConfig,
} from './types.js';

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
  /** The primary autoscaler's minimum (the `primaryScalerReplicas` override, else the target HPA's). */
  autoscalerMinReplicas?: number;
  hasAutoscaler: boolean;
}

export function primaryName(name: string): string {
  return `${name}-primary`;
}

/**
 * Replicas for the primary. With an autoscaler, a live primary keeps its count (the HPA owns
 * it). Otherwise the target's count, unless the target is parked at zero: then the live
 * primary's count, else the autoscaler minimum, else 1 — a primary is never scaled to zero.
 */
export function primaryReplicas(input: PrimaryReplicasInput): number {
  const live = input.primary?.spec?.replicas;
  if (input.hasAutoscaler && input.primary) return live ?? 1;
  const target = input.target.spec?.replicas ?? 1;
  if (target > 0) return target;
  if (live !== undefined && live > 0) return live;
  if (input.hasAutoscaler) return Math.max(1, input.autoscalerMinReplicas ?? 1);
  return 1;
}

function selectorOrThrow(target: Deployment, options: WorkloadOptions): SelectorLabel {
  const selector = selectorLabelOf(target, options);
  if ('error' in selector) throw new WorkloadError(selector.error);
  return selector;
}

function namespaceOf(canary: Canary): string {
  return canary.metadata.namespace ?? 'default';
}

/** The desired primary Deployment (no resourceVersion: a create, or the basis of an update). */
export function buildPrimaryDeployment(input: PrimaryDeploymentInput): Deployment {
  const options = input.options ?? DEFAULT_WORKLOAD_OPTIONS;
  const { target, canary, revision } = input;
  const spec = target.spec;
  if (!spec) throw new WorkloadError(`deployment ${target.metadata?.name ?? ''} has no spec`);
  const { label, value } = selectorOrThrow(target, options);
  const primaryValue = `${value}-primary`;
  const tracked = new Set(input.configs.map(c => `${c.kind}/${c.name}`));
  const template: PodTemplateSpec = clone(spec.template);
  const podMeta = { ...(template.metadata ?? {}) };
  podMeta.labels = { ...(podMeta.labels ?? {}), [label]: primaryValue };
  // The stamp changes whenever the revision does (configs included), so a promotion always
  // rolls the pods; Flagger used a random id, which made every copy a new rollout.
  podMeta.annotations = {
    ...copiedAnnotations(podMeta.annotations),
    [REVISION_ANNOTATION]: revision,
  };
  template.metadata = podMeta;
  if (template.spec) {
    template.spec = renameConfigRefs(template.spec, tracked);
    template.spec = retargetPodSelectors(template.spec, label, value, primaryValue);
  }
  const primarySpec: DeploymentSpec = {
    replicas: input.replicas,
    selector: { matchLabels: { [label]: primaryValue } },
    template,
  };
  if (spec.strategy !== undefined) primarySpec.strategy = clone(spec.strategy);
  for (const key of [
    'minReadySeconds',
    'revisionHistoryLimit',
    'progressDeadlineSeconds',
  ] as const) {
    if (spec[key] !== undefined) primarySpec[key] = spec[key];
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: primaryName(target.metadata?.name ?? canary.spec.targetRef.name),
      namespace: namespaceOf(canary),
      labels: { ...includedLabels(target.metadata?.labels, options), [label]: primaryValue },
      annotations: {
        ...copiedAnnotations(target.metadata?.annotations),
        [REVISION_ANNOTATION]: revision,
      },
      ownerReferences: [canaryOwnerReference(canary)],
    },
    spec: primarySpec,
  };
}

/** `<name>-primary` with the same data (and Secret type), owned by the Canary. */
export function buildPrimaryConfig(
  canary: Canary,
  config: TrackedConfig,
  options: WorkloadOptions = DEFAULT_WORKLOAD_OPTIONS,
): ConfigMap | Secret {
  const metadata = {
    name: primaryName(config.name),
    namespace: namespaceOf(canary),
    labels: includedLabels(config.object.metadata?.labels, options),
    ownerReferences: [canaryOwnerReference(canary)],
  };
  // `immutable` is not copied: the primary copy must take the next promotion's data.
  if (config.kind === 'configmap') {
    const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata };
    if (config.object.data) cm.data = { ...config.object.data };
    if (config.object.binaryData) cm.binaryData = { ...config.object.binaryData };
    return cm;
  }
  const secret: Secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata,
    type: config.object.type ?? 'Opaque',
  };
  if (config.object.data) secret.data = { ...config.object.data };
  return secret;
}

/** `<hpa>-primary`: the target HPA's spec scaling the primary, with the canary's overrides. */
export function buildPrimaryAutoscaler(
  canary: Canary,
  target: HorizontalPodAutoscaler,
  options: WorkloadOptions = DEFAULT_WORKLOAD_OPTIONS,
): HorizontalPodAutoscaler {
  const spec = target.spec;
  if (!spec) throw new WorkloadError(`autoscaler ${target.metadata?.name ?? ''} has no spec`);
  const overrides = canary.spec.autoscalerRef?.primaryScalerReplicas;
  const primarySpec: NonNullable<HorizontalPodAutoscaler['spec']> = {
    ...clone(spec),
    scaleTargetRef: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: primaryName(canary.spec.targetRef.name),
    },
    maxReplicas: overrides?.maxReplicas ?? spec.maxReplicas,
  };
  const min = overrides?.minReplicas ?? spec.minReplicas;
  if (min !== undefined) primarySpec.minReplicas = min;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name: primaryName(target.metadata?.name ?? canary.spec.autoscalerRef?.name ?? ''),
      namespace: namespaceOf(canary),
      labels: includedLabels(target.metadata?.labels, options),
      ownerReferences: [canaryOwnerReference(canary)],
    },
    spec: primarySpec,
  };
}

/** Merge patch that sets the target's replicas. */
export function scaleTargetPatch(replicas: number): { spec: { replicas: number } } {
  return { spec: { replicas } };
}
