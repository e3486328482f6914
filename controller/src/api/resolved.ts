/**
 * ResolvedCanarySpec: a validated Canary with every Flagger default applied, durations in
 * milliseconds and derived names computed. The engine works on this, never on the raw spec.
 */
import type { BuiltinMetricName } from './names.js';
import type {
  CanaryAnalysisMatch,
  CanaryAutoscalerRef,
  CanaryJudgeDirection,
  CanaryNoDataPolicy,
  CanaryWebhookType,
  IstioCorsPolicy,
  IstioHeaders,
  IstioHTTPMatchRequest,
  IstioHTTPRetry,
  IstioTrafficPolicy,
} from './types.generated.js';

/** ab-testing: match + iterations; blue-green: iterations only; canary: step weights. */
export type CanaryStrategy = 'canary' | 'blue-green' | 'ab-testing';

/** Webhook types with the empty type already mapped to rollout. */
export type WebhookType = Exclude<CanaryWebhookType, ''>;

export type AlertSeverity = 'info' | 'warn' | 'error';

export interface ResolvedMetadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ResolvedService {
  /** Apex Service and VirtualService name: spec.service.name, or the target name. */
  name: string;
  /** `<apex>-primary`: Service and DestinationRule of the primary. */
  primaryName: string;
  /** `<apex>-canary`: Service and DestinationRule of the canary. */
  canaryName: string;
  port: number;
  /** Default: http. */
  portName: string;
  /** Default: the port. */
  targetPort: number | string;
  appProtocol?: string;
  /** tcp when appProtocol is tcp (any case): the VirtualService gets TCP routes. */
  protocol: 'http' | 'tcp';
  trafficDistribution?: 'PreferClose' | 'PreferSameZone' | 'PreferSameNode';
  portDiscovery: boolean;
  headless: boolean;
  timeout?: string;
  retries?: IstioHTTPRetry;
  headers?: IstioHeaders;
  corsPolicy?: IstioCorsPolicy;
  match: IstioHTTPMatchRequest[];
  /** Istio's part of spec.service.rewrite (the Gateway API `type` is dropped). */
  rewrite?: { uri?: string; authority?: string };
  /** Effective VirtualService gateways: spec.service.gateways, [mesh] when empty, [] for delegation. */
  gateways: string[];
  /** Effective VirtualService hosts: spec.service.hosts plus the apex name unless it or * is listed; [] for delegation. */
  hosts: string[];
  delegation: boolean;
  trafficPolicy?: IstioTrafficPolicy;
  apex: ResolvedMetadata;
  primary: ResolvedMetadata;
  canary: ResolvedMetadata;
  unmanagedMetadata: { labels: string[]; annotations: string[] };
}

export interface ResolvedThresholdRange {
  min?: number;
  max?: number;
}

export type ResolvedMetricSource =
  | { kind: 'builtin'; builtin: BuiltinMetricName }
  | { kind: 'template'; templateRef: { name: string; namespace: string } }
  | { kind: 'query'; query: string };

export interface ResolvedMetric {
  name: string;
  /** Exactly one source per metric: templateRef, else query, else the built-in of that name. */
  source: ResolvedMetricSource;
  /** As written (default 1m): substituted for {{ interval }} and usable as a PromQL range. */
  interval: string;
  intervalMs: number;
  /** The deprecated `threshold` is folded in (minimum for request-success-rate, else maximum). */
  thresholdRange: ResolvedThresholdRange;
  templateVariables: Record<string, string>;
}

export interface ResolvedWebhook {
  name: string;
  type: WebhookType;
  url: string;
  /** Default 10s, also for 0 and for values shorter than two characters. */
  timeoutMs: number;
  retries: number;
  disableTLS: boolean;
  muteAlert: boolean;
  metadata: Record<string, string>;
}

export interface ResolvedAlert {
  name: string;
  /** Default info, also for an empty severity. */
  severity: AlertSeverity;
  providerRef: { name: string; namespace: string };
}

export interface ResolvedSessionAffinity {
  cookieName: string;
  primaryCookieName?: string;
  /** Seconds; default 86400 (also for 0). */
  maxAge: number;
  domain?: string;
  path?: string;
  httpOnly: boolean;
  secure: boolean;
  partitioned: boolean;
  sameSite?: 'Strict' | 'Lax' | 'None';
}

export interface ResolvedJudgeMetric {
  /** Name of an entry of analysis.metrics. */
  name: string;
  direction: CanaryJudgeDirection;
  /** Percent of the primary's value. */
  maxRelativeDegradation: number;
}

export interface ResolvedJudge {
  type: 'compare';
  /** Percent. Default 95. */
  confidence: number;
  metrics: ResolvedJudgeMetric[];
}

export interface ResolvedAnalysis {
  strategy: CanaryStrategy;
  /** Tick period: default 1m, never below 10s. */
  intervalMs: number;
  /** Failed checks that trigger a rollback; at least 1. */
  threshold: number;
  /** Weight at which promotion starts: min(100, last stepWeights entry), else maxWeight, else 100. */
  maxWeight: number;
  /** 0..100 (larger values are capped at 100). */
  stepWeight: number;
  /** Strictly increasing, capped at 100 (entries after the first 100 are dropped). */
  stepWeights: number[];
  stepWeightPromotion: number;
  iterations: number;
  mirror: boolean;
  /** Percentage mirrored; undefined means every request (Istio's default). */
  mirrorWeight?: number;
  match: CanaryAnalysisMatch[];
  primaryReadyThreshold: number;
  canaryReadyThreshold: number;
  sessionAffinity?: ResolvedSessionAffinity;
  metrics: ResolvedMetric[];
  webhooks: ResolvedWebhook[];
  alerts: ResolvedAlert[];
  judge?: ResolvedJudge;
  noDataPolicy: CanaryNoDataPolicy;
  minRequestCount: number;
}

export interface ResolvedCanarySpec {
  /** The Canary's own name and namespace ({{ name }} and {{ namespace }} in templates). */
  name: string;
  namespace: string;
  provider: 'istio';
  /** undefined: use the controller's global metrics server. */
  metricsServer?: string;
  targetRef: {
    apiVersion: string;
    kind: 'Deployment';
    name: string;
    /** `<target>-primary`: the primary Deployment (and autoscaler suffix). */
    primaryName: string;
  };
  autoscalerRef?: CanaryAutoscalerRef;
  service: ResolvedService;
  analysis: ResolvedAnalysis;
  /** spec.skipAnalysis, or no analysis block at all. */
  skipAnalysis: boolean;
  progressDeadlineSeconds: number;
  progressDeadlineMs: number;
  revertOnDeletion: boolean;
  suspend: boolean;
}
