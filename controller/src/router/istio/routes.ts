// Reading and writing the traffic split of a VirtualService (spec 3.3 GetRoutes, 3.4 SetRoutes).
import type { Canary } from '../../api/types.js';
import { analysisOf, isTcp, serviceNames } from '../canary.js';
import type { ServiceNames } from '../canary.js';
import { clone } from '../equality.js';
import { RouterError } from '../kube.js';
import {
  analysisMatch,
  destination,
  l4Matches,
  mergeMatchConditions,
  serviceMatch,
  serviceRouteFields,
  weightedRoute,
} from './http-routes.js';
import { sessionAffinityRoutes } from './session-affinity.js';
import type { CookieValueSource, SessionAffinityCookies } from './session-affinity.js';
import type { HTTPRoute, HTTPRouteDestination, TCPRoute, VirtualService } from './types.js';

export interface RouteWeights {
  primaryWeight: number;
  canaryWeight: number;
  mirrored: boolean;
}

function namesOf(vs: VirtualService): ServiceNames {
  const apex = vs.metadata.name ?? '';
  return { apex, primary: `${apex}-primary`, canary: `${apex}-canary` };
}

const hasHost = (dests: readonly HTTPRouteDestination[] | undefined, host: string) =>
  (dests ?? []).some(d => d.destination.host === host);

function weightsOf(dests: readonly HTTPRouteDestination[], names: ServiceNames) {
  let primaryWeight = 0;
  let canaryWeight = 0;
  for (const d of dests) {
    if (d.destination.host === names.primary) primaryWeight = d.weight ?? 0;
    if (d.destination.host === names.canary) canaryWeight = d.weight ?? 0;
  }
  return { primaryWeight, canaryWeight };
}

/**
 * The current split. HTTP: the last route that sends to `<apex>-canary`, preferring the route
 * whose destinations carry response headers (the weighted route under session affinity);
 * mirrored = that route has a mirror host. TCP routes are read when no HTTP route qualifies.
 * The service names default to the ones derived from the VirtualService's own name.
 */
export function readRoutes(vs: VirtualService, names: ServiceNames = namesOf(vs)): RouteWeights {
  const http = (vs.spec.http ?? []).filter(r => hasHost(r.route, names.canary));
  const withCookies = http.filter(r => (r.route ?? []).some(d => d.headers !== undefined));
  const chosen = withCookies.at(-1) ?? http.at(-1);
  let result: RouteWeights | undefined;
  if (chosen) {
    result = {
      ...weightsOf(chosen.route ?? [], names),
      mirrored: Boolean(chosen.mirror?.host),
    };
  } else {
    const tcp = (vs.spec.tcp ?? []).filter(r => hasHost(r.route, names.canary)).at(-1);
    if (tcp) result = { ...weightsOf(tcp.route, names), mirrored: false };
  }
  if (!result || (result.primaryWeight === 0 && result.canaryWeight === 0)) {
    throw new RouterError(
      `VirtualService ${names.apex}.${vs.metadata.namespace} does not contain routes for ${names.primary} and ${names.canary}`,
    );
  }
  return result;
}

export interface SetRoutesOptions {
  /** Cookie status to start from; defaults to the canary's status. */
  cookies?: SessionAffinityCookies;
  /** Random source for new cookie values (tests pass a fixed one). */
  newCookieValue?: CookieValueSource;
}

export interface RoutesResult {
  routes: { http?: HTTPRoute[]; tcp?: TCPRoute[] };
  /** Session-affinity cookie status to persist (all three fields; '' = none). */
  cookies: Required<SessionAffinityCookies>;
}

function currentCookies(canary: Canary, options: SetRoutesOptions) {
  const status = options.cookies ?? canary.status ?? {};
  return {
    sessionAffinityCookie: status.sessionAffinityCookie ?? '',
    primarySessionAffinityCookie: status.primarySessionAffinityCookie ?? '',
    previousSessionAffinityCookie: status.previousSessionAffinityCookie ?? '',
  };
}

/** The routes for a given split, following the strategy's shape (TCP, A/B, sticky, weighted). */
export function buildRoutes(
  canary: Canary,
  weights: RouteWeights,
  options: SetRoutesOptions = {},
): RoutesResult {
  const names = serviceNames(canary);
  const { primaryWeight, canaryWeight } = weights;
  const cookies = currentCookies(canary, options);
  const pair = () => [
    destination(canary, names.primary, primaryWeight),
    destination(canary, names.canary, canaryWeight),
  ];

  if (isTcp(canary)) {
    const route: TCPRoute = { route: pair() };
    const match = l4Matches(canary);
    if (match.length > 0) route.match = match;
    return { routes: { tcp: [route] }, cookies };
  }

  const abMatch = analysisMatch(canary);
  if (abMatch.length > 0) {
    // A/B: matching requests split P/C (0/100 during the analysis), the rest go to the primary.
    const fields = serviceRouteFields(canary);
    const abRoute: HTTPRoute = {
      ...clone(fields),
      match: mergeMatchConditions(abMatch, serviceMatch(canary)),
      route: pair(),
    };
    const rest: HTTPRoute = {
      ...fields,
      route: [destination(canary, names.primary, primaryWeight)],
    };
    return { routes: { http: [abRoute, rest] }, cookies };
  }

  const weighted = weightedRoute(canary, primaryWeight, canaryWeight);
  const sticky = sessionAffinityRoutes(
    canary,
    weighted,
    canaryWeight,
    cookies,
    options.newCookieValue,
  );
  const http = sticky.routes;
  const main = http[http.length - 1];
  if (weights.mirrored && main) {
    // On the weighted route, the one readRoutes reads back (Flagger used http[0], which under
    // session affinity is the sticky route, so the mirror flag was never read back).
    main.mirror = { host: names.canary };
    const mirrorWeight = analysisOf(canary).mirrorWeight ?? 0;
    if (mirrorWeight > 0) main.mirrorPercentage = { value: mirrorWeight };
  }
  return { routes: { http }, cookies: sticky.cookies };
}

/**
 * SetRoutes: a copy of `vs` whose routes are replaced by the ones for `weights` (HTTP routes in
 * HTTP mode, TCP routes in TCP mode); everything else in the object is kept. Also returns the
 * session-affinity cookie status the caller must persist with the same tick's status write.
 */
export function setRoutes(
  vs: VirtualService,
  canary: Canary,
  weights: RouteWeights,
  options: SetRoutesOptions = {},
): { virtualService: VirtualService; cookies: Required<SessionAffinityCookies> } {
  const { routes, cookies } = buildRoutes(canary, weights, options);
  const virtualService = clone(vs);
  if (routes.tcp) virtualService.spec.tcp = routes.tcp;
  if (routes.http) virtualService.spec.http = routes.http;
  return { virtualService, cookies };
}
