import { podinfoCanary } from '../__fixtures__/canary.js';
import type { ObjectPlan } from '../kube.js';
import { KUBECTL_ANNOTATION, RouterError } from '../kube.js';
import { FLUX_MARKERS } from '../metadata.js';
import { istioRouter } from './router.js';
import type { IstioLiveObjects } from './router.js';
import { readRoutes, setRoutes } from './routes.js';
import type { VirtualService } from './types.js';
import {
  ORIGINAL_CONFIG_ANNOTATION,
  buildVirtualService,
  planVirtualService,
} from './virtual-service.js';

function applied<T>(plan: ObjectPlan<T>, live?: T): T {
  if (plan.action !== 'none') return plan.object;
  if (!live) throw new Error('nothing to apply');
  return live;
}

/** One reconcile against a fake cluster holding `live`; returns the new cluster state. */
function reconcile(
  canary = podinfoCanary(),
  live: IstioLiveObjects = {},
): Required<IstioLiveObjects> {
  const plan = istioRouter.reconcile(canary, live);
  return {
    canaryDestinationRule: applied(plan.canaryDestinationRule, live.canaryDestinationRule),
    primaryDestinationRule: applied(plan.primaryDestinationRule, live.primaryDestinationRule),
    virtualService: applied(plan.virtualService.plan, live.virtualService),
  };
}

const richService = {
  headers: {
    request: { add: { 'x-envoy-upstream-rq-timeout-ms': '15000' }, remove: ['test'] },
    response: { remove: ['token'] },
  },
  corsPolicy: { allowOrigin: ['example.com'], allowMethods: ['GET', 'POST'], maxAge: '24h' },
  retries: { attempts: 3, perTryTimeout: '1s', retryOn: 'gateway-error,connect-failure' },
  timeout: '30s',
  rewrite: { uri: '/', authority: 'podinfo.internal', type: 'ReplacePrefixMatch' },
};

describe('Istio VirtualService reconcile', () => {
  it('R1 Sync: creates both DestinationRules and a VirtualService with 1 route and 2 destinations', () => {
    const state = reconcile();
    expect(state.canaryDestinationRule.spec).toEqual({ host: 'podinfo-canary' });
    expect(state.primaryDestinationRule.spec).toEqual({ host: 'podinfo-primary' });
    const vs = state.virtualService;
    expect(vs.metadata.name).toBe('podinfo');
    expect(vs.spec.hosts).toEqual(['podinfo']);
    expect(vs.spec.gateways).toEqual(['mesh']);
    expect(vs.spec.http).toEqual([
      {
        route: [
          { destination: { host: 'podinfo-primary' }, weight: 100 },
          { destination: { host: 'podinfo-canary' }, weight: 0 },
        ],
      },
    ]);
    expect(vs.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Canary', name: 'podinfo' });
  });

  it('R1 Sync: a second reconcile of an unchanged cluster plans nothing', () => {
    const state = reconcile();
    const plan = istioRouter.reconcile(podinfoCanary(), state);
    expect(plan.canaryDestinationRule).toEqual({ action: 'none' });
    expect(plan.primaryDestinationRule).toEqual({ action: 'none' });
    expect(plan.virtualService).toEqual({ plan: { action: 'none' } });
  });

  it('R1 Sync: adding a host in the canary updates the VirtualService', () => {
    const state = reconcile();
    const next = reconcile(podinfoCanary({ hosts: ['app.example.com'] }), state);
    expect(next.virtualService.spec.hosts).toEqual(['app.example.com', 'podinfo']);
  });

  it('R1 Sync: a gateway added by hand is removed on the next reconcile (drift)', () => {
    const state = reconcile();
    state.virtualService.spec.gateways = ['mesh', 'istio-system/hand-made'];
    const plan = planVirtualService(podinfoCanary(), state.virtualService);
    expect(plan.plan).toMatchObject({ action: 'update', reasons: ['spec'] });
    expect(applied(plan.plan).spec.gateways).toEqual(['mesh']);
  });

  it('hosts: the apex name is not added when "*" is listed; gateways replace mesh', () => {
    const vs = buildVirtualService(podinfoCanary({ hosts: ['*'], gateways: ['istio/public'] }));
    expect(vs.spec.hosts).toEqual(['*']);
    expect(vs.spec.gateways).toEqual(['istio/public']);
  });

  it('R6 Headers / CORS: request/response header operations and corsPolicy are on the route', () => {
    const route = buildVirtualService(podinfoCanary(richService)).spec.http?.[0];
    expect(route?.headers?.request?.add).toEqual({ 'x-envoy-upstream-rq-timeout-ms': '15000' });
    expect(route?.headers?.request?.remove).toEqual(['test']);
    expect(route?.headers?.response?.remove).toEqual(['token']);
    expect(route?.corsPolicy?.allowMethods).toHaveLength(2);
    expect(route?.retries).toEqual(richService.retries);
    expect(route?.timeout).toBe('30s');
    // Istio understands uri/authority; the Gateway API `type` is dropped.
    expect(route?.rewrite).toEqual({ uri: '/', authority: 'podinfo.internal' });
  });

  it('R7 A/B: two routes, the analysis match goes to P/C, everything else to the primary', () => {
    const canary = podinfoCanary(
      {},
      { iterations: 10, match: [{ headers: { 'x-user-type': { exact: 'test' } } }] },
    );
    const created = reconcile(canary).virtualService;
    expect(created.spec.http).toHaveLength(2);
    const { virtualService } = setRoutes(created, canary, {
      primaryWeight: 0,
      canaryWeight: 100,
      mirrored: false,
    });
    const [ab, rest] = virtualService.spec.http ?? [];
    expect(ab?.match).toEqual([{ headers: { 'x-user-type': { exact: 'test' } } }]);
    expect(ab?.route).toEqual([
      { destination: { host: 'podinfo-primary' }, weight: 0 },
      { destination: { host: 'podinfo-canary' }, weight: 100 },
    ]);
    expect(ab?.mirror).toBeUndefined();
    expect(rest?.match).toBeUndefined();
    expect(rest?.route).toEqual([{ destination: { host: 'podinfo-primary' }, weight: 0 }]);
    expect(readRoutes(virtualService)).toEqual({
      primaryWeight: 0,
      canaryWeight: 100,
      mirrored: false,
    });
  });

  it('R7 A/B: with service.match (uri prefix) the conditions are merged as a cartesian product', () => {
    const canary = podinfoCanary(
      {
        match: [
          { uri: { prefix: '/podinfo' } },
          { uri: { prefix: '/api' }, headers: { 'x-env': { exact: 'prod' } } },
        ],
      },
      {
        iterations: 10,
        match: [
          { headers: { 'x-user-type': { exact: 'test' } } },
          { queryParams: { canary: { exact: 'true' } } },
        ],
      },
    );
    const [ab, rest] = buildVirtualService(canary).spec.http ?? [];
    expect(ab?.match).toEqual([
      { uri: { prefix: '/podinfo' }, headers: { 'x-user-type': { exact: 'test' } } },
      {
        uri: { prefix: '/api' },
        headers: { 'x-env': { exact: 'prod' }, 'x-user-type': { exact: 'test' } },
      },
      { uri: { prefix: '/podinfo' }, queryParams: { canary: { exact: 'true' } } },
      {
        uri: { prefix: '/api' },
        headers: { 'x-env': { exact: 'prod' } },
        queryParams: { canary: { exact: 'true' } },
      },
    ]);
    expect(rest?.match).toEqual(canary.spec.service.match);
  });

  it('R8 GatewayPort: portDiscovery behind a gateway sets the destination port', () => {
    const vs = buildVirtualService(
      podinfoCanary({ portDiscovery: true, gateways: ['istio/public-gateway', 'mesh'] }),
    );
    expect(vs.spec.http?.[0]?.route?.map(d => d.destination.port)).toEqual([
      { number: 9898 },
      { number: 9898 },
    ]);
    const mesh = buildVirtualService(podinfoCanary({ portDiscovery: true }));
    expect(mesh.spec.http?.[0]?.route?.[0]?.destination.port).toBeUndefined();
  });

  it('R8 Delegate: no hosts or gateways, explicit port; hosts or gateways with delegation is an error', () => {
    const vs = buildVirtualService(podinfoCanary({ portDiscovery: true, delegation: true }));
    expect(vs.spec.hosts).toEqual([]);
    expect(vs.spec.gateways).toEqual([]);
    expect(vs.spec.http?.[0]?.route?.[0]?.destination.port).toEqual({ number: 9898 });
    const invalid = podinfoCanary({ delegation: true, gateways: ['istio/public-gateway', 'mesh'] });
    expect(() => istioRouter.reconcile(invalid, {})).toThrow(RouterError);
    expect(() => buildVirtualService(invalid)).toThrow(
      'VirtualService podinfo.test cannot have hosts and gateways when delegation enabled',
    );
  });

  it('R10 TCP: appProtocol tcp builds a tcp route with L4 port matches', () => {
    const canary = podinfoCanary({ appProtocol: 'TCP', match: [{ port: 9898 }, { port: 9899 }] });
    const vs = buildVirtualService(canary);
    expect(vs.spec.http).toBeUndefined();
    expect(vs.spec.tcp).toEqual([
      {
        match: [{ port: 9898 }, { port: 9899 }],
        route: [
          { destination: { host: 'podinfo-primary' }, weight: 100 },
          { destination: { host: 'podinfo-canary' }, weight: 0 },
        ],
      },
    ]);
  });

  it('QUIRK fixed: a spec change mid-analysis keeps the live weights and mirror', () => {
    const canary = podinfoCanary();
    const live = setRoutes(reconcile(canary).virtualService, canary, {
      primaryWeight: 70,
      canaryWeight: 30,
      mirrored: true,
    }).virtualService;
    const next = reconcile(podinfoCanary({ timeout: '5s' }), {
      virtualService: live,
    }).virtualService;
    expect(next.spec.http?.[0]?.timeout).toBe('5s');
    expect(readRoutes(next)).toEqual({ primaryWeight: 70, canaryWeight: 30, mirrored: true });
  });

  it('a rewrite uses the split the engine expects when it passes one', () => {
    const live = reconcile().virtualService;
    const plan = planVirtualService(podinfoCanary({ timeout: '5s' }), live, {
      weights: { primaryWeight: 40, canaryWeight: 60, mirrored: false },
    }).plan;
    expect(readRoutes(applied(plan))).toEqual({
      primaryWeight: 40,
      canaryWeight: 60,
      mirrored: false,
    });
  });

  it('weights and mirror written by SetRoutes are not drift', () => {
    const canary = podinfoCanary({}, { mirror: true, mirrorWeight: 50 });
    const live = setRoutes(reconcile(canary).virtualService, canary, {
      primaryWeight: 100,
      canaryWeight: 0,
      mirrored: true,
    }).virtualService;
    expect(planVirtualService(canary, live).plan).toEqual({ action: 'none' });
  });

  it('keeps spec fields it does not own (exportTo, tls) and labels others set', () => {
    const live = reconcile().virtualService;
    live.spec.exportTo = ['.'];
    live.spec.gateways = ['other'];
    live.metadata.labels = { 'team.io/owner': 'me' };
    const next = reconcile(podinfoCanary(), { virtualService: live }).virtualService;
    expect(next.spec.exportTo).toEqual(['.']);
    expect(next.spec.gateways).toEqual(['mesh']);
    expect(next.metadata.labels).toEqual({ 'team.io/owner': 'me' });
  });

  it('apex metadata goes on the VirtualService with the Flux markers, and is reconciled', () => {
    const canary = podinfoCanary({ apex: { labels: { tier: 'web' }, annotations: { note: 'a' } } });
    const vs = buildVirtualService(canary);
    expect(vs.metadata.labels).toEqual({ tier: 'web' });
    expect(vs.metadata.annotations).toMatchObject({ note: 'a', ...FLUX_MARKERS });
    const plan = planVirtualService(podinfoCanary({ apex: { labels: { tier: 'api' } } }), vs).plan;
    expect(plan).toMatchObject({ action: 'update', reasons: ['metadata'] });
    const next = applied(plan);
    expect(next.metadata.labels).toEqual({ tier: 'api' });
    expect(next.metadata.annotations?.note).toBeUndefined();
  });

  it('takeover: a pre-existing VirtualService gets its original spec saved once', () => {
    const userVs: VirtualService = {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name: 'podinfo', namespace: 'test', resourceVersion: '7' },
      spec: {
        hosts: ['app.example.com', 'podinfo'],
        gateways: ['public'],
        http: [
          { route: [{ destination: { host: 'podinfo' }, weight: 100 }], retries: { attempts: 3 } },
        ],
      },
    };
    const first = applied(planVirtualService(podinfoCanary(), userVs).plan);
    expect(first.metadata.resourceVersion).toBe('7');
    expect(JSON.parse(first.metadata.annotations?.[ORIGINAL_CONFIG_ANNOTATION] ?? '')).toEqual(
      userVs.spec,
    );
    expect(first.metadata.ownerReferences).toBeUndefined();
    const drifted = { ...first, spec: { ...first.spec, gateways: ['x'] } };
    const second = applied(planVirtualService(podinfoCanary(), drifted).plan);
    expect(JSON.parse(second.metadata.annotations?.[ORIGINAL_CONFIG_ANNOTATION] ?? '')).toEqual(
      userVs.spec,
    );
  });

  it('takeover: with a kubectl last-applied annotation no copy is stored', () => {
    const userVs: VirtualService = {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name: 'podinfo', namespace: 'test', annotations: { [KUBECTL_ANNOTATION]: '{}' } },
      spec: { hosts: ['podinfo'] },
    };
    const next = applied(planVirtualService(podinfoCanary(), userVs).plan);
    expect(next.metadata.annotations?.[ORIGINAL_CONFIG_ANNOTATION]).toBeUndefined();
  });

  it('a user-edited VirtualService without a canary route is rebuilt at 100/0', () => {
    const live = reconcile().virtualService;
    live.spec.http = [{ route: [{ destination: { host: 'elsewhere' }, weight: 100 }] }];
    const next = reconcile(podinfoCanary(), { virtualService: live }).virtualService;
    expect(readRoutes(next)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
  });
});

describe('Istio DestinationRules', () => {
  it('copy the traffic policy verbatim, keep subsets others add, and follow policy edits', () => {
    const trafficPolicy = {
      tls: { mode: 'ISTIO_MUTUAL' as const },
      loadBalancer: { simple: 'LEAST_REQUEST' as const },
    };
    const state = reconcile(podinfoCanary({ trafficPolicy }));
    expect(state.primaryDestinationRule.spec).toEqual({ host: 'podinfo-primary', trafficPolicy });
    state.canaryDestinationRule.spec.subsets = [{ name: 'v1' }];
    const plan = istioRouter.reconcile(podinfoCanary(), state);
    expect(plan.canaryDestinationRule).toMatchObject({
      action: 'update',
      reasons: ['trafficPolicy'],
    });
    expect(applied(plan.canaryDestinationRule).spec).toEqual({
      host: 'podinfo-canary',
      subsets: [{ name: 'v1' }],
    });
  });
});
