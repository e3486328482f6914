// The three ClusterIP Services of a canary (spec 2.2 step 2, 2.14, R11): desired objects, the
// update decision against a live Service, and the revert of the apex Service on deletion.
import type { Canary, CustomMetadata } from '../../api/types.js';
import { canaryName, canaryNamespace, serviceNames } from '../canary.js';
import { clone } from '../equality.js';
import type { ObjectMeta, ObjectPlan } from '../kube.js';
import {
  KUBECTL_ANNOTATION,
  RouterError,
  canaryOwnerReference,
  controllerOf,
  isControlledByCanary,
} from '../kube.js';
import { FLUX_MARKERS, applyOwnedMetadata, releaseOwnedMetadata } from '../metadata.js';
import type { OwnedMetadata } from '../metadata.js';
import type { ExtraPort, ServicePort } from './ports.js';
import { desiredPorts, keepNodePorts, portsEqual } from './ports.js';

export interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  selector?: Record<string, string>;
  ports?: ServicePort[];
  trafficDistribution?: string;
  [key: string]: unknown;
}

export interface Service {
  apiVersion: 'v1';
  kind: 'Service';
  metadata: ObjectMeta;
  spec: ServiceSpec;
  status?: unknown;
}

/** Facts read from the target workload (spec 2.2 step 1). */
export interface TargetSelector {
  /** First of the selector labels present in the target's matchLabels, e.g. `app`. */
  label: string;
  /** Its value, e.g. `podinfo`; primary pods carry `<value>-primary`. */
  value: string;
  /** Ports found by portDiscovery (empty when it is off). */
  extraPorts?: readonly ExtraPort[];
}

export type ServiceRole = 'apex' | 'primary' | 'canary';

function roleFacts(canary: Canary, role: ServiceRole, selector: TargetSelector) {
  const names = serviceNames(canary);
  const service = canary.spec.service;
  const podValue = role === 'canary' ? selector.value : `${selector.value}-primary`;
  const custom: CustomMetadata | undefined = service[role];
  return { name: names[role], podSelector: { [selector.label]: podValue }, custom };
}

function ownedMetadata(
  custom: CustomMetadata | undefined,
  selectorLabel: string,
  name: string,
): OwnedMetadata {
  return {
    labels: { ...(custom?.labels ?? {}), [selectorLabel]: name },
    annotations: { ...(custom?.annotations ?? {}), ...FLUX_MARKERS },
  };
}

/** The Service as the controller would create it. */
export function buildService(canary: Canary, role: ServiceRole, selector: TargetSelector): Service {
  const service = canary.spec.service;
  const facts = roleFacts(canary, role, selector);
  const spec: ServiceSpec = {
    type: 'ClusterIP',
    selector: facts.podSelector,
    ports: desiredPorts(service, selector.extraPorts ?? []),
  };
  if (service.headless) spec.clusterIP = 'None';
  if (service.trafficDistribution) spec.trafficDistribution = service.trafficDistribution;
  const base: ObjectMeta = {
    name: facts.name,
    namespace: canaryNamespace(canary),
    ownerReferences: [canaryOwnerReference(canary)],
  };
  const owned = ownedMetadata(facts.custom, selector.label, facts.name);
  const { metadata } = applyOwnedMetadata(base, owned);
  return { apiVersion: 'v1', kind: 'Service', metadata, spec };
}

/**
 * Create, update or leave one Service. Always owned: selector, ports (node ports kept) and, when
 * the canary sets it, trafficDistribution. Labels/annotations only on Services this canary
 * controls, except the Flux markers which accompany any spec change (so Flux does not revert it).
 */
export function planService(
  canary: Canary,
  role: ServiceRole,
  selector: TargetSelector,
  live: Service | undefined,
): ObjectPlan<Service> {
  const desired = buildService(canary, role, selector);
  if (!live) return { action: 'create', object: desired };

  const next = clone(live);
  const reasons: string[] = [];
  const livePorts = live.spec.ports ?? [];
  const ports = keepNodePorts(desired.spec.ports ?? [], livePorts);
  if (!portsEqual(ports, livePorts)) {
    next.spec.ports = ports;
    reasons.push('ports');
  }
  if (!sameMap(desired.spec.selector, live.spec.selector)) {
    next.spec.selector = desired.spec.selector;
    reasons.push('selector');
  }
  const distribution = canary.spec.service.trafficDistribution;
  if (distribution && live.spec.trafficDistribution !== distribution) {
    next.spec.trafficDistribution = distribution;
    reasons.push('trafficDistribution');
  }

  const facts = roleFacts(canary, role, selector);
  const unmanaged = canary.spec.service.unmanagedMetadata;
  if (isControlledByCanary(live.metadata, canaryName(canary))) {
    const owned = ownedMetadata(facts.custom, selector.label, facts.name);
    const merged = applyOwnedMetadata(next.metadata, owned, {
      labels: unmanaged?.labels ?? [],
      annotations: unmanaged?.annotations ?? [],
    });
    next.metadata = merged.metadata;
    if (merged.changed) reasons.push('metadata');
  } else if (reasons.length > 0) {
    const markers = { labels: {}, annotations: { ...FLUX_MARKERS } };
    next.metadata = applyOwnedMetadata(next.metadata, markers).metadata;
  }
  return reasons.length > 0 ? { action: 'update', object: next, reasons } : { action: 'none' };
}

/** All three Services in the order Flagger reconciles them (canary, primary, then apex). */
export function planServices(
  canary: Canary,
  selector: TargetSelector,
  live: Partial<Record<ServiceRole, Service>>,
): Record<ServiceRole, ObjectPlan<Service>> {
  return {
    canary: planService(canary, 'canary', selector, live.canary),
    primary: planService(canary, 'primary', selector, live.primary),
    apex: planService(canary, 'apex', selector, live.apex),
  };
}

/**
 * Revert on deletion (revertOnDeletion, 2.14): a Service controlled by a Canary is left alone
 * (garbage collection or its owner handles it); otherwise the selector goes back to the one in the
 * kubectl last-applied annotation, else to the target's own pods, and our metadata is released.
 */
export function planApexServiceRevert(
  canary: Canary,
  selector: TargetSelector,
  live: Service | undefined,
): ObjectPlan<Service> {
  const name = serviceNames(canary).apex;
  if (!live) throw new RouterError(`service ${name}.${canaryNamespace(canary)} not found`);
  if (controllerOf(live.metadata)?.kind === 'Canary') return { action: 'none' };

  const next = clone(live);
  next.spec.selector = selectorFromKubectl(live) ?? { [selector.label]: selector.value };
  next.metadata = releaseOwnedMetadata(next.metadata);
  return { action: 'update', object: next, reasons: ['revert'] };
}

function selectorFromKubectl(live: Service): Record<string, string> | undefined {
  const raw = live.metadata.annotations?.[KUBECTL_ANNOTATION];
  if (!raw) return undefined;
  try {
    const stored = JSON.parse(raw) as { spec?: { selector?: Record<string, string> } };
    return stored.spec?.selector;
  } catch {
    throw new RouterError(
      `service ${live.metadata.name}.${live.metadata.namespace} has an unreadable ${KUBECTL_ANNOTATION} annotation`,
    );
  }
}

function sameMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined) {
  const left = Object.entries(a ?? {}).sort();
  const right = Object.entries(b ?? {}).sort();
  return JSON.stringify(left) === JSON.stringify(right);
}
