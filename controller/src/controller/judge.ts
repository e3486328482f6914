// The `analysis.judge` check (Aviary addition): each compared metric is measured for the canary
// and for the primary (same query, `{{ target }}` = `<target>-primary`), and the check fails when
// the canary is worse by more than `maxRelativeDegradation` percent of the primary's value. For
// request-success-rate the degradation must also be statistically significant at `confidence`
// (one-sided two-proportion z-test on the request counts of the metric's window), so a handful
// of unlucky requests on a low-traffic canary does not fail it.
import { resolveCanary } from '../api/index.js';
import type { Canary, CanaryMetric } from '../api/types.js';
import type { CheckResult } from '../engine/types.js';
import { MetricsError, metricSourceOf, renderQuery } from '../metrics/index.js';
import { measureMetric, metricsServerOf, type MeasureDeps } from './measure.js';

interface Compared {
  name: string;
  direction: 'higherIsBetter' | 'lowerIsBetter';
  maxRelativeDegradation: number;
}

export async function runJudge(canary: Canary, deps: MeasureDeps): Promise<CheckResult> {
  const resolved = resolveCanary(canary, { unknownFields: 'ignore' });
  const judge = resolved.ok ? resolved.spec.analysis.judge : undefined;
  if (!resolved.ok || !judge) return { kind: 'judge', ok: true };
  const written = (canary.spec.analysis ?? canary.spec.canaryAnalysis)?.metrics ?? [];
  const primary = aimedAtPrimary(canary, resolved.spec.targetRef.primaryName);
  const verdicts = await Promise.all(
    judge.metrics.map(async compared => {
      const metric = written.find(m => m.name === compared.name);
      if (!metric) return undefined;
      return compare(canary, primary, metric, compared, judge.confidence, deps);
    }),
  );
  const failure = verdicts.find((v): v is string => typeof v === 'string');
  return failure ? { kind: 'judge', ok: false, reason: failure } : { kind: 'judge', ok: true };
}

/** The same canary with the primary as `{{ target }}` (name and service stay). */
function aimedAtPrimary(canary: Canary, primaryName: string): Canary {
  const service = {
    ...canary.spec.service,
    name: canary.spec.service.name || canary.spec.targetRef.name,
  };
  return {
    ...canary,
    spec: { ...canary.spec, service, targetRef: { ...canary.spec.targetRef, name: primaryName } },
  };
}

/** A failure reason, or undefined when the canary is not (significantly) worse. */
async function compare(
  canary: Canary,
  primary: Canary,
  metric: CanaryMetric,
  compared: Compared,
  confidence: number,
  deps: MeasureDeps,
): Promise<string | undefined> {
  const source = metricSourceOf(metric);
  if (!source) return undefined;
  const [mine, theirs] = await Promise.all([
    measureMetric(canary, metric, source, deps),
    measureMetric(primary, metric, source, deps),
  ]);
  // Without a value on both sides there is nothing to compare; the metric check itself
  // already reports missing data according to the no-data policy.
  if (mine.outcome !== 'value' || theirs.outcome !== 'value') return undefined;
  const allowed = compared.maxRelativeDegradation / 100;
  const worse =
    compared.direction === 'lowerIsBetter'
      ? mine.value > theirs.value * (1 + allowed)
      : mine.value < theirs.value * (1 - allowed);
  if (!worse) return undefined;
  if (source === 'builtin' && metric.name === 'request-success-rate') {
    const significant = await errorRateSignificantlyHigher(
      canary,
      primary,
      metric,
      confidence,
      deps,
    );
    if (!significant) return undefined;
  }
  return `${metric.name} ${round(mine.value)} vs primary ${round(theirs.value)} (more than ${compared.maxRelativeDegradation}% worse)`;
}

const COUNT = `sum(increase(istio_requests_total{reporter="destination", destination_workload_namespace="{{ namespace }}", destination_workload=~"{{ target }}"{{ variables.codes }}}[{{ interval }}]))`;

async function errorRateSignificantlyHigher(
  canary: Canary,
  primary: Canary,
  metric: CanaryMetric,
  confidence: number,
  deps: MeasureDeps,
): Promise<boolean> {
  const count = async (who: Canary, errorsOnly: boolean): Promise<number> => {
    const query = renderQuery(COUNT, {
      name: who.metadata.name ?? '',
      namespace: who.metadata.namespace ?? 'default',
      target: who.spec.targetRef.name,
      service: who.spec.service.name || who.spec.targetRef.name,
      interval: metric.interval || '1m',
      variables: { codes: errorsOnly ? ', response_code=~"5.*"' : '' },
    });
    try {
      const provider = deps.prometheus(metricsServerOf(canary, deps));
      return await deps.queryLimiter.run(() => provider.runQuery(query));
    } catch (err) {
      if (err instanceof MetricsError && err.kind === 'no-data') return 0;
      throw err;
    }
  };
  try {
    const [n1, e1, n2, e2] = await Promise.all([
      count(canary, false),
      count(canary, true),
      count(primary, false),
      count(primary, true),
    ]);
    return oneSidedProportionTest(e1, n1, e2, n2, confidence);
  } catch {
    // Counts unavailable: fall back to the point estimate, which already said "worse".
    return true;
  }
}

/** Is the first error proportion higher than the second at `confidence` percent? */
export function oneSidedProportionTest(
  errors1: number,
  total1: number,
  errors2: number,
  total2: number,
  confidence: number,
): boolean {
  if (total1 <= 0 || total2 <= 0) return false;
  const p1 = errors1 / total1;
  const p2 = errors2 / total2;
  const pooled = (errors1 + errors2) / (total1 + total2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / total1 + 1 / total2));
  if (se === 0) return p1 > p2;
  return (p1 - p2) / se > normalQuantile(confidence / 100);
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const at = (xs: number[], i: number) => xs[i] ?? 0;
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((at(c, 0) * q + at(c, 1)) * q + at(c, 2)) * q + at(c, 3)) * q + at(c, 4)) * q +
        at(c, 5)) /
      ((((at(d, 0) * q + at(d, 1)) * q + at(d, 2)) * q + at(d, 3)) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((at(a, 0) * r + at(a, 1)) * r + at(a, 2)) * r + at(a, 3)) * r + at(a, 4)) * r + at(a, 5)) *
      q) /
    (((((at(b, 0) * r + at(b, 1)) * r + at(b, 2)) * r + at(b, 3)) * r + at(b, 4)) * r + 1)
  );
}

function round(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : String(value);
}
