// How metrics and their checks read in a sentence: Flagger's built-in metric names become words.
import type {
  CanaryDetail,
  CheckResult,
  ThresholdRange,
} from '@aviary/backstage-plugin-canary-common';

interface MetricLabel {
  label: string;
  unit: string;
}

const BUILT_IN: Record<string, MetricLabel> = {
  'request-success-rate': { label: 'success rate', unit: '%' },
  'request-duration': { label: 'latency', unit: 'ms' },
};

export function metricLabel(metric: string): MetricLabel {
  return BUILT_IN[metric] ?? { label: metric, unit: '' };
}

/** 62.5, 99, 81.25: at most two decimals, no trailing zeros. */
export function formatNumber(value: number): string {
  return String(Number(value.toFixed(2)));
}

export function formatValue(metric: string, value: number): string {
  return `${formatNumber(value)}${metricLabel(metric).unit}`;
}

/** "≥ 99%", "≤ 500ms", "99%–100%", or "" when the range is open. */
export function describeRange(metric: string, range: ThresholdRange): string {
  const { min, max } = range;
  if (min !== undefined && max !== undefined) {
    return `${formatValue(metric, min)}–${formatValue(metric, max)}`;
  }
  if (min !== undefined) return `≥ ${formatValue(metric, min)}`;
  if (max !== undefined) return `≤ ${formatValue(metric, max)}`;
  return '';
}

/** One check in words, e.g. "success rate 62.5% < 99%" or "latency: no data". */
export function describeCheck(check: CheckResult): string {
  const { label } = metricLabel(check.metric);
  if (check.value === null) {
    const why = check.outcome === 'error' ? 'query failed' : 'no data';
    return check.message ? `${label}: ${why} (${check.message})` : `${label}: ${why}`;
  }
  const value = formatValue(check.metric, check.value);
  const { min, max } = check.thresholdRange;
  if (min !== undefined && check.value < min) {
    return `${label} ${value} < ${formatValue(check.metric, min)}`;
  }
  if (max !== undefined && check.value > max) {
    return `${label} ${value} > ${formatValue(check.metric, max)}`;
  }
  const range = describeRange(check.metric, check.thresholdRange);
  return range ? `${label} ${value} (${range})` : `${label} ${value}`;
}

/** The most recent failing check, if any. */
export function latestFailingCheck(checks: CheckResult[]): CheckResult | undefined {
  let latest: CheckResult | undefined;
  for (const check of checks) {
    if (check.verdict !== 'fail') continue;
    if (!latest || Date.parse(check.time) >= Date.parse(latest.time)) latest = check;
  }
  return latest;
}

/**
 * The failed checks to show for a canary. The controller (like Flagger) resets `failedChecks` to 0
 * when it rolls back, so for a Failed canary count the failing analysis ticks among its checks.
 */
export function failedChecksOf(canary: Pick<CanaryDetail, 'phase' | 'failedChecks' | 'checks'>) {
  if (canary.phase !== 'Failed' || canary.failedChecks > 0) return canary.failedChecks;
  return new Set(canary.checks.filter(c => c.verdict === 'fail').map(c => c.time)).size;
}
