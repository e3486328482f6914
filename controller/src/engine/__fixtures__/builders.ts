// Small builders for engine tests: a Flagger-like default canary (podinfo.test) and ready
// Deployments, each overridable field by field.
import { DateTime } from 'luxon';
import type { Canary, CanaryAnalysis, CanarySpec, CanaryStatus } from '../../api/types.js';
import { resolveSpec, type EngineSpec } from '../spec.js';
import type {
  DeploymentObservation,
  PrimaryObservation,
  Routes,
  TargetObservation,
} from '../types.js';

export const T0 = DateTime.fromISO('2026-03-02T10:00:00Z', { zone: 'utc' });
export const MINUTE = 60_000;

/** stepWeight 10 up to 50, threshold 5, success rate ≥ 99 %, p99 ≤ 500 ms, interval 1m. */
export function analysis(overrides: Partial<CanaryAnalysis> = {}): CanaryAnalysis {
  return {
    interval: '1m',
    threshold: 5,
    maxWeight: 50,
    stepWeight: 10,
    metrics: [
      { name: 'request-success-rate', interval: '1m', thresholdRange: { min: 99 } },
      { name: 'request-duration', interval: '1m', thresholdRange: { max: 500 } },
    ],
    ...overrides,
  };
}

export function canary(
  overrides: {
    spec?: Partial<CanarySpec>;
    status?: CanaryStatus;
    analysis?: Partial<CanaryAnalysis>;
  } = {},
): Canary {
  return {
    apiVersion: 'aviary.dev/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test', uid: 'uid-1', resourceVersion: '1' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898 },
      analysis: analysis(overrides.analysis),
      ...overrides.spec,
    },
    ...(overrides.status ? { status: overrides.status } : {}),
  };
}

export function deployment(overrides: Partial<DeploymentObservation> = {}): DeploymentObservation {
  const replicas = overrides.specReplicas ?? 1;
  return {
    generation: 1,
    observedGeneration: 1,
    specReplicas: replicas,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
    ],
    ...overrides,
  };
}

export function target(
  revision = 'rev-1',
  overrides: Partial<TargetObservation> = {},
): TargetObservation {
  return {
    ...deployment(overrides),
    revision,
    trackedConfigs: { 'configmap/podinfo-config': 'aaaa' },
    ...overrides,
  };
}

export function primary(overrides: Partial<PrimaryObservation> = {}): PrimaryObservation {
  return { ...deployment(overrides), ...overrides };
}

/** A Deployment whose rollout hit its progress deadline (non-retriable). */
export function deadlineExceeded(overrides: Partial<DeploymentObservation> = {}) {
  return deployment({
    updatedReplicas: 0,
    availableReplicas: 0,
    readyReplicas: 0,
    conditions: [
      { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' },
      { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' },
    ],
    ...overrides,
  });
}

export function routes(primaryWeight: number, canaryWeight: number, mirrored = false): Routes {
  return { primaryWeight, canaryWeight, mirrored };
}

/** The engine's view of a canary that must be valid (throws with the problems otherwise). */
export function engineSpec(value: Canary): EngineSpec {
  const result = resolveSpec(value);
  if (!result.ok) throw new Error(`invalid test canary: ${result.problems}`);
  return result.spec;
}
