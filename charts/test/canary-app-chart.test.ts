// charts/canary-app through the real helm binary: lint and render over a matrix of values (HPA
// on/off, gateway exposure, webhooks, canary off), every object validated against its schema,
// and the rules a canary-released Deployment must follow.
import { find, helmLint, helmTemplate, kinds, type Values } from './support/helm';
import { validateManifests, type Manifest } from './support/validate';

const RELEASE = { release: 'podinfo', namespace: 'test' };

/** Renders as `helm install podinfo charts/canary-app -n test --set nameOverride=podinfo` would. */
const render = (values: Values = {}) =>
  helmTemplate('canary-app', { ...RELEASE, values: { nameOverride: 'podinfo', ...values } });

const MATRIX: Array<[string, Values]> = [
  ['defaults (HPA and canary on)', {}],
  ['HPA off', { hpa: { enabled: false }, replicaCount: 3 }],
  [
    'exposure through an existing Istio gateway',
    {
      ingress: {
        enabled: true,
        gateway: 'istio-system/public-gateway',
        hosts: ['podinfo.example.com'],
      },
    },
  ],
  [
    'its own v1beta1 Gateway, without the mesh route',
    {
      ingress: {
        enabled: true,
        createGateway: true,
        includeMesh: false,
        istioApiVersion: 'v1beta1',
        hosts: ['podinfo.example.com', '*.apps.example.com'],
      },
    },
  ],
  [
    'webhooks, alerts, a MetricTemplate and mTLS',
    {
      canary: {
        istioTLS: 'ISTIO_MUTUAL',
        analysis: { interval: '30s', threshold: 10, maxWeight: 60, stepWeight: 20 },
        thresholds: { successRate: 99.5, latency: 250, interval: '30s' },
        smokeTest: { enabled: true },
        loadtest: { enabled: true, cmd: 'hey -z 30s -q 5 -c 2 http://podinfo-canary.test:9898/' },
        extraMetrics: [
          {
            name: 'error-rate',
            templateRef: { name: 'error-rate', namespace: 'istio-system' },
            thresholdRange: { max: 1 },
            interval: '30s',
          },
        ],
        alerts: [
          {
            name: 'on-call',
            severity: 'error',
            providerRef: { name: 'on-call', namespace: 'test' },
          },
        ],
      },
      hpa: { memory: '200Mi' },
    },
  ],
  [
    'canary off, exposed by its own VirtualService',
    { canary: { enabled: false }, ingress: { enabled: true } },
  ],
  ['no ConfigMap', { config: { enabled: false } }],
];

describe.each(MATRIX)('charts/canary-app with %s', (_name, values) => {
  it('passes helm lint --strict', async () => {
    await expect(helmLint('canary-app', values)).resolves.toBeDefined();
  });

  it('renders objects that all validate against their schemas', async () => {
    const objects = await render(values);
    expect(validateManifests(objects)).toEqual([]);
  });
});

const deploymentOf = (objects: Manifest[]) => find(objects, 'Deployment', 'podinfo') as any;
const canaryOf = (objects: Manifest[]) => find(objects, 'Canary', 'podinfo') as any;

describe('charts/canary-app contract', () => {
  it('renders Deployment (no replicas), HPA, ConfigMap, Canary and helm tests, but no Service', async () => {
    const objects = await render();
    expect(kinds(objects)).toEqual([
      'Canary',
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'Pod',
      'Pod',
    ]);
    const deployment = deploymentOf(objects);
    expect(deployment.spec).not.toHaveProperty('replicas');
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'podinfo' });
    expect(deployment.spec.template.spec.volumes).toContainEqual({
      name: 'config',
      configMap: { name: 'podinfo' },
    });

    const hpa = find(objects, 'HorizontalPodAutoscaler') as any;
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'podinfo',
    });
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([2, 4]);
  });

  it('points the Canary at the Deployment and HPA with the default analysis', async () => {
    const canary = canaryOf(await render());
    expect(canary.apiVersion).toBe('aviary.dev/v1beta1');
    expect(canary.spec.targetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'podinfo',
    });
    expect(canary.spec.autoscalerRef).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      name: 'podinfo',
    });
    expect(canary.spec.service).toEqual({
      port: 9898,
      targetPort: 'http',
      portName: 'http',
      trafficPolicy: { tls: { mode: 'DISABLE' } },
    });
    expect(canary.spec.analysis).toEqual({
      interval: '1m',
      threshold: 5,
      maxWeight: 50,
      stepWeight: 10,
      metrics: [
        { name: 'request-success-rate', interval: '1m', thresholdRange: { min: 99 } },
        { name: 'request-duration', interval: '1m', thresholdRange: { max: 500 } },
      ],
    });
  });

  it('sets replicas and drops autoscalerRef when the HPA is off', async () => {
    const objects = await render({ hpa: { enabled: false } });
    expect(deploymentOf(objects).spec.replicas).toBe(2);
    expect(objects.some(o => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
    expect(canaryOf(objects).spec).not.toHaveProperty('autoscalerRef');
  });

  it('exposes hosts through the Canary (never its own VirtualService) while the canary is on', async () => {
    const objects = await render({ ingress: { enabled: true, hosts: ['podinfo.example.com'] } });
    expect(objects.some(o => o.kind === 'VirtualService' || o.kind === 'Service')).toBe(false);
    expect(canaryOf(objects).spec.service).toMatchObject({
      gateways: ['istio-system/public-gateway', 'mesh'],
      hosts: ['podinfo.example.com'],
    });

    const own = await render({
      ingress: { enabled: true, createGateway: true, hosts: ['podinfo.example.com'] },
    });
    const gateway = find(own, 'Gateway', 'podinfo') as any;
    expect(gateway.apiVersion).toBe('networking.istio.io/v1');
    expect(gateway.spec.servers[0].hosts).toEqual(['podinfo.example.com']);
    expect(canaryOf(own).spec.service.gateways).toEqual(['test/podinfo', 'mesh']);
  });

  it('renders a plain Service and VirtualService when the canary is off', async () => {
    const objects = await render({ canary: { enabled: false }, ingress: { enabled: true } });
    expect(objects.some(o => o.kind === 'Canary')).toBe(false);
    const service = find(objects, 'Service', 'podinfo') as any;
    expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'podinfo' });
    const vs = find(objects, 'VirtualService', 'podinfo') as any;
    expect(vs.spec.http[0].route[0].destination).toEqual({
      host: 'podinfo.test.svc.cluster.local',
      port: { number: 9898 },
    });
  });

  it('adds smoke and load test webhooks that target the canary Service', async () => {
    const canary = canaryOf(
      await render({ canary: { smokeTest: { enabled: true }, loadtest: { enabled: true } } }),
    );
    expect(canary.spec.analysis.webhooks).toEqual([
      {
        name: 'smoke-test',
        type: 'pre-rollout',
        url: 'http://aviary-loadtester.aviary-system/',
        timeout: '30s',
        metadata: { type: 'bash', cmd: 'curl -sf http://podinfo-canary.test:9898/readyz' },
      },
      {
        name: 'load-test',
        type: 'rollout',
        url: 'http://aviary-loadtester.aviary-system/',
        timeout: '15s',
        metadata: { cmd: 'hey -z 1m -q 10 -c 2 http://podinfo-canary.test:9898/' },
      },
    ]);
  });

  it('refuses misspelt values and impossible settings', async () => {
    await expect(helmLint('canary-app', { canary: { anaylsis: {} } })).rejects.toThrow(
      /Additional property anaylsis is not allowed/,
    );
    await expect(
      helmTemplate('canary-app', { values: { canary: { analysis: { maxWeight: 120 } } } }),
    ).rejects.toThrow(/maxWeight: Must be less than or equal to 100/);
    await expect(
      helmTemplate('canary-app', { values: { canary: { analysis: { stepWeight: 60 } } } }),
    ).rejects.toThrow(/stepWeight \(60\) must not exceed canary\.analysis\.maxWeight \(50\)/);
    await expect(
      helmTemplate('canary-app', { values: { hpa: { minReplicas: 5 } } }),
    ).rejects.toThrow(/hpa\.minReplicas \(5\) must not exceed hpa\.maxReplicas \(4\)/);
    await expect(
      helmTemplate('canary-app', { values: { canary: { istioTLS: 'STRICT' } } }),
    ).rejects.toThrow(/istioTLS/);
  });
});
