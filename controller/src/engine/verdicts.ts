// What one analysis check result means (spec 2.7): pass, a failed check (counted), or a hold
// (the tick is not judged: no-data policy `skip`, too few requests). Messages as Flagger's.
import { goDuration, goNumber, events } from './messages.js';
import type { EngineMetric, EngineSpec } from './spec.js';
import type { CheckResult, MetricRecord, MetricVerdict } from './types.js';

export type Verdict =
  | { kind: 'pass'; record?: MetricRecord }
  | { kind: 'fail'; message: string; record?: MetricRecord }
  | { kind: 'hold'; message: string };

/** The default judge: the value must lie within the range (either bound may be absent). */
export function judgeThreshold(range: EngineMetric['range'], value: number): MetricVerdict {
  if (range.min !== undefined && value < range.min) {
    return { ok: false, bound: 'min', limit: range.min };
  }
  if (range.max !== undefined && value > range.max) {
    return { ok: false, bound: 'max', limit: range.max };
  }
  return { ok: true };
}

export function metricVerdict(
  spec: EngineSpec,
  resolved: EngineMetric,
  result: CheckResult | undefined,
): Verdict {
  const { metric } = resolved;
  const who = `${spec.name}.${spec.namespace}`;
  if (!result || result.kind !== 'metric') {
    return { kind: 'fail', message: `Metric query failed for ${metric.name}: no result` };
  }
  const builtin = resolved.source === 'builtin';
  if (result.outcome === 'error') {
    const ref = metric.templateRef;
    if (result.stage === 'template' && ref) {
      const ns = ref.namespace ?? spec.namespace;
      return { kind: 'fail', message: `Metric template ${ref.name}.${ns} error: ${result.error}` };
    }
    return {
      kind: 'fail',
      message: builtin
        ? `Prometheus query failed: ${result.error}`
        : `Metric query failed for ${metric.name}: ${result.error}`,
    };
  }
  if (result.outcome === 'no-data') {
    const message = builtin
      ? `Halt advancement no values found for istio metric ${metric.name} probably ${spec.targetName}.${spec.namespace} is not receiving traffic: running query failed: ${result.error}`
      : `Halt advancement no values found for custom metric: ${metric.name}: ${result.error}`;
    if (spec.noDataPolicy === 'pass') return { kind: 'pass' };
    if (spec.noDataPolicy === 'skip') return { kind: 'hold', message };
    return { kind: 'fail', message };
  }
  const record = gauge(metric.name, result.value);
  const verdict = result.verdict ?? judgeThreshold(resolved.range, result.value);
  if (verdict.ok) return { kind: 'pass', record };
  if ('reason' in verdict) {
    return {
      kind: 'fail',
      message: `Halt ${who} advancement ${metric.name} ${verdict.reason}`,
      record,
    };
  }
  const op = verdict.bound === 'min' ? '<' : '>';
  return {
    kind: 'fail',
    message: `Halt ${who} advancement ${describe(metric.name, builtin, result.value, op, verdict.limit)}`,
    record,
  };
}

function describe(
  name: string,
  builtin: boolean,
  value: number,
  op: string,
  limit: number,
): string {
  if (builtin && name === 'request-success-rate') {
    return `success rate ${value.toFixed(2)}% ${op} ${goNumber(limit)}%`;
  }
  if (builtin && name === 'request-duration') {
    return `request duration ${goDuration(value)} ${op} ${goDuration(limit)}`;
  }
  return `${name} ${value.toFixed(2)} ${op} ${goNumber(limit)}`;
}

/** flagger_canary_metric_analysis: success rate in %, duration in seconds, others as is. */
function gauge(name: string, value: number): MetricRecord {
  const shown = name === 'request-duration' ? value / 1000 : value;
  return { metric: 'analysis', name, value: shown };
}

export function requestCountVerdict(spec: EngineSpec, result: CheckResult | undefined): Verdict {
  if (result?.kind !== 'request-count')
    return { kind: 'fail', message: 'Prometheus query failed: no result' };
  if (!result.ok) return { kind: 'fail', message: `Prometheus query failed: ${result.error}` };
  if (result.count < spec.minRequestCount) {
    return {
      kind: 'hold',
      message: events.waitingForTraffic(spec, result.count, spec.minRequestCount),
    };
  }
  return { kind: 'pass' };
}

export function judgeVerdict(spec: EngineSpec, result: CheckResult | undefined): Verdict {
  if (result?.kind !== 'judge')
    return { kind: 'fail', message: events.judgeFailed(spec, 'no result') };
  return result.ok
    ? { kind: 'pass' }
    : { kind: 'fail', message: events.judgeFailed(spec, result.reason) };
}
