// Flagger's controller-side defaults for spec.analysis (the spec is already validated).
import { parseGoDuration } from './duration.js';
import { isBuiltinMetric } from './names.js';
import type {
  AlertSeverity,
  CanaryStrategy,
  ResolvedAnalysis,
  ResolvedJudge,
  ResolvedMetric,
  ResolvedMetricSource,
  ResolvedSessionAffinity,
  ResolvedThresholdRange,
  ResolvedWebhook,
} from './resolved.js';
import type {
  CanaryAnalysis,
  CanaryJudge,
  CanaryMetric,
  CanarySessionAffinity,
  CanaryWebhook,
} from './types.generated.js';

export const DEFAULT_INTERVAL_MS = 60_000;
export const MIN_INTERVAL_MS = 10_000;
export const DEFAULT_METRIC_INTERVAL = '1m';
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
export const DEFAULT_READY_THRESHOLD = 100;
export const DEFAULT_COOKIE_MAX_AGE = 86_400;
export const DEFAULT_MAX_RELATIVE_DEGRADATION = 10;
export const DEFAULT_JUDGE_CONFIDENCE = 95;

const clone = <T>(value: T): T => structuredClone(value);
const cap = (value: number | undefined) => Math.min(100, Math.max(0, value ?? 0));

export function strategyOf(analysis: CanaryAnalysis): CanaryStrategy {
  const iterations = analysis.iterations ?? 0;
  if (iterations > 0 && (analysis.match?.length ?? 0) > 0) return 'ab-testing';
  if (iterations > 0) return 'blue-green';
  return 'canary';
}

function intervalMs(interval: string | undefined): number {
  const parsed = interval ? parseGoDuration(interval) : undefined;
  return Math.max(MIN_INTERVAL_MS, parsed ?? DEFAULT_INTERVAL_MS);
}

/** Caps the ladder at 100 and stops there: [1, 2, 10, 200] becomes [1, 2, 10, 100]. */
function ladder(steps: number[]): number[] {
  const out: number[] = [];
  for (const step of steps) {
    out.push(Math.min(100, step));
    if (step >= 100) break;
  }
  return out;
}

function thresholdRange(metric: CanaryMetric): ResolvedThresholdRange {
  if (metric.thresholdRange) {
    const range: ResolvedThresholdRange = {};
    if (metric.thresholdRange.min !== undefined) range.min = metric.thresholdRange.min;
    if (metric.thresholdRange.max !== undefined) range.max = metric.thresholdRange.max;
    return range;
  }
  const threshold = metric.threshold ?? 0;
  return metric.name === 'request-success-rate' ? { min: threshold } : { max: threshold };
}

function metricSource(metric: CanaryMetric, namespace: string): ResolvedMetricSource {
  if (metric.templateRef) {
    return {
      kind: 'template',
      templateRef: {
        name: metric.templateRef.name,
        namespace: metric.templateRef.namespace || namespace,
      },
    };
  }
  if (metric.query) return { kind: 'query', query: metric.query };
  if (isBuiltinMetric(metric.name)) return { kind: 'builtin', builtin: metric.name };
  throw new Error(`metric ${metric.name} has no source; validate the canary before resolving it`);
}

function resolveMetric(metric: CanaryMetric, namespace: string): ResolvedMetric {
  const interval = metric.interval || DEFAULT_METRIC_INTERVAL;
  return {
    name: metric.name,
    source: metricSource(metric, namespace),
    interval,
    intervalMs: parseGoDuration(interval) ?? DEFAULT_INTERVAL_MS,
    thresholdRange: thresholdRange(metric),
    templateVariables: { ...(metric.templateVariables ?? {}) },
  };
}

function resolveWebhook(hook: CanaryWebhook): ResolvedWebhook {
  // Flagger uses 10s for a missing timeout and for any value shorter than two characters;
  // Aviary also uses it for a zero timeout, which would otherwise mean "wait forever".
  const timeout =
    hook.timeout && hook.timeout.length >= 2 ? parseGoDuration(hook.timeout) : undefined;
  return {
    name: hook.name,
    type: hook.type || 'rollout',
    url: hook.url,
    timeoutMs: timeout && timeout > 0 ? timeout : DEFAULT_WEBHOOK_TIMEOUT_MS,
    retries: hook.retries ?? 0,
    disableTLS: hook.disableTLS ?? false,
    muteAlert: hook.muteAlert ?? false,
    metadata: { ...(hook.metadata ?? {}) },
  };
}

function resolveSessionAffinity(affinity: CanarySessionAffinity): ResolvedSessionAffinity {
  const out: ResolvedSessionAffinity = {
    cookieName: affinity.cookieName,
    maxAge: affinity.maxAge || DEFAULT_COOKIE_MAX_AGE,
    httpOnly: affinity.httpOnly ?? false,
    secure: affinity.secure ?? false,
    partitioned: affinity.partitioned ?? false,
  };
  if (affinity.primaryCookieName) out.primaryCookieName = affinity.primaryCookieName;
  if (affinity.domain) out.domain = affinity.domain;
  if (affinity.path) out.path = affinity.path;
  if (affinity.sameSite) out.sameSite = affinity.sameSite;
  return out;
}

function resolveJudge(judge: CanaryJudge, metrics: CanaryMetric[]): ResolvedJudge {
  const fallback = judge.maxRelativeDegradation ?? DEFAULT_MAX_RELATIVE_DEGRADATION;
  const listed =
    judge.metrics ??
    [...new Set(metrics.map(m => m.name).filter(isBuiltinMetric))].map(name => ({ name }));
  return {
    type: judge.type,
    confidence: judge.confidence ?? DEFAULT_JUDGE_CONFIDENCE,
    metrics: listed.map(item => ({
      name: item.name,
      direction:
        'direction' in item && item.direction
          ? item.direction
          : item.name === 'request-duration'
            ? 'lowerIsBetter'
            : 'higherIsBetter',
      maxRelativeDegradation:
        'maxRelativeDegradation' in item && item.maxRelativeDegradation !== undefined
          ? item.maxRelativeDegradation
          : fallback,
    })),
  };
}

export function resolveAnalysis(analysis: CanaryAnalysis, namespace: string): ResolvedAnalysis {
  const stepWeights = ladder(analysis.stepWeights ?? []);
  const lastStep = stepWeights[stepWeights.length - 1];
  const maxWeight =
    lastStep !== undefined
      ? lastStep
      : (analysis.maxWeight ?? 0) > 0
        ? cap(analysis.maxWeight)
        : 100;
  const metrics = analysis.metrics ?? [];
  const resolved: ResolvedAnalysis = {
    strategy: strategyOf(analysis),
    intervalMs: intervalMs(analysis.interval),
    threshold: (analysis.threshold ?? 0) > 0 ? analysis.threshold! : 1,
    maxWeight,
    stepWeight: cap(analysis.stepWeight),
    stepWeights,
    stepWeightPromotion: cap(analysis.stepWeightPromotion),
    iterations: analysis.iterations ?? 0,
    mirror: analysis.mirror ?? false,
    match: clone(analysis.match ?? []),
    primaryReadyThreshold: analysis.primaryReadyThreshold ?? DEFAULT_READY_THRESHOLD,
    canaryReadyThreshold: analysis.canaryReadyThreshold ?? DEFAULT_READY_THRESHOLD,
    metrics: metrics.map(metric => resolveMetric(metric, namespace)),
    webhooks: (analysis.webhooks ?? []).map(resolveWebhook),
    alerts: (analysis.alerts ?? []).map(alert => ({
      name: alert.name,
      // Flagger delivers nothing to an entry with an empty severity; Aviary treats it as info,
      // the default the CRD documents.
      severity: (alert.severity || 'info') as AlertSeverity,
      providerRef: {
        name: alert.providerRef.name,
        namespace: alert.providerRef.namespace || namespace,
      },
    })),
    noDataPolicy: analysis.noDataPolicy ?? 'fail',
    minRequestCount: analysis.minRequestCount ?? 0,
  };
  if ((analysis.mirrorWeight ?? 0) > 0) resolved.mirrorWeight = analysis.mirrorWeight;
  if (analysis.sessionAffinity) {
    resolved.sessionAffinity = resolveSessionAffinity(analysis.sessionAffinity);
  }
  if (analysis.judge) resolved.judge = resolveJudge(analysis.judge, metrics);
  return resolved;
}
