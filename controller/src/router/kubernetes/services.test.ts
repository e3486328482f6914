import { appSelector, podinfoCanary } from '../__fixtures__/canary.js';
import type { ObjectPlan } from '../kube.js';
import { KUBECTL_ANNOTATION } from '../kube.js';
import { FLUX_MARKERS, MANAGED_METADATA_ANNOTATION } from '../metadata.js';
import { buildService, planApexServiceRevert, planService, planServices } from './services.js';
import type { Service } from './services.js';

/** What the API server would hold after applying the plan. */
function applied(plan: ObjectPlan<Service>, live?: Service): Service {
  if (plan.action === 'none') {
    if (!live) throw new Error('nothing to apply');
    return live;
  }
  return plan.object;
}

function created(role: 'apex' | 'primary' | 'canary', canary = podinfoCanary()): Service {
  return applied(planService(canary, role, appSelector, undefined));
}

describe('R11 Services', () => {
  it('R11 create: canary, primary and apex ClusterIP services with selectors and owner', () => {
    const plans = planServices(podinfoCanary(), appSelector, {});
    expect(Object.values(plans).map(p => p.action)).toEqual(['create', 'create', 'create']);
    const canarySvc = applied(plans.canary);
    expect(canarySvc.metadata.name).toBe('podinfo-canary');
    expect(canarySvc.metadata.namespace).toBe('test');
    expect(canarySvc.spec).toEqual({
      type: 'ClusterIP',
      selector: { app: 'podinfo' },
      ports: [{ name: 'http', protocol: 'TCP', port: 9898, targetPort: 9898 }],
    });
    expect(canarySvc.metadata.labels).toEqual({ app: 'podinfo-canary' });
    expect(canarySvc.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'aviary.dev/v1beta1',
        kind: 'Canary',
        name: 'podinfo',
        uid: 'uid-podinfo',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(applied(plans.primary).spec.selector).toEqual({ app: 'podinfo-primary' });
    expect(applied(plans.apex).metadata.name).toBe('podinfo');
    expect(applied(plans.apex).spec.selector).toEqual({ app: 'podinfo-primary' });
  });

  it('R11 create: headless services, appProtocol and Flux markers', () => {
    const svc = created('canary', podinfoCanary({ headless: true, appProtocol: 'http' }));
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.spec.ports?.[0]?.appProtocol).toBe('http');
    expect(svc.metadata.annotations).toMatchObject(FLUX_MARKERS);
  });

  it('R11 trafficDistribution is set on all three services and enforced later', () => {
    const canary = podinfoCanary({ trafficDistribution: 'PreferClose' });
    const plans = planServices(canary, appSelector, {});
    for (const plan of Object.values(plans)) {
      expect(applied(plan).spec.trafficDistribution).toBe('PreferClose');
    }
    const live = created('apex', podinfoCanary());
    const plan = planService(canary, 'apex', appSelector, live);
    expect(plan).toMatchObject({ action: 'update', reasons: ['trafficDistribution'] });
  });

  it('R11 steady state: reconciling an unchanged service plans nothing', () => {
    const canary = podinfoCanary({ apex: { labels: { team: 'a' } } });
    for (const role of ['apex', 'primary', 'canary'] as const) {
      expect(planService(canary, role, appSelector, created(role, canary))).toEqual({
        action: 'none',
      });
    }
  });

  it('R11 update: a new portName in the canary updates the ports', () => {
    const live = created('canary');
    const plan = planService(podinfoCanary({ portName: 'grpc' }), 'canary', appSelector, live);
    expect(plan).toMatchObject({ action: 'update', reasons: ['ports'] });
    expect(applied(plan).spec.ports?.[0]?.name).toBe('grpc');
  });

  it('R11 undo manual drift: hand-edited ports and selector are restored', () => {
    const live = created('canary');
    live.metadata.resourceVersion = '42';
    live.spec.ports = [{ name: 'http2-podinfo', protocol: 'TCP', port: 8080, targetPort: 8080 }];
    live.spec.selector = { app: 'other' };
    const plan = planService(podinfoCanary(), 'canary', appSelector, live);
    expect(plan).toMatchObject({ action: 'update', reasons: ['ports', 'selector'] });
    const svc = applied(plan);
    expect(svc.spec.ports).toEqual([
      { name: 'http', protocol: 'TCP', port: 9898, targetPort: 9898 },
    ]);
    expect(svc.spec.selector).toEqual({ app: 'podinfo' });
    expect(svc.metadata.resourceVersion).toBe('42');
  });

  it('R11 keeps node ports, clusterIP and other fields set on the live service', () => {
    const live = created('apex');
    live.spec.type = 'NodePort';
    live.spec.clusterIP = '10.0.0.7';
    live.spec.ports = [
      { name: 'http', protocol: 'TCP', port: 9898, targetPort: 9898, nodePort: 31000 },
    ];
    live.spec.sessionAffinity = 'ClientIP';
    const plan = planService(podinfoCanary({ portName: 'web' }), 'apex', appSelector, live);
    const svc = applied(plan);
    expect(svc.spec.ports).toEqual([
      { name: 'web', protocol: 'TCP', port: 9898, targetPort: 9898 },
    ]);
    expect(svc.spec).toMatchObject({
      type: 'NodePort',
      clusterIP: '10.0.0.7',
      sessionAffinity: 'ClientIP',
    });
    live.spec.ports[0]!.name = 'http';
    const same = planService(podinfoCanary(), 'apex', appSelector, live);
    expect(same).toEqual({ action: 'none' });
  });

  it('R11 apex/primary/canary metadata: custom labels and annotations per role', () => {
    const canary = podinfoCanary({
      apex: { labels: { test: 'apex' }, annotations: { test: 'apex' } },
      primary: { labels: { test: 'primary' } },
      canary: { annotations: { test: 'canary' } },
    });
    const apex = created('apex', canary);
    expect(apex.metadata.labels).toEqual({ test: 'apex', app: 'podinfo' });
    expect(apex.metadata.annotations).toMatchObject({ test: 'apex' });
    expect(created('primary', canary).metadata.labels).toEqual({
      test: 'primary',
      app: 'podinfo-primary',
    });
    expect(created('canary', canary).metadata.annotations).toMatchObject({ test: 'canary' });
  });

  it('R11 metadata edits in the canary are reconciled on services it owns', () => {
    const live = created('apex', podinfoCanary({ apex: { labels: { test: 'one', old: 'x' } } }));
    const plan = planService(
      podinfoCanary({ apex: { labels: { test: 'two' }, annotations: { a: 'b' } } }),
      'apex',
      appSelector,
      live,
    );
    expect(plan).toMatchObject({ action: 'update', reasons: ['metadata'] });
    const svc = applied(plan);
    expect(svc.metadata.labels).toEqual({ test: 'two', app: 'podinfo' });
    expect(svc.metadata.annotations?.a).toBe('b');
  });

  it('R11 never clobbers labels or annotations that others added (deliberate deviation)', () => {
    const live = created('apex', podinfoCanary({ apex: { annotations: { test: 'expected' } } }));
    live.metadata.annotations = { ...live.metadata.annotations, 'argocd/x': 'y', test: 'edited' };
    live.metadata.labels = { ...live.metadata.labels, 'team.io/owner': 'me' };
    const svc = applied(
      planService(
        podinfoCanary({ apex: { annotations: { test: 'expected' } } }),
        'apex',
        appSelector,
        live,
      ),
      live,
    );
    expect(svc.metadata.annotations).toMatchObject({ 'argocd/x': 'y', test: 'expected' });
    expect(svc.metadata.labels).toMatchObject({ 'team.io/owner': 'me' });
  });

  it('R11 unmanaged annotations and labels are preserved as found', () => {
    const canary = podinfoCanary({
      apex: { annotations: { test: 'expectedvalue', unmanaged: 'ours' }, labels: { keep: 'ours' } },
      unmanagedMetadata: { annotations: ['unmanaged'], labels: ['keep'] },
    });
    const live = created('apex', canary);
    live.metadata.annotations = {
      ...live.metadata.annotations,
      unmanaged: 'true',
      test: 'newvalue',
    };
    live.metadata.labels = { ...live.metadata.labels, keep: 'theirs' };
    const svc = applied(planService(canary, 'apex', appSelector, live), live);
    expect(svc.metadata.annotations?.test).toBe('expectedvalue');
    expect(svc.metadata.annotations?.unmanaged).toBe('true');
    expect(svc.metadata.labels?.keep).toBe('theirs');
    expect(JSON.parse(svc.metadata.annotations?.[MANAGED_METADATA_ANNOTATION] ?? '')).toEqual({
      labels: ['app'],
      annotations: [...Object.keys(FLUX_MARKERS), 'test'].sort(),
    });
  });

  it('R11 ownership: a service not controlled by this canary keeps its metadata', () => {
    const live: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'podinfo', namespace: 'test', labels: { app: 'podinfo' } },
      spec: {
        type: 'ClusterIP',
        selector: { app: 'podinfo-primary' },
        ports: [{ name: 'http', protocol: 'TCP', port: 9898, targetPort: 9898 }],
      },
    };
    const canary = podinfoCanary({ apex: { labels: { extra: 'x' } } });
    expect(planService(canary, 'apex', appSelector, live)).toEqual({ action: 'none' });

    live.spec.selector = { app: 'podinfo' };
    const svc = applied(planService(canary, 'apex', appSelector, live));
    expect(svc.spec.selector).toEqual({ app: 'podinfo-primary' });
    expect(svc.metadata.labels).toEqual({ app: 'podinfo' });
    expect(svc.metadata.annotations).toMatchObject(FLUX_MARKERS);
    expect(svc.metadata.ownerReferences).toBeUndefined();
  });

  it('R11 ownership: a service controlled by another canary is not re-labelled', () => {
    const live = created('apex');
    live.metadata.ownerReferences = [
      {
        apiVersion: 'aviary.dev/v1beta1',
        kind: 'Canary',
        name: 'other',
        uid: 'u2',
        controller: true,
      },
    ];
    const canary = podinfoCanary({ apex: { labels: { extra: 'x' } } });
    expect(planService(canary, 'apex', appSelector, live)).toEqual({ action: 'none' });
  });
});

describe('R11 finalize revert of the apex service', () => {
  const userService = (annotations?: Record<string, string>): Service => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'podinfo', namespace: 'test', ...(annotations ? { annotations } : {}) },
    spec: {
      selector: { app: 'podinfo-primary' },
      ports: [{ name: 'http', protocol: 'TCP', port: 9898 }],
    },
  });

  it('a service owned by the canary is left to garbage collection', () => {
    expect(
      planApexServiceRevert(
        podinfoCanary(),
        appSelector,
        buildService(podinfoCanary(), 'apex', appSelector),
      ),
    ).toEqual({
      action: 'none',
    });
  });

  it('a missing service is an error', () => {
    expect(() => planApexServiceRevert(podinfoCanary(), appSelector, undefined)).toThrow(
      'service podinfo.test not found',
    );
  });

  it('a service not owned by a canary points back at the target pods', () => {
    const plan = planApexServiceRevert(
      podinfoCanary(),
      appSelector,
      userService({
        ...FLUX_MARKERS,
        [MANAGED_METADATA_ANNOTATION]: JSON.stringify({
          labels: [],
          annotations: Object.keys(FLUX_MARKERS),
        }),
      }),
    );
    const svc = applied(plan);
    expect(svc.spec.selector).toEqual({ app: 'podinfo' });
    expect(svc.metadata.annotations).toBeUndefined();
  });

  it('the kubectl last-applied selector wins when present', () => {
    const kubectl = JSON.stringify({ spec: { selector: { app: 'podinfo', tier: 'web' } } });
    const svc = applied(
      planApexServiceRevert(
        podinfoCanary(),
        appSelector,
        userService({ [KUBECTL_ANNOTATION]: kubectl }),
      ),
    );
    expect(svc.spec.selector).toEqual({ app: 'podinfo', tier: 'web' });
    expect(svc.metadata.annotations?.[KUBECTL_ANNOTATION]).toBe(kubectl);
  });
});
