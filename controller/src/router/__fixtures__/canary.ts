// The podinfo canary used across the router tests (Flagger's router fixture, in namespace test).
import type { Canary, CanaryAnalysis, CanaryService } from '../../api/types.js';

export function podinfoCanary(
  service: Partial<CanaryService> = {},
  analysis: Partial<CanaryAnalysis> = {},
): Canary {
  return {
    apiVersion: 'aviary.dev/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test', uid: 'uid-podinfo' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898, ...service },
      analysis: { interval: '1m', threshold: 10, stepWeight: 10, maxWeight: 50, ...analysis },
    },
  };
}

export const appSelector = { label: 'app', value: 'podinfo' };
