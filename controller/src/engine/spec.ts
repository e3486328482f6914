// The engine's view of a Canary: api/'s resolveCanary (validation + Flagger's defaults, the one
// source of them) projected onto the fields a tick reads, with stable ids for checks.
import { summarizeProblems } from '../api/problems.js';
import { resolveCanary, type ResolvedCanarySpec, type WebhookType } from '../api/resolve.js';
import type { Canary, CanaryMetric, CanaryNoDataPolicy, CanaryWebhook } from '../api/types.js';
import type { MetricSource, Strategy } from './types.js';

export type { WebhookType };

export interface EngineWebhook {
  /** `webhook/<index in spec.analysis.webhooks>`: the id of its check. */
  id: string;
  type: WebhookType;
  muteAlert: boolean;
  /** As written in the Canary, for the webhook caller. */
  hook: CanaryWebhook;
}

export interface EngineMetric {
  /** `metric/<index in spec.analysis.metrics>`: the id of its check. */
  id: string;
  source: MetricSource;
  /** With the deprecated `threshold` folded in. */
  range: { min?: number; max?: number };
  /** As written in the Canary, for the metrics module. */
  metric: CanaryMetric;
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
  /** Ladder capped at 100; used only when stepWeight is 0. */
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
  metrics: EngineMetric[];
  webhooks: EngineWebhook[];
  noDataPolicy: CanaryNoDataPolicy;
  minRequestCount: number;
  judge: boolean;
  autoscalerKind?: string;
  cookieName?: string;
  primaryCookieName?: string;
}

export type SpecResult = { ok: true; spec: EngineSpec } | { ok: false; problems: string };

/**
 * Unknown fields are ignored here: the API server prunes them anyway, and a typo must not freeze
 * a canary in flight. Any other validation problem does: the engine never acts on a spec it
 * cannot read.
 */
export function resolveSpec(canary: Canary): SpecResult {
  const result = resolveCanary(canary, { unknownFields: 'ignore' });
  if (!result.ok) return { ok: false, problems: summarizeProblems(result.problems) };
  return { ok: true, spec: project(canary, result.spec) };
}

function project(canary: Canary, resolved: ResolvedCanarySpec): EngineSpec {
  const { analysis } = resolved;
  const raw = canary.spec.analysis ?? canary.spec.canaryAnalysis ?? {};
  const affinity = analysis.sessionAffinity;
  const autoscalerKind = resolved.autoscalerRef?.kind;
  return {
    name: resolved.name,
    namespace: resolved.namespace,
    targetKind: resolved.targetRef.kind,
    targetName: resolved.targetRef.name,
    primaryName: resolved.targetRef.primaryName,
    strategy: analysis.strategy,
    intervalMs: analysis.intervalMs,
    threshold: analysis.threshold,
    maxWeight: analysis.maxWeight,
    stepWeight: analysis.stepWeight,
    stepWeights: analysis.stepWeights,
    stepWeightPromotion: analysis.stepWeightPromotion,
    iterations: analysis.iterations,
    mirror: analysis.mirror,
    primaryReadyThreshold: analysis.primaryReadyThreshold,
    canaryReadyThreshold: analysis.canaryReadyThreshold,
    progressDeadlineSeconds: resolved.progressDeadlineSeconds,
    skipAnalysis: resolved.skipAnalysis,
    suspend: resolved.suspend,
    revertOnDeletion: resolved.revertOnDeletion,
    // resolveAnalysis keeps the order of the lists, so index i is the same entry in both.
    metrics: analysis.metrics.flatMap((metric, index) => {
      const written = raw.metrics?.[index];
      if (!written) return [];
      const source = metric.source.kind === 'query' ? 'inline' : metric.source.kind;
      return [{ id: `metric/${index}`, source, range: metric.thresholdRange, metric: written }];
    }),
    webhooks: analysis.webhooks.flatMap((hook, index) => {
      const written = raw.webhooks?.[index];
      if (!written) return [];
      return [
        { id: `webhook/${index}`, type: hook.type, muteAlert: hook.muteAlert, hook: written },
      ];
    }),
    noDataPolicy: analysis.noDataPolicy,
    minRequestCount: analysis.minRequestCount,
    judge: analysis.judge !== undefined,
    ...(autoscalerKind ? { autoscalerKind } : {}),
    ...(affinity ? { cookieName: affinity.cookieName } : {}),
    ...(affinity?.primaryCookieName ? { primaryCookieName: affinity.primaryCookieName } : {}),
  };
}

export function hooksOf(spec: EngineSpec, type: WebhookType): EngineWebhook[] {
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
