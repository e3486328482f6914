import { passingChecks, progressingCanary } from '../../testing/fixtures';
import { checkSeries, weightSeries } from './chartData';

const t = (iso: string) => Date.parse(iso);

describe('checkSeries', () => {
  it('groups by metric, sorts by time, keeps gaps and takes the latest threshold', () => {
    const series = checkSeries([
      ...passingChecks.slice().reverse(),
      {
        time: '2026-11-22T09:58:00.000Z',
        metric: 'request-success-rate',
        value: null,
        outcome: 'no-data',
        thresholdRange: { min: 98 },
        verdict: 'skip',
      },
    ]);
    expect(series.map(s => s.metric)).toEqual(['request-duration', 'request-success-rate']);
    const rate = series[1]!;
    expect(rate.label).toBe('success rate');
    expect(rate.unit).toBe('%');
    expect(rate.points).toEqual([
      { t: t('2026-11-22T09:56:00.000Z'), value: 100, verdict: 'pass' },
      { t: t('2026-11-22T09:57:00.000Z'), value: 99.5, verdict: 'pass' },
      { t: t('2026-11-22T09:58:00.000Z'), value: null, verdict: 'skip' },
    ]);
    expect(rate.range).toEqual({ min: 98 });
    // 98..100 padded by 10% of the spread, rounded to steps of 0.5, a percentage not past 100
    expect(rate.domain).toEqual([97.5, 100]);
    // 210..500 (the threshold) padded and rounded to steps of 50
    expect(series[0]!.domain).toEqual([150, 550]);
  });

  it('gives a flat or empty series a usable domain', () => {
    const [flat] = checkSeries([{ ...passingChecks[0]!, thresholdRange: {} }]);
    expect(flat!.domain).toEqual([90, 100]);
    const [empty] = checkSeries([
      { ...passingChecks[0]!, value: null, outcome: 'error', thresholdRange: {} },
    ]);
    expect(empty!.domain).toEqual([0, 1]);
    const [negative] = checkSeries([
      { ...passingChecks[0]!, metric: 'drift', value: -5, thresholdRange: { max: 5 } },
    ]);
    expect(negative!.domain).toEqual([-6, 6]);
    expect(checkSeries([])).toEqual([]);
  });
});

describe('weightSeries', () => {
  it('sorts the changes and ends at the current weight when it moved since', () => {
    const { changes } = progressingCanary();
    const points = weightSeries([...changes].reverse(), {
      weight: 40,
      at: t('2026-11-22T09:58:00.000Z'),
    });
    expect(points.map(p => p.weight)).toEqual([0, 10, 20, 30, 40]);
  });

  it('does not repeat the current weight, and skips unreadable times', () => {
    const { changes } = progressingCanary();
    const points = weightSeries(
      [...changes, { type: 'weight', phase: 'Progressing', weight: 5, at: 'never' }],
      { weight: 30, at: t('2026-11-22T09:59:00.000Z') },
    );
    expect(points.map(p => p.weight)).toEqual([0, 10, 20, 30]);
    expect(weightSeries([], { weight: 0, at: 1 })).toEqual([{ t: 1, weight: 0 }]);
    expect(weightSeries([])).toEqual([]);
  });
});
