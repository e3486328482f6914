// The traffic split each phase implies. Routes are derived from status, never the other way
// round: a tick records its step in status and routes follow, so a VirtualService left at a
// different split (a crash between the two writes, a reconcile that reset it, a hand edit) is
// put back by the next tick instead of being taken as the new truth.
import { createHash } from 'node:crypto';
import type { CanaryStatus } from '../api/types.js';
import type { EngineSpec } from './spec.js';
import type { AffinityCookies, Routes } from './types.js';

const split = (primaryWeight: number, canaryWeight: number, mirrored = false): Routes => ({
  primaryWeight,
  canaryWeight,
  mirrored,
});

export function expectedRoutes(spec: EngineSpec, status: CanaryStatus): Routes {
  const weight = status.canaryWeight ?? 0;
  const iterations = status.iterations ?? 0;
  switch (status.phase) {
    case 'Progressing':
    case 'WaitingPromotion':
      // A/B: from the first iteration on, requests matching analysis.match go to the canary.
      if (spec.strategy === 'ab-testing') return iterations > 0 ? split(0, 100) : split(100, 0);
      // Mirroring (canary: the one step before the first shift; Blue/Green: every iteration
      // before all traffic moves) is on once a step has been taken at weight 0.
      return split(100 - weight, weight, spec.mirror && weight === 0 && iterations > 0);
    case 'Promoting':
      return spec.strategy === 'ab-testing' ? split(0, 100) : split(100 - weight, weight);
    case 'Failed':
      // canaryWeight is 100 after a failed promotion: the canary is the only healthy copy.
      return split(100 - weight, weight);
    default:
      return split(100, 0);
  }
}

export function sameRoutes(a: Routes, b: Routes): boolean {
  return (
    a.primaryWeight === b.primaryWeight &&
    a.canaryWeight === b.canaryWeight &&
    a.mirrored === b.mirrored
  );
}

/**
 * Session-affinity cookies for the split `status` implies (spec 3.5). Cookie values are derived
 * from the canary and the revision instead of drawn at random, so a repeated tick writes the
 * same cookie. While the canary gets traffic it has a cookie; when its weight drops to 0 the
 * cookie becomes the previous one (the router expires it in browsers).
 */
export function withAffinityCookies(
  spec: EngineSpec,
  status: CanaryStatus,
  seed: string,
): CanaryStatus {
  if (!spec.cookieName) return status;
  const routes = expectedRoutes(spec, status);
  const next: CanaryStatus = { ...status };
  if (routes.canaryWeight > 0) {
    next.sessionAffinityCookie ||= cookie(spec.cookieName, `${seed}/${status.lastAppliedSpec}`);
    if (spec.primaryCookieName) {
      next.primarySessionAffinityCookie ||= cookie(
        spec.primaryCookieName,
        `${seed}/${status.lastAppliedSpec}/primary`,
      );
    }
    return next;
  }
  if (status.sessionAffinityCookie)
    next.previousSessionAffinityCookie = status.sessionAffinityCookie;
  delete next.sessionAffinityCookie;
  delete next.primarySessionAffinityCookie;
  return next;
}

export function cookiesOf(spec: EngineSpec, status: CanaryStatus): AffinityCookies | undefined {
  if (!spec.cookieName) return undefined;
  const cookies: AffinityCookies = {};
  if (status.sessionAffinityCookie) cookies.sessionAffinityCookie = status.sessionAffinityCookie;
  if (status.primarySessionAffinityCookie) {
    cookies.primarySessionAffinityCookie = status.primarySessionAffinityCookie;
  }
  if (status.previousSessionAffinityCookie) {
    cookies.previousSessionAffinityCookie = status.previousSessionAffinityCookie;
  }
  return cookies;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function cookie(name: string, seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  const value = Array.from(digest.subarray(0, 10), byte => LETTERS[byte % LETTERS.length]).join('');
  return `${name}=${value}`;
}
