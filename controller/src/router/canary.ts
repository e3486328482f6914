// Read-only views of the Canary fields the router needs, with Flagger's defaults applied.
import type { Canary, CanaryAnalysis } from '../api/types.js';

export interface ServiceNames {
  apex: string;
  primary: string;
  canary: string;
}

/** Apex = spec.service.name or the target name; primary/canary services are suffixed. */
export function serviceNames(canary: Canary): ServiceNames {
  const apex = canary.spec.service.name || canary.spec.targetRef.name;
  return { apex, primary: `${apex}-primary`, canary: `${apex}-canary` };
}

/** `analysis` wins over the deprecated `canaryAnalysis`; an absent block reads as empty. */
export function analysisOf(canary: Canary): CanaryAnalysis {
  return canary.spec.analysis ?? canary.spec.canaryAnalysis ?? {};
}

export function canaryNamespace(canary: Canary): string {
  return canary.metadata.namespace ?? 'default';
}

export function canaryName(canary: Canary): string {
  return canary.metadata.name ?? '';
}

/** `appProtocol: tcp` (any case) switches the Istio router to L4 routes. */
export function isTcp(canary: Canary): boolean {
  return (canary.spec.service.appProtocol ?? '').toLowerCase() === 'tcp';
}
