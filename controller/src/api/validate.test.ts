import { expectOnly } from './test-support/expect.js';
import { canaryWithAnalysis, minimalCanary } from './test-support/fixtures.js';
import { validateCanary } from './validate.js';

const service = (extra: Record<string, unknown>) =>
  minimalCanary({ service: { port: 9898, ...extra } });

describe('validateCanary: the object', () => {
  it('accepts the minimal canary', () => {
    expect(validateCanary(minimalCanary())).toEqual([]);
  });

  it('names the Flagger apiVersion that was not changed', () => {
    const canary = { ...minimalCanary(), apiVersion: 'flagger.app/v1beta1' };
    expectOnly(validateCanary(canary), 'apiVersion', 'change the apiVersion of Flagger manifests');
  });

  it('rejects another kind', () => {
    expectOnly(validateCanary({ ...minimalCanary(), kind: 'Rollout' }), 'kind', 'must be Canary');
  });

  it('reports a missing spec, targetRef and service', () => {
    expectOnly(validateCanary({ ...minimalCanary(), spec: undefined }), 'spec', 'is required');
    const bare = {
      apiVersion: 'aviary.dev/v1beta1',
      kind: 'Canary',
      metadata: {},
      spec: { analysis: { stepWeight: 5 } },
    };
    expect(validateCanary(bare).map(p => p.field)).toEqual(['spec.targetRef', 'spec.service']);
  });

  it('returns every problem at once', () => {
    const canary = canaryWithAnalysis({ threshold: 'five', stepWeights: [10, 5], maxWeight: 101 });
    expect(validateCanary(canary).map(p => p.field)).toEqual([
      'spec.analysis.threshold',
      'spec.analysis.maxWeight',
      'spec.analysis.stepWeights',
      'spec.analysis.stepWeights[1]',
    ]);
  });

  it('suggests the intended field for a typo', () => {
    expectOnly(
      validateCanary(canaryWithAnalysis({ stepWieght: 5 })),
      'spec.analysis.stepWieght',
      'did you mean stepWeight?',
    );
  });

  it('can ignore unknown fields the API server would have dropped', () => {
    expect(
      validateCanary(canaryWithAnalysis({ stepWieght: 5 }), { unknownFields: 'ignore' }),
    ).toEqual([]);
  });
});

describe('validateCanary: spec', () => {
  it.each(['linkerd', 'gatewayapi:v1', 'kubernetes'])(
    'rejects provider %s: Aviary routes with Istio only',
    provider => {
      expectOnly(validateCanary(minimalCanary({ provider })), 'spec.provider', 'Istio only');
    },
  );

  it.each(['istio'])('accepts provider %j', provider => {
    expect(validateCanary(minimalCanary({ provider }))).toEqual([]);
  });

  it('rejects a provider outside Flagger\u2019s list through the schema', () => {
    expectOnly(
      validateCanary(minimalCanary({ provider: 'mesh' })),
      'spec.provider',
      'must be one of',
    );
  });

  it.each(['DaemonSet', 'Service'])('rejects target kind %s', kind => {
    const canary = minimalCanary({ targetRef: { apiVersion: 'apps/v1', kind, name: 'podinfo' } });
    expectOnly(validateCanary(canary), 'spec.targetRef.kind', 'only release Deployments');
  });

  it('rejects a metricsServer that is not an http(s) URL', () => {
    expectOnly(
      validateCanary(minimalCanary({ metricsServer: 'prometheus:9090' })),
      'spec.metricsServer',
      'absolute http',
    );
  });

  it('rejects primary scaler replicas with min above max', () => {
    const autoscalerRef = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      name: 'podinfo',
      primaryScalerReplicas: { minReplicas: 5, maxReplicas: 2 },
    };
    expectOnly(
      validateCanary(minimalCanary({ autoscalerRef })),
      'spec.autoscalerRef.primaryScalerReplicas.minReplicas',
      '(5) is larger than maxReplicas (2)',
    );
  });

  it('requires an analysis unless skipAnalysis is set', () => {
    expectOnly(
      validateCanary(minimalCanary({ analysis: undefined })),
      'spec.analysis',
      'unless spec.skipAnalysis',
    );
    expect(validateCanary(minimalCanary({ analysis: undefined, skipAnalysis: true }))).toEqual([]);
  });

  it('accepts skipAnalysis with an analysis that has no strategy', () => {
    expect(
      validateCanary(minimalCanary({ analysis: { interval: '1m' }, skipAnalysis: true })),
    ).toEqual([]);
  });

  it('checks the deprecated canaryAnalysis under its own name when analysis is absent', () => {
    const canary = minimalCanary({ analysis: undefined, canaryAnalysis: { stepWeights: [5, 5] } });
    expectOnly(
      validateCanary(canary),
      'spec.canaryAnalysis.stepWeights[1]',
      'larger than the one before',
    );
  });

  it('rejects progressDeadlineSeconds below 0', () => {
    expectOnly(
      validateCanary(minimalCanary({ progressDeadlineSeconds: -1 })),
      'spec.progressDeadlineSeconds',
      'at least 0',
    );
  });
});

describe('validateCanary: spec.service', () => {
  it.each([
    ['upper case', 'Podinfo'],
    ['a dot', 'pod.info'],
    ['more than 55 characters', 'a'.repeat(56)],
  ])('rejects a service name with %s', (_case, name) => {
    expectOnly(validateCanary(service({ name })), 'spec.service.name', 'cannot be a Service name');
  });

  it('blames targetRef.name when it becomes the service name', () => {
    const canary = minimalCanary({
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'pod.info' },
    });
    expectOnly(validateCanary(canary), 'spec.targetRef.name', 'spec.service.name is not set');
  });

  it('requires a port between 1 and 65535', () => {
    expectOnly(validateCanary(service({ port: 0 })), 'spec.service.port', 'at least 1');
    expectOnly(validateCanary(service({ port: 70000 })), 'spec.service.port', 'at most 65535');
    expectOnly(validateCanary(minimalCanary({ service: {} })), 'spec.service.port', 'is required');
  });

  it('rejects an invalid port name', () => {
    expectOnly(
      validateCanary(service({ portName: 'HTTP' })),
      'spec.service.portName',
      'not a valid port name',
    );
  });

  it.each([
    ['a name longer than 15 characters', 'http-metrics-long'],
    ['a name without letters', '8080'],
    ['a double dash', 'http--web'],
  ])('rejects a targetPort with %s', (_case, targetPort) => {
    expectOnly(
      validateCanary(service({ targetPort })),
      'spec.service.targetPort',
      'container port name',
    );
  });

  it('rejects a targetPort number outside 1..65535 and a boolean', () => {
    expectOnly(
      validateCanary(service({ targetPort: 0 })),
      'spec.service.targetPort',
      'between 1 and 65535',
    );
    expectOnly(
      validateCanary(service({ targetPort: true })),
      'spec.service.targetPort',
      'whole number or a string',
    );
  });

  it('rejects hosts and gateways on a delegate VirtualService', () => {
    const problems = validateCanary(
      service({ delegation: true, hosts: ['a.example.com'], gateways: ['gw'] }),
    );
    expect(problems.map(p => p.field)).toEqual(['spec.service.hosts', 'spec.service.gateways']);
    expect(problems[0]!.message).toContain('delegation is true');
  });

  it.each([
    ['timeout', { timeout: '10sec' }, 'spec.service.timeout'],
    [
      'retries.perTryTimeout',
      { retries: { perTryTimeout: '2seconds' } },
      'spec.service.retries.perTryTimeout',
    ],
    ['corsPolicy.maxAge', { corsPolicy: { maxAge: '1hour' } }, 'spec.service.corsPolicy.maxAge'],
  ])('rejects an unparseable %s', (_case, extra, field) => {
    expectOnly(validateCanary(service(extra)), field, 'not a valid duration');
  });

  it('rejects a duration that does not even start like one through the schema', () => {
    expectOnly(
      validateCanary(service({ timeout: 'soon' })),
      'spec.service.timeout',
      'must be a Go duration',
    );
  });

  it('rejects string matches that set more than one kind', () => {
    const match = [
      { uri: { exact: '/a', prefix: '/b' }, headers: { 'x-a': { exact: 'a', regex: 'b' } } },
    ];
    const problems = validateCanary(service({ match }));
    expect(problems.map(p => p.field)).toEqual([
      'spec.service.match[0].uri',
      'spec.service.match[0].headers.x-a',
    ]);
    expect(problems[0]!.message).toContain('sets exact and prefix; set only one');
  });

  it('rejects a CORS origin with two kinds of match', () => {
    const corsPolicy = { allowOrigins: [{ exact: 'a', regex: 'b' }] };
    expectOnly(
      validateCanary(service({ corsPolicy })),
      'spec.service.corsPolicy.allowOrigins[0]',
      'set only one',
    );
  });

  it('rejects an unknown trafficDistribution', () => {
    expectOnly(
      validateCanary(service({ trafficDistribution: 'Nearby' })),
      'spec.service.trafficDistribution',
      'PreferClose',
    );
  });

  it('keeps Istio fields it does not know inside trafficPolicy', () => {
    expect(validateCanary(service({ trafficPolicy: { tunnel: { protocol: 'CONNECT' } } }))).toEqual(
      [],
    );
  });
});
