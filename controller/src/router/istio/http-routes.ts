// Pieces every generated VirtualService route shares (spec 3.2/3.4): hosts and gateways, the
// route-level fields copied from spec.service, destinations, and A/B match merging.
import type { Canary, CanaryRewrite } from '../../api/types.js';
import { analysisOf, canaryNamespace, serviceNames } from '../canary.js';
import { clone } from '../equality.js';
import { RouterError } from '../kube.js';
import type {
  CorsPolicy,
  HTTPMatchRequest,
  HTTPRetry,
  HTTPRewrite,
  HTTPRoute,
  HTTPRouteDestination,
  Headers,
  L4MatchAttributes,
} from './types.js';

/** The CRD types these Istio fields loosely; this is the one place they are read as Istio types. */
export function serviceMatch(canary: Canary): HTTPMatchRequest[] {
  return clone((canary.spec.service.match ?? []) as HTTPMatchRequest[]);
}

export function analysisMatch(canary: Canary): HTTPMatchRequest[] {
  return clone((analysisOf(canary).match ?? []) as HTTPMatchRequest[]);
}

/** Hosts: service.hosts plus the apex name unless it (or `*`) is listed; none when delegating. */
export function virtualServiceHosts(canary: Canary): string[] {
  const service = canary.spec.service;
  if (service.delegation) return [];
  const hosts = [...(service.hosts ?? [])];
  const apex = serviceNames(canary).apex;
  if (!hosts.includes(apex) && !hosts.includes('*')) hosts.push(apex);
  return hosts;
}

/** Gateways: service.gateways, or `[mesh]` when empty; none when delegating. */
export function virtualServiceGateways(canary: Canary): string[] {
  const service = canary.spec.service;
  if (service.delegation) return [];
  const gateways = service.gateways ?? [];
  return gateways.length > 0 ? [...gateways] : ['mesh'];
}

/** A delegate VirtualService must not declare hosts or gateways (spec 1.3, R8). */
export function assertDelegationValid(canary: Canary): void {
  const service = canary.spec.service;
  if (!service.delegation) return;
  if ((service.hosts ?? []).length > 0 || (service.gateways ?? []).length > 0) {
    throw new RouterError(
      `VirtualService ${serviceNames(canary).apex}.${canaryNamespace(canary)} cannot have hosts and gateways when delegation enabled`,
    );
  }
}

/**
 * A weighted destination. The port is explicit only with portDiscovery behind a real gateway (or
 * when delegating): there several service ports exist and Istio cannot pick one itself.
 */
export function destination(canary: Canary, host: string, weight: number): HTTPRouteDestination {
  const service = canary.spec.service;
  const gateways = service.gateways ?? [];
  const behindGateway = gateways.length > 0 && gateways[0] !== 'mesh';
  const result: HTTPRouteDestination = { destination: { host }, weight };
  if (service.portDiscovery && (behindGateway || service.delegation)) {
    result.destination.port = { number: service.port };
  }
  return result;
}

/** Route-level fields copied from spec.service into each generated HTTP route. */
export function serviceRouteFields(canary: Canary): Omit<HTTPRoute, 'route'> {
  const service = canary.spec.service;
  const fields: Omit<HTTPRoute, 'route'> = {};
  const match = serviceMatch(canary);
  if (match.length > 0) fields.match = match;
  const rewrite = istioRewrite(service.rewrite);
  if (rewrite) fields.rewrite = rewrite;
  if (service.timeout) fields.timeout = service.timeout;
  if (service.retries) fields.retries = clone(service.retries) as HTTPRetry;
  if (service.corsPolicy) fields.corsPolicy = clone(service.corsPolicy) as CorsPolicy;
  if (service.headers) fields.headers = clone(service.headers) as Headers;
  return fields;
}

/** Istio understands uri and authority; `type` belongs to the Gateway API router. */
function istioRewrite(rewrite: CanaryRewrite | undefined): HTTPRewrite | undefined {
  if (!rewrite) return undefined;
  const result: HTTPRewrite = {};
  if (rewrite.uri) result.uri = rewrite.uri;
  if (rewrite.authority) result.authority = rewrite.authority;
  return Object.keys(result).length > 0 ? result : undefined;
}

/** [primary P, canary C] with the service-level fields: the weighted route. */
export function weightedRoute(canary: Canary, primaryWeight: number, canaryWeight: number) {
  const names = serviceNames(canary);
  const route: HTTPRoute = {
    ...serviceRouteFields(canary),
    route: [
      destination(canary, names.primary, primaryWeight),
      destination(canary, names.canary, canaryWeight),
    ],
  };
  return route;
}

const MAP_FIELDS = new Set(['headers', 'sourceLabels', 'queryParams', 'withoutHeaders']);

/** One service condition narrowed by one extra (A/B or cookie) condition. */
function narrow(base: HTTPMatchRequest, extra: HTTPMatchRequest): HTTPMatchRequest {
  const result = clone(base) as Record<string, unknown>;
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) continue;
    const current = result[key];
    if (MAP_FIELDS.has(key) && isRecord(current) && isRecord(value)) {
      result[key] = { ...clone(current), ...clone(value) };
    } else {
      result[key] = clone(value);
    }
  }
  return result as HTTPMatchRequest;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Cartesian merge (spec 3.4): each extra condition × each service condition. Flagger replaced
 * only headers/sourceLabels and dropped the rest of the extra condition (a queryParams A/B match
 * vanished, and the service's header conditions were lost); here every field the extra
 * condition sets narrows the service condition, map fields key by key.
 */
export function mergeMatchConditions(
  extra: readonly HTTPMatchRequest[],
  base: readonly HTTPMatchRequest[],
): HTTPMatchRequest[] {
  if (base.length === 0) return clone([...extra]);
  return extra.flatMap(condition => base.map(defaults => narrow(defaults, condition)));
}

/** TCP mode: one L4 match per service match, carrying only its port. */
export function l4Matches(canary: Canary): L4MatchAttributes[] {
  return serviceMatch(canary).map(m => (m.port ? { port: m.port } : {}));
}
