// Shapes check results and weight changes into the series the charts draw.
import type {
  CanaryChange,
  CheckResult,
  ThresholdRange,
} from '@aviary/backstage-plugin-canary-common';
import { metricLabel } from '../status/metrics';
import { toMillis } from '../status/time';

export interface CheckPoint {
  t: number;
  /** null draws a gap (no data, query failed). */
  value: number | null;
  verdict: CheckResult['verdict'];
}

export interface MetricSeries {
  metric: string;
  label: string;
  unit: string;
  points: CheckPoint[];
  /** The threshold of the latest check: the band a passing value stays in. */
  range: ThresholdRange;
  /** Y axis bounds covering the values and the threshold, with some room. */
  domain: [number, number];
}

/** A round step for an axis spanning `range`: 1, 2 or 5 times a power of ten, about 4–10 per axis. */
function niceStep(range: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(range));
  const fraction = range / magnitude;
  if (fraction <= 2) return magnitude / 5;
  if (fraction <= 5) return magnitude / 2;
  return magnitude;
}

/**
 * Y bounds covering the values with some room, rounded to a readable step; a percentage that
 * stays within 0..100 is not padded past either end, and positive data does not go below zero.
 */
function domainOf(values: number[], unit: string): [number, number] {
  if (values.length === 0) return [0, 1];
  const low = Math.min(...values);
  const high = Math.max(...values);
  const pad = high === low ? Math.max(1, Math.abs(high) * 0.1) : (high - low) * 0.1;
  const step = niceStep(high - low + 2 * pad);
  let lower = Math.floor((low - pad) / step) * step;
  let upper = Math.ceil((high + pad) / step) * step;
  if (low >= 0) lower = Math.max(0, lower);
  if (unit === '%' && high <= 100) upper = Math.min(upper, 100);
  return [Number(lower.toFixed(6)), Number(upper.toFixed(6))];
}

/** One series per metric, in the order metrics first appear, points sorted by time. */
export function checkSeries(checks: CheckResult[]): MetricSeries[] {
  const byMetric = new Map<string, CheckResult[]>();
  for (const check of checks) {
    const list = byMetric.get(check.metric) ?? [];
    list.push(check);
    byMetric.set(check.metric, list);
  }
  return [...byMetric.entries()].map(([metric, list]) => {
    const sorted = [...list].sort((a, b) => toMillis(a.time) - toMillis(b.time));
    const points = sorted.map(c => ({ t: toMillis(c.time), value: c.value, verdict: c.verdict }));
    const range = sorted[sorted.length - 1]?.thresholdRange ?? {};
    const values = points.flatMap(p => (p.value === null ? [] : [p.value]));
    if (range.min !== undefined) values.push(range.min);
    if (range.max !== undefined) values.push(range.max);
    const { label, unit } = metricLabel(metric);
    return { metric, label, unit, points, range, domain: domainOf(values, unit) };
  });
}

export interface WeightPoint {
  t: number;
  weight: number;
}

/** The canary weight over time, from the observed changes, ending at the current weight. */
export function weightSeries(changes: CanaryChange[], current?: { weight: number; at: number }) {
  const points: WeightPoint[] = changes
    .map(c => ({ t: toMillis(c.at), weight: c.weight }))
    .filter(p => !Number.isNaN(p.t))
    .sort((a, b) => a.t - b.t);
  const last = points[points.length - 1];
  if (current && (!last || (current.at > last.t && current.weight !== last.weight))) {
    points.push({ t: current.at, weight: current.weight });
  }
  return points;
}
