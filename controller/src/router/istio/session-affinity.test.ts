import type { Canary, CanarySessionAffinity } from '../../api/types.js';
import { podinfoCanary } from '../__fixtures__/canary.js';
import { readRoutes, setRoutes } from './routes.js';
import type { RouteWeights } from './routes.js';
import { buildSetCookie, randomCookieValue } from './session-affinity.js';
import type { SessionAffinityCookies } from './session-affinity.js';
import type { VirtualService } from './types.js';
import { buildVirtualService, planVirtualService } from './virtual-service.js';

const affinity: CanarySessionAffinity = {
  cookieName: 'flagger-cookie',
  domain: 'flagger.app',
  httpOnly: true,
  maxAge: 300,
  partitioned: true,
  path: '/app',
  sameSite: 'Strict',
  secure: true,
};

/** A canary run: each SetRoutes result is persisted (VS and status) like the executor would. */
function run(canary: Canary) {
  let vs: VirtualService = buildVirtualService(canary);
  let status: SessionAffinityCookies = {};
  const values = ['AAAAAAAAAA', 'BBBBBBBBBB', 'CCCCCCCCCC'];
  const next = () => values.shift() ?? 'ZZZZZZZZZZ';
  return {
    set(weights: Omit<RouteWeights, 'mirrored'>) {
      const result = setRoutes(
        vs,
        canary,
        { ...weights, mirrored: false },
        { cookies: status, newCookieValue: next },
      );
      vs = result.virtualService;
      status = result.cookies;
      return vs;
    },
    get vs() {
      return vs;
    },
    get status() {
      return status;
    },
  };
}

describe('R3 SetRoutes session affinity', () => {
  it('builds Set-Cookie attributes in the documented order', () => {
    expect(buildSetCookie(affinity, 'flagger-cookie=abc', 300)).toBe(
      'flagger-cookie=abc; Max-Age=300; Domain=flagger.app; HttpOnly; Partitioned; Path=/app; SameSite=Strict; Secure',
    );
    expect(buildSetCookie({ cookieName: 'c' }, 'c=x', 86400)).toBe('c=x; Max-Age=86400');
  });

  it('random cookie values are 10 ASCII letters', () => {
    expect(randomCookieValue()).toMatch(/^[a-zA-Z]{10}$/);
  });

  it('R3 0/10: sticky cookie route to the canary, then the weighted route with Set-Cookie', () => {
    const canary = podinfoCanary({}, { sessionAffinity: affinity });
    const session = run(canary);
    const vs = session.set({ primaryWeight: 0, canaryWeight: 10 });
    expect(session.status.sessionAffinityCookie).toBe('flagger-cookie=AAAAAAAAAA');
    expect(vs.spec.http).toEqual([
      {
        match: [{ headers: { Cookie: { regex: '.*flagger-cookie.*AAAAAAAAAA.*' } } }],
        route: [
          { destination: { host: 'podinfo-primary' }, weight: 0 },
          { destination: { host: 'podinfo-canary' }, weight: 100 },
        ],
      },
      {
        route: [
          { destination: { host: 'podinfo-primary' }, weight: 0 },
          {
            destination: { host: 'podinfo-canary' },
            weight: 10,
            headers: {
              response: {
                add: {
                  'Set-Cookie':
                    'flagger-cookie=AAAAAAAAAA; Max-Age=300; Domain=flagger.app; HttpOnly; Partitioned; Path=/app; SameSite=Strict; Secure',
                },
              },
            },
          },
        ],
      },
    ]);
    expect(readRoutes(vs)).toEqual({ primaryWeight: 0, canaryWeight: 10, mirrored: false });
  });

  it('R3 reconcile leaves the cookie routes untouched', () => {
    const canary = podinfoCanary({}, { sessionAffinity: affinity });
    const session = run(canary);
    session.set({ primaryWeight: 90, canaryWeight: 10 });
    const persisted: Canary = { ...canary, status: session.status };
    expect(planVirtualService(persisted, session.vs)).toEqual({ plan: { action: 'none' } });
    expect(planVirtualService(canary, session.vs)).toEqual({ plan: { action: 'none' } });
  });

  it('R3 50/50 keeps the same cookie; 100/0 expires it and saves it as the previous cookie', () => {
    const canary = podinfoCanary({}, { sessionAffinity: affinity });
    const session = run(canary);
    session.set({ primaryWeight: 90, canaryWeight: 10 });
    const half = session.set({ primaryWeight: 50, canaryWeight: 50 });
    expect(session.status.sessionAffinityCookie).toBe('flagger-cookie=AAAAAAAAAA');
    expect(half.spec.http?.[0]?.match?.[0]?.headers?.Cookie?.regex).toBe(
      '.*flagger-cookie.*AAAAAAAAAA.*',
    );
    expect(readRoutes(half)).toEqual({ primaryWeight: 50, canaryWeight: 50, mirrored: false });

    const done = session.set({ primaryWeight: 100, canaryWeight: 0 });
    expect(session.status).toEqual({
      sessionAffinityCookie: '',
      primarySessionAffinityCookie: '',
      previousSessionAffinityCookie: 'flagger-cookie=AAAAAAAAAA',
    });
    expect(done.spec.http).toEqual([
      {
        match: [{ headers: { Cookie: { regex: '.*flagger-cookie.*AAAAAAAAAA.*' } } }],
        headers: { response: { add: { 'Set-Cookie': 'flagger-cookie=AAAAAAAAAA; Max-Age=-1' } } },
        route: [
          { destination: { host: 'podinfo-primary' }, weight: 100 },
          { destination: { host: 'podinfo-canary' }, weight: 0 },
        ],
      },
      {
        route: [
          { destination: { host: 'podinfo-primary' }, weight: 100 },
          { destination: { host: 'podinfo-canary' }, weight: 0 },
        ],
      },
    ]);
    expect(readRoutes(done)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
  });

  it('R3 with a primary cookie: 3 rules, the primary cookie lives for one analysis interval', () => {
    const canary = podinfoCanary(
      {},
      { interval: '1m30s', sessionAffinity: { ...affinity, primaryCookieName: 'primary-cookie' } },
    );
    const session = run(canary);
    const vs = session.set({ primaryWeight: 90, canaryWeight: 10 });
    expect(session.status.primarySessionAffinityCookie).toBe('primary-cookie=BBBBBBBBBB');
    const [stickyCanary, stickyPrimary, weighted] = vs.spec.http ?? [];
    expect(vs.spec.http).toHaveLength(3);
    expect(stickyCanary?.route?.map(d => d.weight)).toEqual([0, 100]);
    expect(stickyPrimary?.match).toEqual([
      { headers: { Cookie: { regex: '.*primary-cookie.*BBBBBBBBBB.*' } } },
    ]);
    expect(stickyPrimary?.route?.map(d => d.weight)).toEqual([100, 0]);
    expect(weighted?.route?.[0]?.headers?.response?.add?.['Set-Cookie']).toBe(
      'primary-cookie=BBBBBBBBBB; Max-Age=90; Domain=flagger.app; HttpOnly; Partitioned; Path=/app; SameSite=Strict; Secure',
    );
    expect(readRoutes(vs)).toEqual({ primaryWeight: 90, canaryWeight: 10, mirrored: false });
    expect(planVirtualService({ ...canary, status: session.status }, vs).plan).toEqual({
      action: 'none',
    });
  });

  it('cookie routes stay inside the service match and never leak Set-Cookie into it', () => {
    const service = {
      match: [{ uri: { prefix: '/api' } }],
      headers: { response: { add: { 'x-served-by': 'podinfo' } } },
    };
    const canary = podinfoCanary(service, { sessionAffinity: affinity });
    const session = run(canary);
    session.set({ primaryWeight: 90, canaryWeight: 10 });
    const done = session.set({ primaryWeight: 100, canaryWeight: 0 });
    const [expire, weighted] = done.spec.http ?? [];
    expect(expire?.match).toEqual([
      { uri: { prefix: '/api' }, headers: { Cookie: { regex: '.*flagger-cookie.*AAAAAAAAAA.*' } } },
    ]);
    expect(expire?.headers?.response?.add).toEqual({
      'x-served-by': 'podinfo',
      'Set-Cookie': 'flagger-cookie=AAAAAAAAAA; Max-Age=-1',
    });
    expect(weighted?.headers).toEqual(service.headers);
    expect(canary.spec.service.headers).toEqual({
      response: { add: { 'x-served-by': 'podinfo' } },
    });
  });

  it('mirroring under session affinity is set on the weighted route and read back', () => {
    const canary = podinfoCanary({}, { sessionAffinity: affinity, mirror: true });
    const vs = setRoutes(buildVirtualService(canary), canary, {
      primaryWeight: 90,
      canaryWeight: 10,
      mirrored: true,
    }).virtualService;
    expect(vs.spec.http?.[0]?.mirror).toBeUndefined();
    expect(vs.spec.http?.[1]?.mirror).toEqual({ host: 'podinfo-canary' });
    expect(readRoutes(vs).mirrored).toBe(true);
  });
});
