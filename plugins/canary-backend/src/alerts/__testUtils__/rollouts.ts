import type { Rollout, RolloutOutcome } from '@aviary/backstage-plugin-canary-common';

export function rollout(outcome: RolloutOutcome, overrides: Partial<Rollout> = {}): Rollout {
  return {
    id: 'r-1',
    cluster: 'prod',
    namespace: 'shop',
    name: 'podinfo',
    revision: '7f9c4d',
    images: {
      canary: ['ghcr.io/stefanprodan/podinfo:6.0.2'],
      primary: ['ghcr.io/stefanprodan/podinfo:6.0.1'],
    },
    startedAt: '2026-11-22T07:00:00Z',
    outcome,
    actors: [],
    maxWeightReached: 30,
    failedChecks: 2,
    checkCount: 12,
    ...overrides,
  };
}
