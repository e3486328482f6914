import { resolveCanary, type ResolvedCanarySpec } from './resolve.js';
import { canaryWithAnalysis, minimalCanary } from './test-support/fixtures.js';
import type { Canary } from './types.js';

function resolve(canary: Canary): ResolvedCanarySpec {
  const result = resolveCanary(canary);
  if (!result.ok) throw new Error(result.problems.map(p => p.message).join('; '));
  return result.spec;
}

const analysisOf = (fields: Record<string, unknown>) =>
  resolve(canaryWithAnalysis(fields)).analysis;
const exactAnalysis = (fields: Record<string, unknown>) =>
  resolve(minimalCanary({ analysis: fields })).analysis;
const serviceOf = (fields: Record<string, unknown>) =>
  resolve(minimalCanary({ service: { port: 9898, ...fields } })).service;

describe('resolveCanary: top-level defaults', () => {
  const spec = resolve(minimalCanary());

  it('keeps the canary name and namespace for template variables', () => {
    expect([spec.name, spec.namespace]).toEqual(['podinfo', 'test']);
  });

  it('uses the default namespace for a manifest without one', () => {
    const canary = minimalCanary();
    canary.metadata = { name: 'podinfo' };
    expect(resolve(canary).namespace).toBe('default');
  });

  it('routes with Istio and leaves the metrics server to the controller', () => {
    expect(spec.provider).toBe('istio');
    expect(spec.metricsServer).toBeUndefined();
  });

  it('names the primary Deployment <target>-primary', () => {
    expect(spec.targetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'podinfo',
      primaryName: 'podinfo-primary',
    });
  });

  it('gives a progress deadline of 600 seconds', () => {
    expect([spec.progressDeadlineSeconds, spec.progressDeadlineMs]).toEqual([600, 600_000]);
    expect(resolve(minimalCanary({ progressDeadlineSeconds: 120 })).progressDeadlineMs).toBe(
      120_000,
    );
  });

  it('turns skipAnalysis, revertOnDeletion and suspend off', () => {
    expect([spec.skipAnalysis, spec.revertOnDeletion, spec.suspend]).toEqual([false, false, false]);
  });

  it('skips the analysis when asked, or when there is no analysis block', () => {
    expect(resolve(minimalCanary({ skipAnalysis: true })).skipAnalysis).toBe(true);
    const none = resolve(minimalCanary({ analysis: undefined, skipAnalysis: true }));
    expect(none.skipAnalysis).toBe(true);
    expect(none.analysis.intervalMs).toBe(60_000);
  });

  it('uses the deprecated canaryAnalysis when analysis is absent, and analysis when both are set', () => {
    expect(
      resolve(minimalCanary({ analysis: undefined, canaryAnalysis: { stepWeight: 7 } })).analysis
        .stepWeight,
    ).toBe(7);
    const both = minimalCanary({ analysis: { stepWeight: 20 }, canaryAnalysis: { stepWeight: 7 } });
    expect(resolve(both).analysis.stepWeight).toBe(20);
  });

  it('returns the problems instead of a spec for an invalid canary', () => {
    const result = resolveCanary(canaryWithAnalysis({ stepWeights: [20, 10] }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map(p => p.field)).toEqual([
      'spec.analysis.stepWeights',
      'spec.analysis.stepWeights[1]',
    ]);
  });

  it('copies what it passes through, so the result can be changed safely', () => {
    const canary = minimalCanary({ service: { port: 80, match: [{ uri: { prefix: '/' } }] } });
    const spec = resolve(canary);
    spec.service.match[0]!.uri!.prefix = '/changed';
    expect(canary.spec.service.match![0]!.uri!.prefix).toBe('/');
  });
});

describe('resolveCanary: service defaults', () => {
  it('names the apex, primary and canary services after the target', () => {
    const service = serviceOf({});
    expect([service.name, service.primaryName, service.canaryName]).toEqual([
      'podinfo',
      'podinfo-primary',
      'podinfo-canary',
    ]);
    expect(serviceOf({ name: 'web' }).canaryName).toBe('web-canary');
  });

  it('names the port http and targets the service port', () => {
    expect([serviceOf({}).portName, serviceOf({}).targetPort]).toEqual(['http', 9898]);
    expect([
      serviceOf({ portName: 'grpc', targetPort: 'grpc' }).portName,
      serviceOf({ targetPort: 'grpc' }).targetPort,
    ]).toEqual(['grpc', 'grpc']);
  });

  it('routes HTTP unless appProtocol is tcp in any case', () => {
    expect(serviceOf({}).protocol).toBe('http');
    expect(serviceOf({ appProtocol: 'TCP' }).protocol).toBe('tcp');
    expect(serviceOf({ appProtocol: 'grpc' }).protocol).toBe('http');
  });

  it('uses the mesh gateway when no gateway is listed', () => {
    expect(serviceOf({}).gateways).toEqual(['mesh']);
    expect(serviceOf({ gateways: [] }).gateways).toEqual(['mesh']);
    expect(serviceOf({ gateways: ['istio-system/public'] }).gateways).toEqual([
      'istio-system/public',
    ]);
  });

  it('appends the apex name to the hosts unless it or * is listed', () => {
    expect(serviceOf({}).hosts).toEqual(['podinfo']);
    expect(serviceOf({ hosts: ['app.example.com'] }).hosts).toEqual(['app.example.com', 'podinfo']);
    expect(serviceOf({ hosts: ['podinfo', 'x'] }).hosts).toEqual(['podinfo', 'x']);
    expect(serviceOf({ hosts: ['*'] }).hosts).toEqual(['*']);
  });

  it('leaves hosts and gateways empty for a delegate VirtualService', () => {
    const service = serviceOf({ delegation: true });
    expect([service.hosts, service.gateways, service.delegation]).toEqual([[], [], true]);
  });

  it('turns portDiscovery and headless off and leaves metadata empty', () => {
    const service = serviceOf({});
    expect([service.portDiscovery, service.headless]).toEqual([false, false]);
    expect(service.apex).toEqual({ labels: {}, annotations: {} });
    expect(service.unmanagedMetadata).toEqual({ labels: [], annotations: [] });
    expect(service.match).toEqual([]);
  });

  it('keeps Istio\u2019s part of rewrite only', () => {
    expect(serviceOf({ rewrite: { uri: '/', type: 'ReplacePrefixMatch' } }).rewrite).toEqual({
      uri: '/',
    });
    expect(serviceOf({ rewrite: { type: 'ReplaceFullPath' } }).rewrite).toBeUndefined();
  });

  it('passes Istio policies through unchanged', () => {
    const trafficPolicy = { tls: { mode: 'ISTIO_MUTUAL' }, tunnel: { protocol: 'CONNECT' } };
    const retries = { attempts: 3, perTryTimeout: '2s' };
    const service = serviceOf({ trafficPolicy, retries, timeout: '5s' });
    expect([service.trafficPolicy, service.retries, service.timeout]).toEqual([
      trafficPolicy,
      retries,
      '5s',
    ]);
  });
});

describe('resolveCanary: analysis defaults', () => {
  it('ticks every minute by default and never faster than every 10 seconds', () => {
    expect(analysisOf({}).intervalMs).toBe(60_000);
    expect(analysisOf({ interval: '30s' }).intervalMs).toBe(30_000);
    expect(analysisOf({ interval: '1m30s' }).intervalMs).toBe(90_000);
    expect(analysisOf({ interval: '2h' }).intervalMs).toBe(7_200_000);
    expect(analysisOf({ interval: '5s' }).intervalMs).toBe(10_000);
    expect(analysisOf({ interval: '500ms' }).intervalMs).toBe(10_000);
  });

  it('rolls back after 1 failed check by default, also for threshold 0', () => {
    expect(analysisOf({}).threshold).toBe(1);
    expect(analysisOf({ threshold: 0 }).threshold).toBe(1);
    expect(analysisOf({ threshold: 5 }).threshold).toBe(5);
  });

  it('promotes at 100% by default, also for maxWeight 0', () => {
    expect(analysisOf({}).maxWeight).toBe(100);
    expect(analysisOf({ maxWeight: 0 }).maxWeight).toBe(100);
    expect(analysisOf({ maxWeight: 50 }).maxWeight).toBe(50);
  });

  it('takes maxWeight from the last stepWeights entry, ignoring spec maxWeight', () => {
    const analysis = exactAnalysis({ stepWeights: [1, 2, 10, 80], maxWeight: 50 });
    expect([analysis.stepWeights, analysis.maxWeight]).toEqual([[1, 2, 10, 80], 80]);
  });

  it('caps the ladder at 100 like Flagger: [1, 2, 10, 200] goes 1, 2, 10, 100', () => {
    const analysis = exactAnalysis({ stepWeights: [1, 2, 10, 200] });
    expect([analysis.stepWeights, analysis.maxWeight]).toEqual([[1, 2, 10, 100], 100]);
    expect(exactAnalysis({ stepWeights: [10, 150, 200] }).stepWeights).toEqual([10, 100]);
  });

  it('has no steps, no promotion steps and no iterations by default', () => {
    const analysis = exactAnalysis({ iterations: 2 });
    expect([analysis.stepWeight, analysis.stepWeights, analysis.stepWeightPromotion]).toEqual([
      0,
      [],
      0,
    ]);
    expect(exactAnalysis({ stepWeight: 10 }).iterations).toBe(0);
  });

  it('caps stepWeight and stepWeightPromotion at 100', () => {
    const analysis = exactAnalysis({ stepWeight: 150, stepWeightPromotion: 120 });
    expect([analysis.stepWeight, analysis.stepWeightPromotion]).toEqual([100, 100]);
  });

  it('does not mirror by default; mirrorWeight 0 means every request', () => {
    expect(analysisOf({}).mirror).toBe(false);
    expect(analysisOf({ mirror: true }).mirrorWeight).toBeUndefined();
    expect(analysisOf({ mirror: true, mirrorWeight: 30 }).mirrorWeight).toBe(30);
  });

  it('needs 100% of the primary and canary replicas ready by default', () => {
    expect([analysisOf({}).primaryReadyThreshold, analysisOf({}).canaryReadyThreshold]).toEqual([
      100, 100,
    ]);
    expect(analysisOf({ primaryReadyThreshold: 0 }).primaryReadyThreshold).toBe(0);
  });

  it.each([
    [{ stepWeight: 10 }, 'canary'],
    [{ stepWeight: 10, match: [{ headers: { a: { exact: 'b' } } }] }, 'canary'],
    [{ iterations: 5 }, 'blue-green'],
    [{ iterations: 5, match: [{ headers: { a: { exact: 'b' } } }] }, 'ab-testing'],
  ])('derives the strategy of %j: %s', (fields, strategy) => {
    expect(exactAnalysis(fields).strategy).toBe(strategy);
  });

  it('has no metrics, webhooks, alerts, session affinity or judge by default', () => {
    const analysis = analysisOf({});
    expect([analysis.metrics, analysis.webhooks, analysis.alerts, analysis.match]).toEqual([
      [],
      [],
      [],
      [],
    ]);
    expect([analysis.sessionAffinity, analysis.judge]).toEqual([undefined, undefined]);
  });

  it('counts no data as a failure and requires no minimum request count by default', () => {
    expect([analysisOf({}).noDataPolicy, analysisOf({}).minRequestCount]).toEqual(['fail', 0]);
  });
});

describe('resolveCanary: metric defaults', () => {
  const metric = (fields: Record<string, unknown>) => analysisOf({ metrics: [fields] }).metrics[0]!;

  it('queries a 1m window by default', () => {
    const resolved = metric({ name: 'request-success-rate', thresholdRange: { min: 99 } });
    expect([resolved.interval, resolved.intervalMs, resolved.templateVariables]).toEqual([
      '1m',
      60_000,
      {},
    ]);
  });

  it('reads the deprecated threshold as a minimum for success rate and a maximum otherwise', () => {
    expect(metric({ name: 'request-success-rate', threshold: 99 }).thresholdRange).toEqual({
      min: 99,
    });
    expect(metric({ name: 'request-duration', threshold: 500 }).thresholdRange).toEqual({
      max: 500,
    });
    expect(metric({ name: 'errors', query: 'x', threshold: 5 }).thresholdRange).toEqual({ max: 5 });
  });

  it('prefers thresholdRange over threshold', () => {
    expect(
      metric({ name: 'request-duration', threshold: 500, thresholdRange: { max: 300 } })
        .thresholdRange,
    ).toEqual({ max: 300 });
  });

  it('uses one source per metric: templateRef, then query, then the built-in', () => {
    const template = metric({
      name: 'request-success-rate',
      templateRef: { name: 't' },
      query: 'q',
      thresholdRange: { min: 1 },
    });
    expect(template.source).toEqual({
      kind: 'template',
      templateRef: { name: 't', namespace: 'test' },
    });
    expect(
      metric({ name: 'request-success-rate', query: 'q', thresholdRange: { min: 1 } }).source,
    ).toEqual({ kind: 'query', query: 'q' });
    expect(metric({ name: 'request-duration', thresholdRange: { max: 1 } }).source).toEqual({
      kind: 'builtin',
      builtin: 'request-duration',
    });
  });

  it('looks templates up in the canary namespace unless another is named', () => {
    expect(
      metric({
        name: 'e',
        templateRef: { name: 't', namespace: 'istio-system' },
        thresholdRange: { max: 1 },
      }).source,
    ).toEqual({
      kind: 'template',
      templateRef: { name: 't', namespace: 'istio-system' },
    });
  });
});
