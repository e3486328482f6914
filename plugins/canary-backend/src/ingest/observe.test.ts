import type { CanaryDetail, CanarySummary } from '@aviary/backstage-plugin-canary-common';
import {
  actorOf,
  analysisStart,
  checksOfRollout,
  eventsOfRollout,
  observeDetail,
  observeSummary,
} from './observe';

const NOW = new Date('2026-11-22T07:20:00.000Z');

const summary: CanarySummary = {
  cluster: 'prod',
  namespace: 'demo',
  name: 'podinfo',
  target: 'podinfo',
  phase: 'Progressing',
  weight: 25,
  failedChecks: 1,
  iterations: 0,
  revision: 'r2',
  promotedRevision: 'r1',
  paused: false,
  lastTransitionTime: '2026-11-22T07:13:49Z',
  message: 'New revision detected, progressing canary analysis.',
};

// Shaped like the playground controller's answer during a promotion.
const detail: CanaryDetail = {
  ...summary,
  spec: {},
  images: { canary: ['podinfo:6.0.1'], primary: ['podinfo:6.0.0'] },
  checks: [
    {
      time: '2026-11-22T07:12:59.001Z',
      metric: 'request-success-rate',
      value: 100,
      outcome: 'value',
      thresholdRange: { min: 99 },
      verdict: 'pass',
    },
    {
      time: '2026-11-22T07:13:59.001Z',
      metric: 'request-success-rate',
      value: 100,
      outcome: 'value',
      thresholdRange: { min: 99 },
      verdict: 'pass',
    },
  ],
  events: [
    {
      type: 'Normal',
      reason: 'Synced',
      message: 'Advance podinfo.demo canary weight 25',
      count: 1,
      firstTimestamp: '2026-11-22T07:13:49Z',
      lastTimestamp: '2026-11-22T07:13:49Z',
    },
    {
      type: 'Normal',
      reason: 'Synced',
      message: 'New revision detected! Scaling up podinfo.demo',
      count: 1,
      firstTimestamp: '2026-11-22T07:13:39Z',
      lastTimestamp: '2026-11-22T07:13:39Z',
    },
    {
      type: 'Normal',
      reason: 'Synced',
      message: 'all the metrics providers are available!',
      count: 3,
      firstTimestamp: '2026-11-22T07:13:15Z',
      lastTimestamp: '2026-11-22T07:13:16Z',
    },
    {
      type: 'Normal',
      reason: 'Synced',
      message: 'Starting canary analysis for podinfo.demo',
      count: 2,
      firstTimestamp: '2026-11-22T07:01:00Z',
      lastTimestamp: '2026-11-22T07:13:49Z',
    },
  ],
  changes: [
    {
      type: 'update',
      phase: 'Initialized',
      weight: 0,
      revision: 'r1',
      at: '2026-11-22T07:13:16.246Z',
    },
    {
      type: 'update',
      phase: 'Progressing',
      weight: 0,
      revision: 'r2',
      at: '2026-11-22T07:13:39.562Z',
    },
    {
      type: 'update',
      phase: 'Progressing',
      weight: 25,
      revision: 'r2',
      at: '2026-11-22T07:13:49.008Z',
    },
  ],
  status: {},
};

describe('observeSummary / observeDetail', () => {
  it('observes the revision of a summary at its transition time, without images', () => {
    expect(observeSummary(summary, NOW)).toEqual({
      cluster: 'prod',
      namespace: 'demo',
      name: 'podinfo',
      revision: 'r2',
      images: { canary: [], primary: [] },
      observedAt: '2026-11-22T07:13:49Z',
      outcome: 'Running',
      reason: 'New revision detected, progressing canary analysis.',
      weight: 25,
      failedChecks: 1,
    });
  });

  it('uses now when the controller gives no transition time', () => {
    const { lastTransitionTime: _t, ...bare } = summary;
    expect(observeSummary(bare, NOW)?.observedAt).toBe(NOW.toISOString());
  });

  it('observes nothing without a revision or in a phase that means no rollout', () => {
    const { revision: _r, ...noRevision } = summary;
    expect(observeSummary(noRevision, NOW)).toBeUndefined();
    expect(observeSummary({ ...summary, phase: 'Initialized' }, NOW)).toBeUndefined();
    expect(observeSummary({ ...summary, phase: 'Waiting' }, NOW)).toBeUndefined();
  });

  it('adds images and the analysis start from the detail', () => {
    expect(observeDetail(detail, NOW)).toMatchObject({
      images: { canary: ['podinfo:6.0.1'], primary: ['podinfo:6.0.0'] },
      startedAt: '2026-11-22T07:13:39.562Z',
    });
  });
});

describe('analysisStart', () => {
  it("is the first active change of the detail's revision", () => {
    expect(analysisStart(detail)).toBe('2026-11-22T07:13:39.562Z');
  });

  it('is unknown when the controller did not see the start (it restarted since)', () => {
    expect(analysisStart({ ...detail, changes: [] })).toBeUndefined();
    expect(analysisStart({ ...detail, changes: [detail.changes[0]!] })).toBeUndefined();
  });
});

describe('checksOfRollout', () => {
  it("drops checks older than the rollout's start (the previous revision's)", () => {
    expect(checksOfRollout(detail.checks, '2026-11-22T07:13:39.562Z').map(c => c.time)).toEqual([
      '2026-11-22T07:13:59.001Z',
    ]);
  });
});

describe('eventsOfRollout', () => {
  it("keeps the Events since the start's second, at their latest occurrence", () => {
    expect(eventsOfRollout(detail.events, '2026-11-22T07:13:39.562Z')).toEqual([
      {
        time: '2026-11-22T07:13:49Z',
        type: 'Normal',
        reason: 'Synced',
        message: 'Advance podinfo.demo canary weight 25',
      },
      {
        time: '2026-11-22T07:13:39Z',
        type: 'Normal',
        reason: 'Synced',
        message: 'New revision detected! Scaling up podinfo.demo',
      },
      {
        time: '2026-11-22T07:13:49Z',
        type: 'Normal',
        reason: 'Synced',
        message: 'Starting canary analysis for podinfo.demo',
      },
    ]);
  });

  it('skips Events without a usable time', () => {
    expect(
      eventsOfRollout(
        [{ type: 'Normal', reason: 'x', message: 'y', count: 1 }],
        '2026-01-01T00:00:00Z',
      ),
    ).toEqual([]);
  });
});

describe('actorOf', () => {
  const ack = {
    id: 'req-1',
    action: 'promote',
    revision: 'r2',
    requestedBy: 'user:default/jane',
    reason: 'looks good',
    outcome: 'Applied' as const,
    acknowledgedAt: '2026-11-22T07:14:00Z',
  };

  it('is the acknowledged manual action on the current revision', () => {
    expect(actorOf({ ...summary, manualAction: ack })).toEqual({
      action: 'promote',
      by: 'user:default/jane',
      reason: 'looks good',
      at: '2026-11-22T07:14:00Z',
      outcome: 'Applied',
    });
  });

  it('is nothing before the acknowledgement, or for another revision', () => {
    const { outcome: _o, acknowledgedAt: _a, ...requested } = ack;
    expect(actorOf({ ...summary, manualAction: requested })).toBeUndefined();
    expect(actorOf({ ...summary, manualAction: { ...ack, revision: 'r1' } })).toBeUndefined();
    expect(actorOf(summary)).toBeUndefined();
  });
});

describe('observeDetail without the start in the recent changes', () => {
  it('starts at the oldest check, and takes the largest weight of the revision from the changes', () => {
    const finished: CanaryDetail = {
      ...detail,
      phase: 'Succeeded',
      weight: 0,
      changes: [
        {
          type: 'update',
          phase: 'Succeeded',
          weight: 0,
          revision: 'r2',
          at: '2026-11-22T07:14:29.010Z',
        },
      ],
    };
    expect(observeDetail(finished, NOW)).toMatchObject({
      startedAt: '2026-11-22T07:12:59.001Z',
      weight: 0,
    });
    const withSteps = { ...finished, changes: [...detail.changes, ...finished.changes] };
    expect(observeDetail(withSteps, NOW)).toMatchObject({
      startedAt: '2026-11-22T07:13:39.562Z',
      weight: 25,
    });
    expect(observeDetail({ ...finished, checks: [] }, NOW)?.startedAt).toBeUndefined();
  });
});
