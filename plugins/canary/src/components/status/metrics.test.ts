import type { CheckResult } from '@aviary/backstage-plugin-canary-common';
import {
  failedChecksOf,
  describeCheck,
  describeRange,
  formatNumber,
  latestFailingCheck,
  metricLabel,
} from './metrics';

const check = (over: Partial<CheckResult>): CheckResult => ({
  time: '2026-11-22T09:00:00.000Z',
  metric: 'request-success-rate',
  value: 100,
  outcome: 'value',
  thresholdRange: { min: 99 },
  verdict: 'pass',
  ...over,
});

describe('metrics in words', () => {
  it('names built-in metrics and keeps custom names', () => {
    expect(metricLabel('request-success-rate')).toEqual({ label: 'success rate', unit: '%' });
    expect(metricLabel('request-duration')).toEqual({ label: 'latency', unit: 'ms' });
    expect(metricLabel('error-budget')).toEqual({ label: 'error-budget', unit: '' });
  });

  it('formats numbers with at most two decimals', () => {
    expect(formatNumber(62.5)).toBe('62.5');
    expect(formatNumber(99)).toBe('99');
    expect(formatNumber(81.2549)).toBe('81.25');
  });

  it('describes ranges', () => {
    expect(describeRange('request-success-rate', { min: 99 })).toBe('≥ 99%');
    expect(describeRange('request-duration', { max: 500 })).toBe('≤ 500ms');
    expect(describeRange('x', { min: 1, max: 2 })).toBe('1–2');
    expect(describeRange('x', {})).toBe('');
  });

  it('describes checks below, above and inside their range, and missing values', () => {
    expect(describeCheck(check({ value: 62.5, verdict: 'fail' }))).toBe('success rate 62.5% < 99%');
    expect(
      describeCheck(
        check({ metric: 'request-duration', value: 730, thresholdRange: { max: 500 } }),
      ),
    ).toBe('latency 730ms > 500ms');
    expect(describeCheck(check({ value: 99.5 }))).toBe('success rate 99.5% (≥ 99%)');
    expect(describeCheck(check({ metric: 'x', value: 3, thresholdRange: {} }))).toBe('x 3');
    expect(describeCheck(check({ value: null, outcome: 'no-data' }))).toBe('success rate: no data');
    expect(
      describeCheck(check({ value: null, outcome: 'error', message: 'bad_data: parse error' })),
    ).toBe('success rate: query failed (bad_data: parse error)');
  });

  it('finds the latest failing check', () => {
    const a = check({ time: '2026-11-22T09:00:00.000Z', value: 90, verdict: 'fail' });
    const b = check({ time: '2026-11-22T09:01:00.000Z', value: 80, verdict: 'fail' });
    const c = check({ time: '2026-11-22T09:02:00.000Z', value: 100, verdict: 'pass' });
    expect(latestFailingCheck([b, a, c])).toBe(b);
    expect(latestFailingCheck([c])).toBeUndefined();
  });
});

describe('failedChecksOf', () => {
  const fail = (time: string, metric = 'request-success-rate'): CheckResult => ({
    time,
    metric,
    value: 70,
    outcome: 'value',
    thresholdRange: { min: 99 },
    verdict: 'fail',
  });
  const pass = (time: string): CheckResult => ({ ...fail(time), value: 99.9, verdict: 'pass' });

  it('shows the controller count while the analysis runs', () => {
    expect(failedChecksOf({ phase: 'Progressing', failedChecks: 1, checks: [fail('t1')] })).toBe(1);
    expect(failedChecksOf({ phase: 'Progressing', failedChecks: 0, checks: [fail('t1')] })).toBe(0);
  });

  it('counts the failing analysis ticks of a rolled-back canary, whose count was reset', () => {
    const checks = [pass('t0'), fail('t1'), fail('t1', 'latency'), fail('t2')];
    expect(failedChecksOf({ phase: 'Failed', failedChecks: 0, checks })).toBe(2);
    expect(failedChecksOf({ phase: 'Failed', failedChecks: 0, checks: [] })).toBe(0);
  });
});
