// Sticky canary routing (spec 1.7, 3.5, R3): cookie routes around the weighted route, and the
// cookie bookkeeping the caller persists in the Canary status.
import { randomInt } from 'node:crypto';
import type { Canary, CanarySessionAffinity } from '../../api/types.js';
import { parseGoDuration } from '../../api/duration.js';
import { analysisOf, serviceNames } from '../canary.js';
import { clone } from '../equality.js';
import { RouterError } from '../kube.js';
import { destination, mergeMatchConditions, serviceMatch } from './http-routes.js';
import type { HTTPMatchRequest, HTTPRoute, HTTPRouteDestination } from './types.js';

export const DEFAULT_COOKIE_MAX_AGE = 86400;

/** The status fields holding `name=value` cookie strings. */
export interface SessionAffinityCookies {
  sessionAffinityCookie?: string;
  primarySessionAffinityCookie?: string;
  previousSessionAffinityCookie?: string;
}

/** Source of the 10 random ASCII letters of a cookie value; injectable for tests. */
export type CookieValueSource = () => string;

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export const randomCookieValue: CookieValueSource = () =>
  Array.from({ length: 10 }, () => LETTERS[randomInt(LETTERS.length)]).join('');

/** `<name>=<value>; Max-Age=<n>` then Domain, HttpOnly, Partitioned, Path, SameSite, Secure. */
export function buildSetCookie(
  affinity: CanarySessionAffinity,
  cookie: string,
  maxAge: number,
): string {
  let header = `${cookie}; Max-Age=${maxAge}`;
  if (affinity.domain) header += `; Domain=${affinity.domain}`;
  if (affinity.httpOnly) header += '; HttpOnly';
  if (affinity.partitioned) header += '; Partitioned';
  if (affinity.path) header += `; Path=${affinity.path}`;
  if (affinity.sameSite) header += `; SameSite=${affinity.sameSite}`;
  if (affinity.secure) header += '; Secure';
  return header;
}

/** Match on the `Cookie` header carrying this `name=value`, within the service match. */
function cookieMatch(canary: Canary, cookie: string): HTTPMatchRequest[] {
  const [name = '', value = ''] = cookie.split('=');
  const condition: HTTPMatchRequest = { headers: { Cookie: { regex: `.*${name}.*${value}.*` } } };
  return mergeMatchConditions([condition], serviceMatch(canary));
}

/** True for a route generated here (matches the Cookie header on one of our cookie names). */
export function isCookieRoute(route: HTTPRoute, affinity: CanarySessionAffinity): boolean {
  const names = [affinity.cookieName, affinity.primaryCookieName].filter(Boolean) as string[];
  return (route.match ?? []).some(m => {
    const regex = m.headers?.Cookie?.regex ?? '';
    return names.some(name => regex.includes(name));
  });
}

function addResponseHeader(target: { headers?: HTTPRoute['headers'] }, value: string) {
  const headers = clone(target.headers) ?? {};
  const response = headers.response ?? {};
  response.add = { ...(response.add ?? {}), 'Set-Cookie': value };
  headers.response = response;
  target.headers = headers;
}

function intervalSeconds(canary: Canary): number {
  const interval = analysisOf(canary).interval ?? '60s';
  const ms = parseGoDuration(interval);
  if (ms === undefined) throw new RouterError(`failed to parse canary interval ${interval}`);
  return Math.floor(ms / 1000);
}

function findDestination(route: HTTPRoute, host: string): HTTPRouteDestination | undefined {
  return route.route?.find(d => d.destination.host === host);
}

/**
 * Routes replacing the single weighted route when session affinity is on, and the cookie
 * status to persist. While the canary has weight: sticky canary, sticky primary (only with a
 * primaryCookieName), weighted route with Set-Cookie per destination. At weight 0: the previous
 * cookie is expired with `Max-Age=-1`, then the weighted route.
 */
export function sessionAffinityRoutes(
  canary: Canary,
  weighted: HTTPRoute,
  canaryWeight: number,
  current: SessionAffinityCookies,
  newCookieValue: CookieValueSource = randomCookieValue,
): { routes: HTTPRoute[]; cookies: Required<SessionAffinityCookies> } {
  // All three fields are always returned ('' = none) so the caller can write them as they are.
  const cookies: Required<SessionAffinityCookies> = {
    sessionAffinityCookie: current.sessionAffinityCookie ?? '',
    primarySessionAffinityCookie: current.primarySessionAffinityCookie ?? '',
    previousSessionAffinityCookie: current.previousSessionAffinityCookie ?? '',
  };
  const affinity = analysisOf(canary).sessionAffinity;
  if (!affinity) return { routes: [weighted], cookies };
  const names = serviceNames(canary);
  const main = clone(weighted);

  if (canaryWeight > 0) {
    cookies.sessionAffinityCookie ||= `${affinity.cookieName}=${newCookieValue()}`;
    if (affinity.primaryCookieName) {
      cookies.primarySessionAffinityCookie ||= `${affinity.primaryCookieName}=${newCookieValue()}`;
    }
    const maxAge = affinity.maxAge || DEFAULT_COOKIE_MAX_AGE;
    const canaryDest = findDestination(main, names.canary);
    if (canaryDest)
      addResponseHeader(
        canaryDest,
        buildSetCookie(affinity, cookies.sessionAffinityCookie, maxAge),
      );

    const stickyCanary: HTTPRoute = {
      ...clone(weighted),
      match: cookieMatch(canary, cookies.sessionAffinityCookie),
      route: [destination(canary, names.primary, 0), destination(canary, names.canary, 100)],
    };
    const routes = [stickyCanary];
    const primaryCookie = cookies.primarySessionAffinityCookie;
    if (affinity.primaryCookieName && primaryCookie) {
      const primaryDest = findDestination(main, names.primary);
      const primaryAge = intervalSeconds(canary);
      if (primaryDest)
        addResponseHeader(primaryDest, buildSetCookie(affinity, primaryCookie, primaryAge));
      routes.push({
        ...clone(weighted),
        match: cookieMatch(canary, primaryCookie),
        route: [destination(canary, names.primary, 100), destination(canary, names.canary, 0)],
      });
    }
    return { routes: [...routes, main], cookies };
  }

  // Weight 0 ends the run: the current cookie becomes the previous one and is expired.
  if (cookies.sessionAffinityCookie) {
    cookies.previousSessionAffinityCookie = cookies.sessionAffinityCookie;
  }
  cookies.sessionAffinityCookie = '';
  const previous = cookies.previousSessionAffinityCookie;
  if (!previous) return { routes: [main], cookies };
  const expire: HTTPRoute = { ...clone(weighted), match: cookieMatch(canary, previous) };
  addResponseHeader(expire, `${previous}; Max-Age=-1`);
  return { routes: [expire, main], cookies };
}
