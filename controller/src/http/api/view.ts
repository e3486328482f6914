// How the API shows a canary: a summary for lists and the stream, and the detail of one (spec
// summary, status, live VirtualService weights, images of canary and primary, check results and
// recent changes and Events). Everything comes from the informer caches, except the check results,
// which the tick runner keeps in memory.
import type { Canary } from '../../api/types.js';
import type { CheckRecord } from '../../controller/check-store.js';
import type { CoreEvent } from '../../kube/index.js';
import type { VirtualService } from '../../router/istio/types.js';
import type { Deployment } from '../../workload/types.js';

/** Fields of the manual-action contract, read loosely until the CRD types carry them. */
export interface ManualActionStatus {
  id?: string;
  action?: string;
  revision?: string;
  requestedBy?: string;
  reason?: string;
  outcome?: 'Applied' | 'Refused';
  message?: string;
  acknowledgedAt?: string;
}

interface ExtraStatus {
  paused?: boolean;
  manualAction?: ManualActionStatus;
}

export interface CanarySummary {
  namespace: string;
  name: string;
  target: string;
  phase: string;
  weight: number;
  failedChecks: number;
  iterations: number;
  revision?: string;
  promotedRevision?: string;
  paused: boolean;
  lastTransitionTime?: string;
  message?: string;
  /** The last acknowledged manual action (status.manualAction), so streams carry acks. */
  manualAction?: ManualActionStatus;
}

export type { CheckRecord };

/** A Kubernetes Event about the canary, as the detail serves it. */
export interface EventRecord {
  type: string;
  reason: string;
  message: string;
  count: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
}

export interface ChangeRecord {
  id: number;
  type: string;
  phase: string;
  weight: number;
  revision?: string;
  at: string;
}

export function extraStatus(canary: Canary): ExtraStatus {
  return (canary.status ?? {}) as ExtraStatus;
}

export function summarize(canary: Canary): CanarySummary {
  const status = canary.status ?? {};
  const promoted = status.conditions?.find(c => c.type === 'Promoted');
  return {
    namespace: canary.metadata.namespace ?? 'default',
    name: canary.metadata.name ?? '',
    target: canary.spec?.targetRef?.name ?? '',
    phase: status.phase || '',
    weight: status.canaryWeight ?? 0,
    failedChecks: status.failedChecks ?? 0,
    iterations: status.iterations ?? 0,
    ...(status.lastAppliedSpec ? { revision: status.lastAppliedSpec } : {}),
    ...(status.lastPromotedSpec ? { promotedRevision: status.lastPromotedSpec } : {}),
    paused: extraStatus(canary).paused === true,
    ...(status.lastTransitionTime ? { lastTransitionTime: status.lastTransitionTime } : {}),
    ...(promoted?.message ? { message: promoted.message } : {}),
    ...(extraStatus(canary).manualAction ? { manualAction: extraStatus(canary).manualAction } : {}),
  };
}

export interface DetailSources {
  virtualService(namespace: string, name: string): VirtualService | undefined;
  deployment(namespace: string, name: string): Deployment | undefined;
  checks?(namespace: string, name: string): CheckRecord[];
  /** The latest Events about the canary, newest first. */
  events?(namespace: string, name: string): CoreEvent[];
  changes(namespace: string, name: string): ChangeRecord[];
}

function images(deployment: Deployment | undefined): string[] {
  const containers = deployment?.spec?.template?.spec?.containers ?? [];
  return containers.map(c => c.image).filter((image): image is string => Boolean(image));
}

/** Primary/canary weights of the first HTTP (else TCP) route of the apex VirtualService. */
function weights(canary: Canary, vs: VirtualService | undefined) {
  const route = vs?.spec?.http?.[0]?.route ?? vs?.spec?.tcp?.[0]?.route;
  if (!route) return undefined;
  let primary = 0;
  let canaryWeight = 0;
  for (const dest of route) {
    const host = dest.destination.host.split('.')[0] ?? '';
    if (host.endsWith('-canary')) canaryWeight += dest.weight ?? 0;
    else primary += dest.weight ?? 0;
  }
  return { primary, canary: canaryWeight, virtualService: vs?.metadata?.name ?? '' };
}

export function detail(canary: Canary, sources: DetailSources) {
  const ns = canary.metadata.namespace ?? 'default';
  const name = canary.metadata.name ?? '';
  const spec = canary.spec;
  const target = spec?.targetRef?.name ?? '';
  const apex = spec?.service?.name || target;
  const analysis = spec?.analysis ?? spec?.canaryAnalysis;
  const vs = apex ? sources.virtualService(ns, apex) : undefined;
  const w = weights(canary, vs);
  return {
    ...summarize(canary),
    spec: {
      targetRef: spec?.targetRef,
      service: spec?.service ? { name: apex, port: spec.service.port } : undefined,
      analysis: analysis
        ? {
            interval: analysis.interval,
            threshold: analysis.threshold,
            maxWeight: analysis.maxWeight,
            stepWeight: analysis.stepWeight,
            stepWeights: analysis.stepWeights,
            iterations: analysis.iterations,
            metrics: (analysis.metrics ?? []).map(m => m.name),
          }
        : undefined,
      skipAnalysis: spec?.skipAnalysis,
    },
    status: canary.status ?? {},
    ...(w ? { weights: w } : {}),
    images: {
      canary: images(sources.deployment(ns, target)),
      primary: images(sources.deployment(ns, `${target}-primary`)),
    },
    checks: sources.checks?.(ns, name) ?? [],
    events: (sources.events?.(ns, name) ?? []).map(eventRecord),
    changes: sources.changes(ns, name),
  };
}

function eventRecord(event: CoreEvent): EventRecord {
  const first = event.firstTimestamp ?? event.metadata?.creationTimestamp;
  const last = event.lastTimestamp ?? first;
  return {
    type: event.type,
    reason: event.reason,
    message: event.message,
    count: event.count ?? 1,
    ...(first ? { firstTimestamp: first } : {}),
    ...(last ? { lastTimestamp: last } : {}),
  };
}
