// The seed manifests (see __fixtures__/README.md) must validate cleanly and resolve as expected.
import { resolveCanary, type ResolvedCanarySpec } from './resolve.js';
import { canaryCrd } from './schema/canary.js';
import { schemaPaths, valuePaths } from './schema-coverage.js';
import { loadCanary, loadFixture } from './test-support/fixtures.js';
import { validateAlertProvider, validateCanary, validateMetricTemplate } from './validate.js';

const seedCanaries = [
  'gitops-istio-frontend.yaml',
  'gitops-istio-backend.yaml',
  'gitops-flagger-webapp.yaml',
  'helm-podinfo-frontend.yaml',
  'flagger-all-fields.yaml',
  'aviary-additions.yaml',
];

function resolved(file: string): ResolvedCanarySpec {
  const result = resolveCanary(loadCanary(file));
  if (!result.ok) throw new Error(`${file}: ${result.problems.map(p => p.message).join('; ')}`);
  return result.spec;
}

describe('seed fixtures', () => {
  it.each(seedCanaries)('%s validates without problems', file => {
    expect(validateCanary(loadCanary(file))).toEqual([]);
  });

  it('the MetricTemplates and AlertProvider of gitops-istio validate without problems', () => {
    const [errorRate, latency, alerts] = loadFixture('gitops-istio-metrics.yaml');
    expect(validateMetricTemplate(errorRate)).toEqual([]);
    expect(validateMetricTemplate(latency)).toEqual([]);
    expect(validateAlertProvider(alerts)).toEqual([]);
  });

  it('gitops-istio backend resolves to a 5% step canary up to 50% with every default filled in', () => {
    expect(resolved('gitops-istio-backend.yaml')).toEqual({
      name: 'backend',
      namespace: 'prod',
      provider: 'istio',
      targetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'backend',
        primaryName: 'backend-primary',
      },
      autoscalerRef: {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        name: 'backend',
      },
      service: {
        name: 'backend',
        primaryName: 'backend-primary',
        canaryName: 'backend-canary',
        port: 9898,
        portName: 'http',
        targetPort: 9898,
        protocol: 'http',
        portDiscovery: false,
        headless: false,
        match: [],
        gateways: ['mesh'],
        hosts: ['backend'],
        delegation: false,
        apex: { labels: {}, annotations: {} },
        primary: { labels: {}, annotations: {} },
        canary: { labels: {}, annotations: {} },
        unmanagedMetadata: { labels: [], annotations: [] },
      },
      analysis: {
        strategy: 'canary',
        intervalMs: 15_000,
        threshold: 10,
        maxWeight: 50,
        stepWeight: 5,
        stepWeights: [],
        stepWeightPromotion: 0,
        iterations: 0,
        mirror: false,
        match: [],
        primaryReadyThreshold: 100,
        canaryReadyThreshold: 100,
        metrics: [
          {
            name: 'error-rate',
            source: {
              kind: 'template',
              templateRef: { name: 'error-rate', namespace: 'istio-system' },
            },
            interval: '30s',
            intervalMs: 30_000,
            thresholdRange: { max: 1 },
            templateVariables: {},
          },
          {
            name: 'latency',
            source: {
              kind: 'template',
              templateRef: { name: 'latency', namespace: 'istio-system' },
            },
            interval: '30s',
            intervalMs: 30_000,
            thresholdRange: { max: 500 },
            templateVariables: {},
          },
        ],
        webhooks: [
          {
            name: 'conformance-test',
            type: 'pre-rollout',
            url: 'http://flagger-loadtester.prod/',
            timeoutMs: 15_000,
            retries: 0,
            disableTLS: false,
            muteAlert: false,
            metadata: {
              type: 'bash',
              cmd: 'curl -sd "test" http://backend-canary.prod:9898/token | grep token',
            },
          },
          {
            name: 'load-test',
            type: 'rollout',
            url: 'http://flagger-loadtester.prod/',
            timeoutMs: 5_000,
            retries: 0,
            disableTLS: false,
            muteAlert: false,
            metadata: { cmd: 'hey -z 1m -q 10 -c 2 http://backend-canary.prod:9898/' },
          },
        ],
        alerts: [],
        noDataPolicy: 'fail',
        minRequestCount: 0,
      },
      skipAnalysis: false,
      progressDeadlineSeconds: 600,
      progressDeadlineMs: 600_000,
      revertOnDeletion: false,
      suspend: false,
    });
  });

  it('gitops-istio frontend resolves to A/B testing over 12 iterations behind the public gateway', () => {
    const spec = resolved('gitops-istio-frontend.yaml');
    expect(spec.analysis.strategy).toBe('ab-testing');
    expect(spec.analysis.iterations).toBe(12);
    expect(spec.analysis.intervalMs).toBe(10_000);
    expect(spec.analysis.threshold).toBe(10);
    expect(spec.analysis.match).toEqual([
      { headers: { 'user-agent': { regex: '.*Firefox.*' } } },
      { headers: { cookie: { regex: '^(.*?;)?(type=insider)(;.*)?$' } } },
    ]);
    expect(spec.service.gateways).toEqual(['istio-system/public-gateway']);
    expect(spec.service.hosts).toEqual(['*']);
    // A webhook without a type is a rollout hook.
    expect(spec.analysis.webhooks.map(h => [h.name, h.type])).toEqual([
      ['conformance-test', 'pre-rollout'],
      ['load-test', 'rollout'],
    ]);
  });

  it('gitops-flagger webapp resolves built-in metrics, a 60s progress deadline and port 80 -> 8080', () => {
    const spec = resolved('gitops-flagger-webapp.yaml');
    expect(spec.progressDeadlineMs).toBe(60_000);
    expect([spec.service.port, spec.service.targetPort]).toEqual([80, 8080]);
    expect([spec.analysis.stepWeight, spec.analysis.maxWeight]).toEqual([10, 50]);
    expect(spec.analysis.metrics.map(m => [m.source, m.thresholdRange, m.intervalMs])).toEqual([
      [{ kind: 'builtin', builtin: 'request-success-rate' }, { min: 99 }, 60_000],
      [{ kind: 'builtin', builtin: 'request-duration' }, { max: 500 }, 30_000],
    ]);
    expect(spec.service.hosts).toEqual(['*']);
  });

  it('the 2019 podinfo chart canary uses canaryAnalysis and the deprecated metric threshold', () => {
    const spec = resolved('helm-podinfo-frontend.yaml');
    expect(spec.skipAnalysis).toBe(false);
    expect([spec.analysis.stepWeight, spec.analysis.maxWeight, spec.analysis.threshold]).toEqual([
      5, 50, 10,
    ]);
    expect(spec.analysis.metrics.map(m => [m.name, m.thresholdRange])).toEqual([
      ['request-success-rate', { min: 99 }],
      ['request-duration', { max: 500 }],
    ]);
    expect(spec.service.hosts).toEqual(['frontend.istio.example.com', 'frontend']);
    expect(spec.service.gateways).toEqual(['public-gateway.istio-system.svc.cluster.local']);
    expect(spec.analysis.webhooks.map(h => [h.name, h.timeoutMs])).toEqual([
      ['helm test', 180_000],
      ['load-test', 5_000],
    ]);
  });
});

describe('a Flagger manifest with every field filled in', () => {
  // Fields the fixture cannot hold together with the others, and Aviary's own additions.
  const notInFixture = [
    'spec.analysis.stepWeight',
    'spec.analysis.iterations',
    'spec.analysis.judge',
    'spec.analysis.noDataPolicy',
    'spec.analysis.minRequestCount',
    'spec.canaryAnalysis',
    'spec.manualAction',
    'status.manualAction',
    'status.paused',
    'status.pausedAt',
  ];

  it('sets every field the Canary schema declares', () => {
    const present = valuePaths(loadCanary('flagger-all-fields.yaml'), canaryCrd.schema);
    const missing = [...schemaPaths(canaryCrd.schema)].filter(
      path =>
        !present.has(path) &&
        !notInFixture.some(skip => path === skip || path.startsWith(`${skip}.`)),
    );
    expect(missing).toEqual([]);
  });

  it('resolves the stepWeights ladder, the service and the checks', () => {
    const spec = resolved('flagger-all-fields.yaml');
    expect(spec.metricsServer).toBe('http://prometheus.istio-system:9090');
    expect(spec.analysis.stepWeights).toEqual([1, 2, 10, 80]);
    expect(spec.analysis.maxWeight).toBe(80);
    expect(spec.analysis.stepWeightPromotion).toBe(50);
    expect(spec.analysis.mirrorWeight).toBe(20);
    expect([spec.analysis.primaryReadyThreshold, spec.analysis.canaryReadyThreshold]).toEqual([
      90, 80,
    ]);
    expect(spec.service.name).toBe('podinfo-svc');
    expect(spec.service.canaryName).toBe('podinfo-svc-canary');
    expect(spec.targetRef.primaryName).toBe('podinfo-primary');
    expect(spec.service.hosts).toEqual(['app.example.com', 'podinfo-svc']);
    expect(spec.service.rewrite).toEqual({ uri: '/', authority: 'podinfo.test' });
    expect(spec.service.targetPort).toBe('http');
    expect(spec.analysis.sessionAffinity).toEqual({
      cookieName: 'canary-flagger-cookie',
      primaryCookieName: 'primary-flagger-cookie',
      maxAge: 300,
      domain: 'app.example.com',
      path: '/',
      httpOnly: true,
      secure: true,
      partitioned: true,
      sameSite: 'Strict',
    });
    expect(
      spec.analysis.metrics.map(m => [m.name, m.source.kind, m.thresholdRange, m.intervalMs]),
    ).toEqual([
      ['request-success-rate', 'builtin', { min: 99 }, 60_000],
      ['request-duration', 'builtin', { max: 500 }, 30_000],
      ['error-rate', 'template', { min: 0, max: 1 }, 90_000],
      ['queue-depth', 'query', { max: 100 }, 120_000],
    ]);
    expect(spec.analysis.webhooks.map(h => [h.type, h.timeoutMs])).toEqual([
      ['confirm-rollout', 10_000],
      ['pre-rollout', 30_000],
      ['rollout', 5_000],
      ['confirm-traffic-increase', 10_000],
      ['confirm-promotion', 10_000],
      ['post-rollout', 10_000],
      ['rollback', 10_000],
      ['event', 10_000],
      ['rollout', 10_000],
    ]);
    expect(spec.analysis.alerts).toEqual([
      { name: 'on-call', severity: 'error', providerRef: { name: 'on-call', namespace: 'ops' } },
      { name: 'team', severity: 'info', providerRef: { name: 'team-slack', namespace: 'test' } },
    ]);
    expect(spec.revertOnDeletion).toBe(true);
    expect(spec.progressDeadlineSeconds).toBe(120);
  });
});

describe('Aviary additions', () => {
  it('resolve the judge per metric, the no-data policy and the request minimum', () => {
    const spec = resolved('aviary-additions.yaml');
    expect(spec.analysis.judge).toEqual({
      type: 'compare',
      confidence: 95,
      metrics: [
        { name: 'request-duration', direction: 'lowerIsBetter', maxRelativeDegradation: 25 },
        { name: 'request-success-rate', direction: 'higherIsBetter', maxRelativeDegradation: 15 },
        { name: 'cart-errors', direction: 'lowerIsBetter', maxRelativeDegradation: 15 },
      ],
    });
    expect(spec.analysis.noDataPolicy).toBe('skip');
    expect(spec.analysis.minRequestCount).toBe(200);
    expect(spec.analysis.metrics[2]!.source).toEqual({
      kind: 'template',
      templateRef: { name: 'cart-errors', namespace: 'shop' },
    });
  });
});
