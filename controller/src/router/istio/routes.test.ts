import { podinfoCanary } from '../__fixtures__/canary.js';
import { RouterError } from '../kube.js';
import { istioRouter } from './router.js';
import { readRoutes, setRoutes } from './routes.js';
import { buildVirtualService } from './virtual-service.js';

describe('Istio SetRoutes / GetRoutes', () => {
  it('R2 SetRoutes normal: 60/40 is written, without a mirror', () => {
    const canary = podinfoCanary();
    const vs = buildVirtualService(canary);
    const { virtualService } = setRoutes(vs, canary, {
      primaryWeight: 60,
      canaryWeight: 40,
      mirrored: false,
    });
    expect(virtualService.spec.http).toEqual([
      {
        route: [
          { destination: { host: 'podinfo-primary' }, weight: 60 },
          { destination: { host: 'podinfo-canary' }, weight: 40 },
        ],
      },
    ]);
    expect(readRoutes(virtualService)).toEqual({
      primaryWeight: 60,
      canaryWeight: 40,
      mirrored: false,
    });
    // pure: the input object is untouched
    expect(readRoutes(vs)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
  });

  it('R2 SetRoutes keeps hosts, gateways, metadata and resourceVersion of the live object', () => {
    const canary = podinfoCanary({ hosts: ['app.example.com'], gateways: ['public'] });
    const vs = { ...buildVirtualService(canary) };
    vs.metadata = { ...vs.metadata, resourceVersion: '12' };
    const { virtualService } = setRoutes(vs, canary, {
      primaryWeight: 90,
      canaryWeight: 10,
      mirrored: false,
    });
    expect(virtualService.metadata).toEqual(vs.metadata);
    expect(virtualService.spec.hosts).toEqual(['app.example.com', 'podinfo']);
    expect(virtualService.spec.gateways).toEqual(['public']);
  });

  it('R4 Mirror: mirror host is the canary service and mirrorPercentage is the mirrorWeight', () => {
    const canary = podinfoCanary({}, { mirror: true, mirrorWeight: 50 });
    const { virtualService } = setRoutes(buildVirtualService(canary), canary, {
      primaryWeight: 100,
      canaryWeight: 0,
      mirrored: true,
    });
    const route = virtualService.spec.http?.[0];
    expect(route?.mirror).toEqual({ host: 'podinfo-canary' });
    expect(route?.mirrorPercentage).toEqual({ value: 50 });
    expect(readRoutes(virtualService)).toEqual({
      primaryWeight: 100,
      canaryWeight: 0,
      mirrored: true,
    });
  });

  it('R4 Mirror: without mirrorWeight Istio mirrors 100% (no mirrorPercentage)', () => {
    const canary = podinfoCanary({}, { mirror: true });
    const route = setRoutes(buildVirtualService(canary), canary, {
      primaryWeight: 100,
      canaryWeight: 0,
      mirrored: true,
    }).virtualService.spec.http?.[0];
    expect(route?.mirror).toEqual({ host: 'podinfo-canary' });
    expect(route?.mirrorPercentage).toBeUndefined();
  });

  it('R5 GetRoutes: fresh VS; mirror canary; VS edited to add a mirror', () => {
    expect(
      istioRouter.readRoutes(podinfoCanary(), {
        virtualService: buildVirtualService(podinfoCanary()),
      }),
    ).toEqual({
      primaryWeight: 100,
      canaryWeight: 0,
      mirrored: false,
    });
    const mirrorCanary = podinfoCanary({}, { mirror: true });
    const vs = buildVirtualService(mirrorCanary);
    expect(readRoutes(vs)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
    vs.spec.http![0]!.mirror = { host: 'podinfo-canary' };
    expect(readRoutes(vs)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: true });
  });

  it('R5 GetRoutes: both weights 0 or no canary route is an error', () => {
    const vs = buildVirtualService(podinfoCanary());
    vs.spec.http![0]!.route![0]!.weight = 0;
    expect(() => readRoutes(vs)).toThrow(
      new RouterError(
        'VirtualService podinfo.test does not contain routes for podinfo-primary and podinfo-canary',
      ),
    );
    vs.spec.http = [];
    expect(() => readRoutes(vs)).toThrow(RouterError);
    expect(() => istioRouter.readRoutes(podinfoCanary(), {})).toThrow(
      'VirtualService podinfo.test not found',
    );
  });

  it('R5 GetRoutes: the last route sending to the canary wins', () => {
    const vs = buildVirtualService(podinfoCanary());
    vs.spec.http = [
      {
        route: [
          { destination: { host: 'podinfo-primary' }, weight: 10 },
          { destination: { host: 'podinfo-canary' }, weight: 90 },
        ],
      },
      {
        route: [
          { destination: { host: 'podinfo-primary' }, weight: 80 },
          { destination: { host: 'podinfo-canary' }, weight: 20 },
        ],
      },
      { route: [{ destination: { host: 'podinfo-primary' }, weight: 100 }] },
    ];
    expect(readRoutes(vs)).toEqual({ primaryWeight: 80, canaryWeight: 20, mirrored: false });
  });

  it('R10 TCP: weights are written to and read from the tcp route', () => {
    const canary = podinfoCanary({ appProtocol: 'tcp', match: [{ port: 9898 }] });
    const vs = buildVirtualService(canary);
    expect(readRoutes(vs)).toEqual({ primaryWeight: 100, canaryWeight: 0, mirrored: false });
    const { virtualService } = setRoutes(vs, canary, {
      primaryWeight: 70,
      canaryWeight: 30,
      mirrored: true,
    });
    expect(virtualService.spec.tcp).toEqual([
      {
        match: [{ port: 9898 }],
        route: [
          { destination: { host: 'podinfo-primary' }, weight: 70 },
          { destination: { host: 'podinfo-canary' }, weight: 30 },
        ],
      },
    ]);
    expect(virtualService.spec.http).toBeUndefined();
    expect(readRoutes(virtualService)).toEqual({
      primaryWeight: 70,
      canaryWeight: 30,
      mirrored: false,
    });
  });

  it('the router interface returns the new object and the cookie status', () => {
    const canary = podinfoCanary();
    const update = istioRouter.setRoutes(
      canary,
      { virtualService: buildVirtualService(canary) },
      { primaryWeight: 50, canaryWeight: 50, mirrored: false },
    );
    expect(readRoutes(update.object).canaryWeight).toBe(50);
    expect(update.cookies).toEqual({
      sessionAffinityCookie: '',
      primarySessionAffinityCookie: '',
      previousSessionAffinityCookie: '',
    });
    expect(() =>
      istioRouter.setRoutes(canary, {}, { primaryWeight: 50, canaryWeight: 50, mirrored: false }),
    ).toThrow(RouterError);
  });
});
