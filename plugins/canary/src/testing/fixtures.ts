// Fixtures shared by the tests and the dev app: one entity with two canaries in the states a user meets.
import type { Entity } from '@backstage/catalog-model';
import type {
  CanaryDetail,
  CheckResult,
  OverviewItem,
  Rollout,
  RolloutWithChecks,
} from '@aviary/backstage-plugin-canary-common';

export const NOW = '2026-11-22T10:00:00.000Z';

export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'podinfo',
    namespace: 'default',
    annotations: { 'aviary.dev/canary': 'demo/podinfo' },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

export const entityWithoutAnnotation: Entity = {
  ...entity,
  metadata: { name: 'plain', namespace: 'default' },
};

function check(
  time: string,
  metric: string,
  value: number | null,
  range: { min?: number; max?: number },
  verdict: CheckResult['verdict'],
): CheckResult {
  return {
    time,
    metric,
    value,
    outcome: value === null ? 'no-data' : 'value',
    thresholdRange: range,
    verdict,
  };
}

export const passingChecks: CheckResult[] = [
  check('2026-11-22T09:56:00.000Z', 'request-success-rate', 100, { min: 99 }, 'pass'),
  check('2026-11-22T09:56:00.000Z', 'request-duration', 210, { max: 500 }, 'pass'),
  check('2026-11-22T09:57:00.000Z', 'request-success-rate', 99.5, { min: 99 }, 'pass'),
  check('2026-11-22T09:57:00.000Z', 'request-duration', 230, { max: 500 }, 'pass'),
];

/** podinfo 6.0.1 at 30% of 50%, everything passing. */
export function progressingCanary(overrides: Partial<CanaryDetail> = {}): CanaryDetail {
  return {
    cluster: 'local',
    namespace: 'demo',
    name: 'podinfo',
    target: 'podinfo',
    phase: 'Progressing',
    weight: 30,
    failedChecks: 0,
    iterations: 0,
    revision: '7c9d8f6b5',
    promotedRevision: '5b4c3d2a1',
    paused: false,
    lastTransitionTime: '2026-11-22T09:57:00.000Z',
    message: 'Advance podinfo.demo canary weight 30',
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { name: 'podinfo', port: 9898 },
      analysis: {
        interval: '1m',
        threshold: 5,
        maxWeight: 50,
        stepWeight: 10,
        metrics: ['request-success-rate', 'request-duration'],
      },
    },
    weights: { primary: 70, canary: 30, virtualService: 'podinfo' },
    images: {
      canary: ['ghcr.io/stefanprodan/podinfo:6.0.1'],
      primary: ['ghcr.io/stefanprodan/podinfo:6.0.0'],
    },
    checks: passingChecks,
    events: [
      {
        type: 'Normal',
        reason: 'Synced',
        message: 'Advance podinfo.demo canary weight 30',
        count: 1,
        lastTimestamp: '2026-11-22T09:57:00.000Z',
      },
      {
        type: 'Normal',
        reason: 'Synced',
        message: 'New revision detected! Scaling up podinfo.demo',
        count: 1,
        lastTimestamp: '2026-11-22T09:54:00.000Z',
      },
    ],
    changes: [
      { type: 'phase', phase: 'Progressing', weight: 0, at: '2026-11-22T09:54:00.000Z' },
      { type: 'weight', phase: 'Progressing', weight: 10, at: '2026-11-22T09:55:00.000Z' },
      { type: 'weight', phase: 'Progressing', weight: 20, at: '2026-11-22T09:56:00.000Z' },
      { type: 'weight', phase: 'Progressing', weight: 30, at: '2026-11-22T09:57:00.000Z' },
    ],
    status: { phase: 'Progressing', canaryWeight: 30 },
    ...overrides,
  };
}

/** podinfo 6.0.2 halted: the success rate fell under its threshold. */
export function failedCanary(overrides: Partial<CanaryDetail> = {}): CanaryDetail {
  return progressingCanary({
    phase: 'Failed',
    weight: 0,
    failedChecks: 5,
    revision: '9e8d7c6b5',
    message: 'Canary analysis failed: halt advancement',
    images: {
      canary: ['ghcr.io/stefanprodan/podinfo:6.0.2'],
      primary: ['ghcr.io/stefanprodan/podinfo:6.0.1'],
    },
    checks: [
      check('2026-11-22T09:58:00.000Z', 'request-success-rate', 70, { min: 99 }, 'fail'),
      check('2026-11-22T09:59:00.000Z', 'request-success-rate', 62.5, { min: 99 }, 'fail'),
    ],
    ...overrides,
  });
}

/** The A/B canary: a fixed number of iterations instead of weight steps. */
export function abCanary(overrides: Partial<CanaryDetail> = {}): CanaryDetail {
  return progressingCanary({
    name: 'abtest',
    target: 'abtest',
    weight: 0,
    iterations: 3,
    spec: {
      analysis: { interval: '1m', threshold: 2, iterations: 10, metrics: ['request-success-rate'] },
    },
    weights: undefined,
    changes: [],
    ...overrides,
  });
}

export const rollouts: Rollout[] = [
  {
    cluster: 'local',
    namespace: 'demo',
    name: 'podinfo',
    id: 'r-2',
    revision: '9e8d7c6b5',
    images: {
      canary: ['ghcr.io/stefanprodan/podinfo:6.0.2'],
      primary: ['ghcr.io/stefanprodan/podinfo:6.0.1'],
    },
    startedAt: '2026-11-22T09:00:00.000Z',
    endedAt: '2026-11-22T09:04:30.000Z',
    outcome: 'Failed',
    reason: 'Canary analysis failed: success rate 62.5% < 99%',
    actors: [
      {
        action: 'abort',
        by: 'user:default/jane',
        reason: 'errors in checkout',
        at: '2026-11-22T09:04:00.000Z',
        outcome: 'Applied',
      },
    ],
    maxWeightReached: 20,
    failedChecks: 5,
    checkCount: 8,
  },
  {
    cluster: 'local',
    namespace: 'demo',
    name: 'podinfo',
    id: 'r-1',
    revision: '5b4c3d2a1',
    images: {
      canary: ['ghcr.io/stefanprodan/podinfo:6.0.1'],
      primary: ['ghcr.io/stefanprodan/podinfo:6.0.0'],
    },
    startedAt: '2026-11-21T08:00:00.000Z',
    endedAt: '2026-11-21T08:06:00.000Z',
    outcome: 'Succeeded',
    reason: 'Promotion completed',
    actors: [],
    maxWeightReached: 50,
    failedChecks: 0,
    checkCount: 12,
  },
];

export function rolloutWithChecks(id = 'r-2'): RolloutWithChecks {
  const rollout = rollouts.find(r => r.id === id) ?? rollouts[0]!;
  return {
    ...rollout,
    checks: [
      check('2026-11-22T09:01:00.000Z', 'request-success-rate', 99.8, { min: 99 }, 'pass'),
      check('2026-11-22T09:02:00.000Z', 'request-success-rate', 81.25, { min: 99 }, 'fail'),
      check('2026-11-22T09:03:00.000Z', 'request-success-rate', null, { min: 99 }, 'skip'),
    ],
    events: [
      {
        time: '2026-11-22T09:04:30.000Z',
        type: 'Warning',
        reason: 'Synced',
        message: 'Rolling back podinfo.demo failed checks threshold reached 5',
      },
    ],
  };
}

export const overviewItems: OverviewItem[] = [
  {
    canary: { ...progressingCanary() },
    entityRef: 'component:default/podinfo',
    owner: 'group:default/team-a',
    lastRollout: rollouts[1],
  },
  {
    canary: {
      ...failedCanary({ cluster: 'prod', namespace: 'shop', name: 'cart', target: 'cart' }),
    },
    entityRef: 'component:default/cart',
    owner: 'group:default/team-b',
    lastRollout: rollouts[0],
  },
];
