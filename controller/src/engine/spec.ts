// The engine's resolved view of a Canary: Flagger's defaults applied, durations in ms.
// Interim: api/ is to export a `ResolvedCanarySpec`; until it does, the engine resolves the few
// fields it needs here (swap this file's body for that once it exists).
import type {
  Canary,
  CanaryAnalysis,
  CanaryMetric,
  CanaryNoDataPolicy,
  CanaryWebhook,
} from '../api/types.js';
import type { MetricSource, Strategy } from './types.js';

export type WebhookType =
  | 'confirm-rollout'
  | 'pre-rollout'
  | 'rollout'
  | 'confirm-traffic-increase'
  | 'confirm-promotion'
  | 'post-rollout'
  | 'rollback'
  | 'event';

export interface ResolvedWebhook {
  id: string;
  type: WebhookType;
  hook: CanaryWebhook;
}

export interface ResolvedMetric {
  id: string;
  metric: CanaryMetric;
  /** Undefined: no templateRef, no query and not a built-in name (the check always fails). */
  source?: MetricSource;
}

export interface EngineSpec {
  name: string;
  namespace: string;
  targetKind: string;
  targetName: string;
  primaryName: string;
  strategy: Strategy;
  intervalMs: number;
  threshold: number;
  /** Canary strategy: weight at which promotion starts (≤ 100). */
  maxWeight: number;
  stepWeight: number;
  /** Ladder with values capped at 100; used only when stepWeight is 0. */
  stepWeights: number[];
  stepWeightPromotion: number;
  iterations: number;
  mirror: boolean;
  primaryReadyThreshold: number;
  canaryReadyThreshold: number;
  progressDeadlineSeconds: number;
  skipAnalysis: boolean;
  suspend: boolean;
  revertOnDeletion: boolean;
  metrics: ResolvedMetric[];
  webhooks: ResolvedWebhook[];
  noDataPolicy: CanaryNoDataPolicy;
  minRequestCount: number;
  judge: boolean;
  autoscalerKind?: string;
  cookieName?: string;
  primaryCookieName?: string;
}

export const BUILTIN_METRICS = ['request-success-rate', 'request-duration'] as const;

const DEFAULT_INTERVAL_MS = 60_000;
const MIN_INTERVAL_MS = 10_000;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** Go-style durations ("1m", "90s", "1m30s"); undefined when unparseable. */
export function parseDurationMs(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const part = /(\d+(?:\.\d+)?)(ms|h|m|s)/y;
  let total = 0;
  while (part.lastIndex < text.length) {
    const match = part.exec(text);
    if (!match) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) ? total : undefined;
}

function strategyOf(analysis: CanaryAnalysis): Strategy {
  const iterations = analysis.iterations ?? 0;
  if (iterations > 0 && (analysis.match ?? []).length > 0) return 'ab-testing';
  if (iterations > 0) return 'blue-green';
  return 'canary';
}

function webhookType(hook: CanaryWebhook): WebhookType {
  return hook.type ? hook.type : 'rollout';
}

function metricSource(metric: CanaryMetric): MetricSource | undefined {
  if (metric.templateRef) return 'template';
  if (metric.query) return 'inline';
  if ((BUILTIN_METRICS as readonly string[]).includes(metric.name)) return 'builtin';
  return undefined;
}

function capWeight(weight: number): number {
  return Math.min(100, Math.max(0, weight));
}

export function resolveSpec(canary: Canary): EngineSpec {
  const { spec } = canary;
  const block = spec.analysis ?? spec.canaryAnalysis;
  const analysis: CanaryAnalysis = block ?? {};
  const interval = parseDurationMs(analysis.interval) ?? DEFAULT_INTERVAL_MS;
  const stepWeight = analysis.stepWeight ?? 0;
  const stepWeights = stepWeight > 0 ? [] : (analysis.stepWeights ?? []).map(capWeight);
  const ladderTop = stepWeights[stepWeights.length - 1];
  const maxWeight = ladderTop !== undefined ? ladderTop : capWeight(analysis.maxWeight || 100);
  const threshold = analysis.threshold ?? 0;
  const autoscalerKind = spec.autoscalerRef?.kind;
  const affinity = analysis.sessionAffinity;
  return {
    name: canary.metadata.name ?? '',
    namespace: canary.metadata.namespace ?? 'default',
    targetKind: spec.targetRef.kind || 'Deployment',
    targetName: spec.targetRef.name,
    primaryName: `${spec.targetRef.name}-primary`,
    strategy: strategyOf(analysis),
    intervalMs: Math.max(MIN_INTERVAL_MS, interval),
    threshold: threshold > 0 ? threshold : 1,
    maxWeight,
    stepWeight,
    stepWeights,
    stepWeightPromotion: Math.max(0, analysis.stepWeightPromotion ?? 0),
    iterations: Math.max(0, analysis.iterations ?? 0),
    mirror: analysis.mirror ?? false,
    primaryReadyThreshold: analysis.primaryReadyThreshold ?? 100,
    canaryReadyThreshold: analysis.canaryReadyThreshold ?? 100,
    progressDeadlineSeconds: spec.progressDeadlineSeconds ?? 600,
    skipAnalysis: (spec.skipAnalysis ?? false) || block === undefined,
    suspend: spec.suspend ?? false,
    revertOnDeletion: spec.revertOnDeletion ?? false,
    metrics: (analysis.metrics ?? []).map((metric, index) => ({
      id: `metric/${index}`,
      metric,
      source: metricSource(metric),
    })),
    webhooks: (analysis.webhooks ?? []).map((hook, index) => ({
      id: `webhook/${index}`,
      type: webhookType(hook),
      hook,
    })),
    noDataPolicy: analysis.noDataPolicy ?? 'fail',
    minRequestCount: analysis.minRequestCount ?? 0,
    judge: analysis.judge !== undefined,
    ...(autoscalerKind ? { autoscalerKind } : {}),
    ...(affinity ? { cookieName: affinity.cookieName } : {}),
    ...(affinity?.primaryCookieName ? { primaryCookieName: affinity.primaryCookieName } : {}),
  };
}

export function hooksOf(spec: EngineSpec, type: WebhookType): ResolvedWebhook[] {
  return spec.webhooks.filter(webhook => webhook.type === type);
}

/** Alert fields of the "+fields" messages (the notifier adds Cluster). */
export function alertFields(spec: EngineSpec): Array<{ title: string; value: string }> {
  return [
    { title: 'Target', value: `${spec.targetKind}/${spec.targetName}.${spec.namespace}` },
    { title: 'Failed checks threshold', value: String(spec.threshold) },
    { title: 'Progress deadline', value: `${spec.progressDeadlineSeconds}s` },
    { title: 'Traffic routing', value: trafficRouting(spec) },
  ];
}

function trafficRouting(spec: EngineSpec): string {
  if (spec.strategy === 'ab-testing') return 'A/B Testing';
  if (spec.strategy === 'blue-green') return 'Blue/Green';
  if (spec.stepWeights.length > 0) {
    return `Weight steps: ${spec.stepWeights.join(',')} max: ${spec.maxWeight}`;
  }
  return `Weight step: ${spec.stepWeight} max: ${spec.maxWeight}`;
}
