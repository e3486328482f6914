import type { CanarySummary } from '@aviary/backstage-plugin-canary-common';
import { progressingCanary } from '../testing/fixtures';
import { mergeSummary } from './mergeSummary';

const NOW = '2026-11-22T10:00:00.000Z';

function summary(over: Partial<CanarySummary> = {}): CanarySummary {
  const {
    checks: _c,
    events: _e,
    changes: _ch,
    spec: _s,
    images: _i,
    status: _st,
    weights: _w,
    ...rest
  } = progressingCanary();
  return { ...rest, ...over };
}

describe('mergeSummary', () => {
  it('takes the new fields and records a weight change at the transition time', () => {
    const merged = mergeSummary(
      progressingCanary(),
      summary({ weight: 40, lastTransitionTime: '2026-11-22T09:58:00.000Z' }),
      NOW,
    );
    expect(merged.weight).toBe(40);
    expect(merged.changes.at(-1)).toEqual({
      type: 'weight',
      phase: 'Progressing',
      weight: 40,
      revision: '7c9d8f6b5',
      at: '2026-11-22T09:58:00.000Z',
    });
    expect(merged.checks).toEqual(progressingCanary().checks);
    expect(merged.images).toEqual(progressingCanary().images);
  });

  it('records a phase change, at now when the summary has no transition time', () => {
    const merged = mergeSummary(
      progressingCanary(),
      summary({ phase: 'WaitingPromotion', lastTransitionTime: undefined }),
      NOW,
    );
    expect(merged.changes.at(-1)).toMatchObject({
      type: 'phase',
      phase: 'WaitingPromotion',
      at: NOW,
    });
  });

  it('adds no change when neither weight nor phase moved', () => {
    const merged = mergeSummary(progressingCanary(), summary({ failedChecks: 1 }), NOW);
    expect(merged.changes).toHaveLength(progressingCanary().changes.length);
    expect(merged.failedChecks).toBe(1);
  });

  it('drops the checks of the previous revision', () => {
    const merged = mergeSummary(progressingCanary(), summary({ revision: 'new', weight: 0 }), NOW);
    expect(merged.checks).toEqual([]);
  });
});
