// INTERIM hand-written types; replaced by re-exports of types.generated.ts (same names).
export const GROUP = 'aviary.dev';
export const VERSION = 'v1beta1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const CANARY_KIND = 'Canary';
export const CANARY_PLURAL = 'canaries';
export const METRIC_TEMPLATE_KIND = 'MetricTemplate';
export const METRIC_TEMPLATE_PLURAL = 'metrictemplates';
export const ALERT_PROVIDER_KIND = 'AlertProvider';
export const ALERT_PROVIDER_PLURAL = 'alertproviders';

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

export type CanaryPhase =
  | ''
  | 'Initializing'
  | 'Initialized'
  | 'Waiting'
  | 'Progressing'
  | 'WaitingPromotion'
  | 'Promoting'
  | 'Finalising'
  | 'Succeeded'
  | 'Failed'
  | 'Terminating'
  | 'Terminated';

export interface CrossNamespaceObjectReference {
  apiVersion?: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface LocalObjectReference {
  name: string;
}

export interface CanaryAutoscalerRef {
  apiVersion?: string;
  kind: string;
  name: string;
  primaryScalerQueries?: Record<string, string>;
  primaryScalerReplicas?: { minReplicas?: number; maxReplicas?: number };
}

export interface CustomMetadata {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface CanaryService {
  name?: string;
  port: number;
  portName?: string;
  targetPort?: number | string;
  appProtocol?: string;
  trafficDistribution?: string;
  portDiscovery?: boolean;
  headless?: boolean;
  timeout?: string;
  retries?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  corsPolicy?: Record<string, unknown>;
  match?: Array<Record<string, unknown>>;
  rewrite?: Record<string, unknown>;
  gateways?: string[];
  hosts?: string[];
  delegation?: boolean;
  trafficPolicy?: Record<string, unknown>;
  apex?: CustomMetadata;
  primary?: CustomMetadata;
  canary?: CustomMetadata;
  unmanagedMetadata?: { annotations?: string[]; labels?: string[] };
  [key: string]: unknown;
}

export interface CanaryThresholdRange {
  min?: number;
  max?: number;
}

export interface CanaryMetric {
  name: string;
  interval?: string;
  threshold?: number;
  thresholdRange?: CanaryThresholdRange;
  query?: string;
  templateRef?: { name: string; namespace?: string };
  templateVariables?: Record<string, string>;
}

export interface CanaryWebhook {
  name: string;
  type?:
    | ''
    | 'confirm-rollout'
    | 'pre-rollout'
    | 'rollout'
    | 'confirm-traffic-increase'
    | 'confirm-promotion'
    | 'post-rollout'
    | 'rollback'
    | 'event';
  url: string;
  timeout?: string;
  retries?: number;
  disableTLS?: boolean;
  muteAlert?: boolean;
  metadata?: Record<string, string>;
}

export interface CanaryAlert {
  name: string;
  severity?: '' | 'info' | 'warn' | 'error';
  providerRef: { name: string; namespace?: string };
}

export interface CanarySessionAffinity {
  cookieName: string;
  primaryCookieName?: string;
  maxAge?: number;
  domain?: string;
  path?: string;
  httpOnly?: boolean;
  secure?: boolean;
  partitioned?: boolean;
  sameSite?: 'Strict' | 'Lax' | 'None';
}

export interface CanaryJudge {
  type: 'compare';
  maxRelativeDegradation?: number;
  [key: string]: unknown;
}

export interface CanaryAnalysis {
  interval?: string;
  threshold?: number;
  maxWeight?: number;
  stepWeight?: number;
  stepWeights?: number[];
  stepWeightPromotion?: number;
  iterations?: number;
  mirror?: boolean;
  mirrorWeight?: number;
  match?: Array<Record<string, unknown>>;
  primaryReadyThreshold?: number;
  canaryReadyThreshold?: number;
  sessionAffinity?: CanarySessionAffinity;
  metrics?: CanaryMetric[];
  webhooks?: CanaryWebhook[];
  alerts?: CanaryAlert[];
  judge?: CanaryJudge;
  noDataPolicy?: 'fail' | 'pass' | 'skip';
  minRequestCount?: number;
}

export interface CanarySpec {
  provider?: string;
  metricsServer?: string;
  targetRef: CrossNamespaceObjectReference;
  autoscalerRef?: CanaryAutoscalerRef;
  ingressRef?: CrossNamespaceObjectReference;
  routeRef?: CrossNamespaceObjectReference;
  upstreamRef?: CrossNamespaceObjectReference;
  service: CanaryService;
  analysis?: CanaryAnalysis;
  canaryAnalysis?: CanaryAnalysis;
  progressDeadlineSeconds?: number;
  skipAnalysis?: boolean;
  revertOnDeletion?: boolean;
  suspend?: boolean;
}

export interface CanaryCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface CanaryStatus {
  phase?: CanaryPhase;
  canaryWeight?: number;
  failedChecks?: number;
  iterations?: number;
  lastAppliedSpec?: string;
  lastPromotedSpec?: string;
  lastTransitionTime?: string;
  conditions?: CanaryCondition[];
  trackedConfigs?: Record<string, string>;
  sessionAffinityCookie?: string;
  primarySessionAffinityCookie?: string;
  previousSessionAffinityCookie?: string;
  observedGeneration?: number;
}

export interface Canary {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: CanarySpec;
  status?: CanaryStatus;
}

export interface MetricTemplateSpec {
  provider: {
    type: string;
    address?: string;
    headers?: Record<string, string[]>;
    secretRef?: LocalObjectReference;
    region?: string;
    insecureSkipVerify?: boolean;
  };
  query: string;
}

export interface MetricTemplate {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: MetricTemplateSpec;
}

export interface AlertProviderSpec {
  type: 'slack' | 'msteams' | 'discord' | 'rocket' | 'gchat';
  address?: string;
  secretRef?: LocalObjectReference;
  channel?: string;
  username?: string;
  proxy?: string;
}

export interface AlertProvider {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: AlertProviderSpec;
}
