import {
  applyHeaderOperations,
  hostAliases,
  pickDestination,
  seededRandom,
  selectRoute,
  shouldMirror,
  stringMatches,
} from '../../src/mesh/routing.js';
import type { HttpRoute, RouteRequest } from '../../src/mesh/routing.js';

const request = (url: string, headers: Record<string, string> = {}): RouteRequest => ({
  method: 'GET',
  url,
  headers,
});

const weighted = (primary: number, canary: number): HttpRoute => ({
  route: [
    { destination: { host: 'podinfo-primary' }, weight: primary },
    { destination: { host: 'podinfo-canary' }, weight: canary },
  ],
});

describe('string matches', () => {
  it('exact, prefix and full-match regex', () => {
    expect(stringMatches({ exact: '/a' }, '/a')).toBe(true);
    expect(stringMatches({ exact: '/a' }, '/ab')).toBe(false);
    expect(stringMatches({ prefix: '/api' }, '/api/v1')).toBe(true);
    expect(stringMatches({ prefix: '/api' }, '/ap')).toBe(false);
    expect(stringMatches({ regex: 'ins.*' }, 'insider')).toBe(true);
    // RE2 safe_regex matches the whole value
    expect(stringMatches({ regex: 'ins' }, 'insider')).toBe(false);
    expect(stringMatches({ regex: '(' }, 'x')).toBe(false);
    expect(stringMatches({ exact: 'x' }, undefined)).toBe(false);
  });
});

describe('route selection', () => {
  const routes: HttpRoute[] = [
    {
      name: 'ab',
      match: [
        { headers: { 'x-canary': { exact: 'insider' } } },
        { headers: { cookie: { regex: '^(.*?;\\s*)?(canary=always)(;.*)?$' } } },
      ],
      route: [{ destination: { host: 'canary' } }],
    },
    { name: 'api', match: [{ uri: { prefix: '/api' }, method: { exact: 'POST' } }], route: [] },
    { name: 'query', match: [{ queryParams: { beta: { exact: 'yes' } } }], route: [] },
    {
      name: 'without',
      match: [{ withoutHeaders: { 'x-skip': { exact: '1' } }, uri: { exact: '/w' } }],
    },
    { name: 'default', route: [{ destination: { host: 'primary' } }] },
  ];

  it('takes the first route whose match blocks (ORed) all hold (ANDed)', () => {
    expect(selectRoute(routes, request('/', { 'x-canary': 'insider' }))?.name).toBe('ab');
    expect(selectRoute(routes, request('/', { 'x-canary': 'outsider' }))?.name).toBe('default');
    expect(selectRoute(routes, request('/', { cookie: 'a=b; canary=always' }))?.name).toBe('ab');
    expect(selectRoute(routes, request('/', { cookie: 'canary=never' }))?.name).toBe('default');
    expect(selectRoute(routes, { method: 'POST', url: '/api/x', headers: {} })?.name).toBe('api');
    expect(selectRoute(routes, request('/api/x'))?.name).toBe('default');
    expect(selectRoute(routes, request('/p?beta=yes'))?.name).toBe('query');
    expect(selectRoute(routes, request('/w'))?.name).toBe('without');
    expect(selectRoute(routes, request('/w', { 'x-skip': '1' }))?.name).toBe('default');
  });

  it('no route when nothing matches', () => {
    expect(selectRoute([routes[0] as HttpRoute], request('/'))).toBeUndefined();
  });
});

describe('weighted destinations', () => {
  it.each([
    [90, 10],
    [75, 25],
    [50, 50],
  ])('%i/%i split within 2 points over 20,000 requests (seeded)', (primary, canary) => {
    const random = seededRandom(42);
    const route = weighted(primary, canary);
    let toCanary = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      if (pickDestination(route, random)?.destination.host === 'podinfo-canary') toCanary++;
    }
    expect(Math.abs((toCanary / n) * 100 - canary)).toBeLessThan(2);
  });

  it('weight 0 never receives traffic among several; a lone destination takes all, with or without weight', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 1000; i++) {
      expect(pickDestination(weighted(100, 0), random)?.destination.host).toBe('podinfo-primary');
    }
    expect(
      pickDestination({ route: [{ destination: { host: 'only' } }] }, random)?.destination.host,
    ).toBe('only');
    // an A/B default route as the controller writes it: the primary alone, weight 0
    expect(
      pickDestination({ route: [{ destination: { host: 'only' }, weight: 0 }] }, random)
        ?.destination.host,
    ).toBe('only');
    expect(pickDestination(weighted(0, 0), random)).toBeUndefined();
  });
});

describe('mirroring', () => {
  it('mirrors every request by default and mirrorPercentage of them otherwise', () => {
    const random = seededRandom(7);
    expect(shouldMirror({ mirror: { host: 'podinfo-canary' } }, random)).toBe('podinfo-canary');
    expect(shouldMirror({}, random)).toBeUndefined();
    let mirrored = 0;
    for (let i = 0; i < 10_000; i++) {
      if (shouldMirror({ mirror: { host: 'c' }, mirrorPercentage: { value: 30 } }, random)) {
        mirrored++;
      }
    }
    expect(Math.abs(mirrored / 100 - 30)).toBeLessThan(2);
  });
});

describe('header operations', () => {
  it('set, add (appending, as for several Set-Cookie) and remove', () => {
    const headers: Record<string, string | string[]> = { 'x-a': '1', 'set-cookie': 'a=1' };
    applyHeaderOperations(headers, {
      set: { 'X-B': '2' },
      add: { 'Set-Cookie': 'canary=abc; Max-Age=60' },
      remove: ['x-a'],
    });
    expect(headers).toEqual({ 'x-b': '2', 'set-cookie': ['a=1', 'canary=abc; Max-Age=60'] });
  });
});

describe('hosts', () => {
  it('a short host answers to its namespaced names', () => {
    expect(hostAliases('podinfo', 'demo')).toEqual([
      'podinfo',
      'podinfo.demo',
      'podinfo.demo.svc',
      'podinfo.demo.svc.cluster.local',
    ]);
    expect(hostAliases('podinfo.demo.svc.cluster.local', 'x')).toContain('podinfo.demo');
    expect(hostAliases('app.example.com', 'demo')).toEqual(['app.example.com']);
  });
});
