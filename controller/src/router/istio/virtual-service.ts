// The apex VirtualService (spec 3.1/3.2, R1/R6/R7/R8/R10): the object as first created, and the
// reconcile decision against a live one. Owned spec fields: hosts, gateways, http, tcp; the rest
// (tls, exportTo, ...) belongs to whoever set it.
import type { Canary } from '../../api/types.js';
import { analysisOf, canaryName, canaryNamespace, serviceNames } from '../canary.js';
import { clone, semanticEqual } from '../equality.js';
import type { ObjectPlan } from '../kube.js';
import { KUBECTL_ANNOTATION, canaryOwnerReference, isControlledByCanary } from '../kube.js';
import { FLUX_MARKERS, applyOwnedMetadata } from '../metadata.js';
import type { OwnedMetadata } from '../metadata.js';
import {
  assertDelegationValid,
  virtualServiceGateways,
  virtualServiceHosts,
} from './http-routes.js';
import { buildRoutes, readRoutes } from './routes.js';
import type { RouteWeights, SetRoutesOptions } from './routes.js';
import { isCookieRoute } from './session-affinity.js';
import type { SessionAffinityCookies } from './session-affinity.js';
import type { HTTPRoute, TCPRoute, VirtualService, VirtualServiceSpec } from './types.js';
import { ISTIO_API_VERSION } from './types.js';

/** Where the spec of a VirtualService we took over is kept for the revert (written once). */
export const ORIGINAL_CONFIG_ANNOTATION = 'aviary.dev/original-configuration';
/** Flagger's key, read so a VirtualService migrated from Flagger can still be reverted. */
export const FLAGGER_ORIGINAL_CONFIG_ANNOTATION = 'flagger.kubernetes.io/original-configuration';

const ALL_TO_PRIMARY: RouteWeights = { primaryWeight: 100, canaryWeight: 0, mirrored: false };

function apexMetadata(canary: Canary): OwnedMetadata {
  const apex = canary.spec.service.apex;
  return {
    labels: { ...(apex?.labels ?? {}) },
    annotations: { ...(apex?.annotations ?? {}), ...FLUX_MARKERS },
  };
}

function desiredSpec(canary: Canary, weights: RouteWeights, options: SetRoutesOptions) {
  const { routes, cookies } = buildRoutes(canary, weights, options);
  const spec: VirtualServiceSpec = {
    hosts: virtualServiceHosts(canary),
    gateways: virtualServiceGateways(canary),
  };
  if (routes.http) spec.http = routes.http;
  if (routes.tcp) spec.tcp = routes.tcp;
  return { spec, cookies };
}

/** The VirtualService as the controller creates it: all traffic to the primary. */
export function buildVirtualService(canary: Canary): VirtualService {
  assertDelegationValid(canary);
  // Creation never carries cookie routes: there is no sticky session before the first shift.
  const { spec } = desiredSpec(canary, ALL_TO_PRIMARY, { cookies: {} });
  const base = {
    name: serviceNames(canary).apex,
    namespace: canaryNamespace(canary),
    ownerReferences: [canaryOwnerReference(canary)],
  };
  const { metadata } = applyOwnedMetadata(base, apexMetadata(canary));
  return { apiVersion: ISTIO_API_VERSION, kind: 'VirtualService', metadata, spec };
}

/**
 * The owned part of a spec with what the reconcile must not fight over removed: destination
 * weights, mirror settings and, with session affinity, the cookie routes and per-destination
 * headers (SetRoutes owns those).
 */
function routingShape(spec: VirtualServiceSpec, canary: Canary) {
  const affinity = analysisOf(canary).sessionAffinity;
  const stripDest = (routes: HTTPRoute['route']) =>
    (routes ?? []).map(d => {
      const copy = clone(d);
      copy.weight = 0;
      if (affinity) delete copy.headers;
      return copy;
    });
  const http = (spec.http ?? [])
    .filter(route => !(affinity && isCookieRoute(route, affinity)))
    .map(route => {
      const copy = clone(route);
      delete copy.mirror;
      delete copy.mirrorPercentage;
      copy.route = stripDest(route.route);
      return copy;
    });
  const tcp = (spec.tcp ?? []).map((route: TCPRoute) => ({
    ...clone(route),
    route: stripDest(route.route),
  }));
  return { hosts: spec.hosts ?? [], gateways: spec.gateways ?? [], http, tcp };
}

export interface ReconcileOptions extends SetRoutesOptions {
  /** Split for a rewritten spec; defaults to the one read from the live VirtualService. */
  weights?: RouteWeights;
}

export interface VirtualServicePlan {
  plan: ObjectPlan<VirtualService>;
  /** Present when an update rebuilt the routes: the cookie status to persist with it. */
  cookies?: Required<SessionAffinityCookies>;
}

/**
 * Reconcile: create the VirtualService, or update it only on a real difference in the owned
 * fields or metadata. QUIRK fixed: Flagger rewrote a changed spec at 100/0 (editing
 * service.timeout mid-analysis dropped the canary to 0%); here the live split and mirror are
 * kept (or `options.weights`, the split the engine expects). A VirtualService we did not create gets its spec saved once before the first change.
 */
export function planVirtualService(
  canary: Canary,
  live: VirtualService | undefined,
  options: ReconcileOptions = {},
): VirtualServicePlan {
  const created = buildVirtualService(canary);
  if (!live) return { plan: { action: 'create', object: created } };

  const next = clone(live);
  const reasons: string[] = [];
  const weights = options.weights ?? currentWeights(canary, live);
  const desired = desiredSpec(canary, weights, options);
  const specChanged = !semanticEqual(
    routingShape(desired.spec, canary),
    routingShape(live.spec, canary),
  );
  let cookies: Required<SessionAffinityCookies> | undefined;
  if (specChanged) {
    next.spec = { ...next.spec, ...desired.spec };
    if (!desired.spec.http) delete next.spec.http;
    if (!desired.spec.tcp) delete next.spec.tcp;
    reasons.push('spec');
    if (analysisOf(canary).sessionAffinity) cookies = desired.cookies;
  }

  const merged = applyOwnedMetadata(next.metadata, apexMetadata(canary));
  next.metadata = merged.metadata;
  if (merged.changed) reasons.push('metadata');
  if (specChanged && needsOriginalCopy(canary, live)) {
    next.metadata.annotations = {
      ...(next.metadata.annotations ?? {}),
      [ORIGINAL_CONFIG_ANNOTATION]: JSON.stringify(live.spec),
    };
  }
  if (reasons.length === 0) return { plan: { action: 'none' } };
  return { plan: { action: 'update', object: next, reasons }, ...(cookies ? { cookies } : {}) };
}

function currentWeights(canary: Canary, live: VirtualService): RouteWeights {
  try {
    return readRoutes(live, serviceNames(canary));
  } catch {
    return ALL_TO_PRIMARY;
  }
}

/** Only for objects someone else created, without a kubectl copy, and only the first time. */
function needsOriginalCopy(canary: Canary, live: VirtualService): boolean {
  const annotations = live.metadata.annotations ?? {};
  if (isControlledByCanary(live.metadata, canaryName(canary))) return false;
  return !(
    KUBECTL_ANNOTATION in annotations ||
    ORIGINAL_CONFIG_ANNOTATION in annotations ||
    FLAGGER_ORIGINAL_CONFIG_ANNOTATION in annotations
  );
}
