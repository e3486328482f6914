// Plain JSON shapes of the workload objects, limited to the fields Aviary reads or rewrites.
// Everything else passes through untouched (index signatures), so a copy keeps fields this
// file does not name.
import type { ObjectMeta } from '../api/meta.js';

export type { ObjectMeta };

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

export interface KeyRef {
  name?: string;
  key?: string;
  optional?: boolean;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: KeyRef;
    secretKeyRef?: KeyRef;
    [field: string]: unknown;
  };
}

export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name?: string; optional?: boolean };
  secretRef?: { name?: string; optional?: boolean };
}

export interface Container {
  name: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  [field: string]: unknown;
}

export interface ProjectionSource {
  configMap?: { name?: string; optional?: boolean; [field: string]: unknown };
  secret?: { name?: string; optional?: boolean; [field: string]: unknown };
  [field: string]: unknown;
}

export interface Volume {
  name: string;
  configMap?: { name?: string; optional?: boolean; [field: string]: unknown };
  secret?: { secretName?: string; optional?: boolean; [field: string]: unknown };
  projected?: { sources?: ProjectionSource[]; [field: string]: unknown };
  [field: string]: unknown;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  [field: string]: unknown;
}

export interface PodTemplateSpec {
  metadata?: ObjectMeta;
  spec?: PodSpec;
}

export interface DeploymentSpec {
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
  strategy?: unknown;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
  paused?: boolean;
}

export interface DeploymentCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
}

export interface Deployment {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: DeploymentSpec;
  status?: DeploymentStatus;
}

export interface ConfigMap {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  immutable?: boolean;
}

export interface Secret {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  type?: string;
  data?: Record<string, string>;
  immutable?: boolean;
}

export interface HorizontalPodAutoscaler {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: {
    scaleTargetRef: { apiVersion?: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
    metrics?: unknown[];
    behavior?: unknown;
  };
  status?: unknown;
}

/** `configmap` or `secret`: the prefix of `status.trackedConfigs` keys. */
export type ConfigKind = 'configmap' | 'secret';

/** A ConfigMap/Secret the pod template references. */
export interface ConfigRef {
  kind: ConfigKind;
  name: string;
  /** True only when every reference to it is optional. */
  optional: boolean;
}

/** A tracked config: the object and its data checksum. */
export type TrackedConfig =
  | { kind: 'configmap'; name: string; checksum: string; object: ConfigMap }
  | { kind: 'secret'; name: string; checksum: string; object: Secret };

/** How observers find the ConfigMaps/Secrets a target references (e.g. from a cache). */
export interface ConfigLookup {
  configMap(name: string): ConfigMap | undefined;
  secret(name: string): Secret | undefined;
}
