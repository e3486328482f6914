// How the fake controller shows a canary, with the shapes of controller/src/http/api/view.ts: a
// summary for lists and the stream, and the detail of one (spec summary, status, VirtualService
// weights, images, checks, Events and recent changes).

export interface FakeCanary {
  namespace: string;
  name: string;
  /** The Deployment it rolls out; defaults to the canary's name. */
  target?: string;
  phase: string;
  weight?: number;
  failedChecks?: number;
  iterations?: number;
  revision?: string;
  promotedRevision?: string;
  paused?: boolean;
  lastTransitionTime?: string;
  message?: string;
  manualAction?: Record<string, unknown>;
  /** Detail-only parts; images, checks and events default to empty. */
  images?: { canary: string[]; primary: string[] };
  checks?: unknown[];
  events?: unknown[];
  /** Recent changes; by default the ones the fake itself streamed for this canary. */
  changes?: unknown[];
}

export function summaryOf(canary: FakeCanary): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    namespace: canary.namespace,
    name: canary.name,
    target: canary.target ?? canary.name,
    phase: canary.phase,
    weight: canary.weight ?? 0,
    failedChecks: canary.failedChecks ?? 0,
    iterations: canary.iterations ?? 0,
  };
  if (canary.revision !== undefined) summary.revision = canary.revision;
  if (canary.promotedRevision !== undefined) summary.promotedRevision = canary.promotedRevision;
  summary.paused = canary.paused ?? false;
  for (const key of ['lastTransitionTime', 'message', 'manualAction'] as const) {
    if (canary[key] !== undefined) summary[key] = canary[key];
  }
  return summary;
}

/** The detail of one canary; `changes` is the fake's own log unless the canary sets them. */
export function detailOf(canary: FakeCanary, changes: unknown[]): Record<string, unknown> {
  const target = canary.target ?? canary.name;
  const weight = canary.weight ?? 0;
  return {
    ...summaryOf(canary),
    // A typical analysis, as the controller summarises spec.analysis.
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      service: { name: target, port: 9898 },
      analysis: {
        interval: '30s',
        threshold: 5,
        maxWeight: 50,
        stepWeight: 10,
        metrics: ['request-success-rate', 'request-duration'],
      },
    },
    status: {
      phase: canary.phase,
      canaryWeight: weight,
      failedChecks: canary.failedChecks ?? 0,
      iterations: canary.iterations ?? 0,
      ...(canary.revision !== undefined ? { lastAppliedSpec: canary.revision } : {}),
      ...(canary.promotedRevision !== undefined
        ? { lastPromotedSpec: canary.promotedRevision }
        : {}),
      ...(canary.lastTransitionTime !== undefined
        ? { lastTransitionTime: canary.lastTransitionTime }
        : {}),
    },
    weights: { primary: 100 - weight, canary: weight, virtualService: target },
    images: canary.images ?? { canary: [], primary: [] },
    checks: canary.checks ?? [],
    events: canary.events ?? [],
    changes: canary.changes ?? changes,
  };
}
