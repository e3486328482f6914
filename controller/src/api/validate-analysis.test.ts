import { expectOnly } from './test-support/expect.js';
import { canaryWithAnalysis, minimalCanary } from './test-support/fixtures.js';
import { validateCanary } from './validate.js';

const analysis = (fields: Record<string, unknown>) =>
  validateCanary(minimalCanary({ analysis: fields }));
const withAnalysis = (fields: Record<string, unknown>) =>
  validateCanary(canaryWithAnalysis(fields));
const metric = (fields: Record<string, unknown>) =>
  withAnalysis({
    metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 }, ...fields }],
  });

describe('validateCanary: analysis schedule and strategy', () => {
  it('rejects an interval that is not a duration', () => {
    expectOnly(
      withAnalysis({ interval: '1min' }),
      'spec.analysis.interval',
      'not a valid duration',
    );
    expectOnly(
      withAnalysis({ interval: 'hourly' }),
      'spec.analysis.interval',
      'must be a Go duration',
    );
  });

  it.each(['5s', '1m30s', '2h', '500ms'])('accepts the interval %s', interval => {
    expect(withAnalysis({ interval })).toEqual([]);
  });

  it('rejects iterations combined with stepWeight or stepWeights', () => {
    expectOnly(
      analysis({ iterations: 5, stepWeight: 10 }),
      'spec.analysis.stepWeight',
      'cannot be combined with spec.analysis.iterations',
    );
    expectOnly(
      analysis({ iterations: 5, stepWeights: [10] }),
      'spec.analysis.stepWeights',
      'cannot be combined with spec.analysis.iterations',
    );
  });

  it('rejects stepWeight combined with stepWeights', () => {
    expectOnly(
      analysis({ stepWeight: 5, stepWeights: [10] }),
      'spec.analysis.stepWeights',
      'cannot be combined with spec.analysis.stepWeight',
    );
  });

  it('rejects an analysis that would never advance', () => {
    expectOnly(
      analysis({ interval: '1m', threshold: 5, maxWeight: 50 }),
      'spec.analysis',
      'never advance',
    );
    expectOnly(analysis({ stepWeight: 0 }), 'spec.analysis', 'never advance');
  });

  it.each([
    { stepWeight: 10 },
    { stepWeights: [1, 50] },
    { iterations: 3 },
    { iterations: 3, match: [{ headers: { a: { exact: 'b' } } }] },
  ])('accepts the strategy %j', fields => {
    expect(analysis(fields)).toEqual([]);
  });

  it('names each stepWeights entry that does not increase', () => {
    const problems = analysis({ stepWeights: [10, 20, 20, 5] });
    expect(problems.map(p => p.field)).toEqual([
      'spec.analysis.stepWeights[2]',
      'spec.analysis.stepWeights[3]',
    ]);
    expect(problems[1]!.message).toBe(
      'spec.analysis.stepWeights[3] is 5, but each step must be larger than the one before it (20).',
    );
  });

  it('rejects a stepWeights entry of 0', () => {
    expectOnly(analysis({ stepWeights: [0, 10] }), 'spec.analysis.stepWeights[0]', 'at least 1');
  });

  it('accepts a last stepWeights entry above 100, which Flagger caps', () => {
    expect(analysis({ stepWeights: [1, 2, 10, 200] })).toEqual([]);
  });

  it.each([
    ['maxWeight', { maxWeight: 101 }, 'at most 100'],
    ['threshold', { threshold: -1 }, 'at least 0'],
    ['stepWeightPromotion', { stepWeightPromotion: -5 }, 'at least 0'],
    ['mirrorWeight', { mirrorWeight: 101 }, 'at most 100'],
    ['primaryReadyThreshold', { primaryReadyThreshold: 101 }, 'at most 100'],
    ['canaryReadyThreshold', { canaryReadyThreshold: -1 }, 'at least 0'],
    ['minRequestCount', { minRequestCount: -1 }, 'at least 0'],
    ['noDataPolicy', { noDataPolicy: 'ignore' }, 'fail, pass, skip'],
    ['threshold', { threshold: 1.5 }, 'whole number'],
  ])('rejects a bad %s', (name, fields, text) => {
    expectOnly(withAnalysis(fields), `spec.analysis.${name}`, text);
  });

  it('rejects A/B header matches Istio cannot express', () => {
    const problems = withAnalysis({
      iterations: undefined,
      match: [
        {
          headers: { 'x-a': { suffix: '-beta' }, 'x-b': { exact: 'a', prefix: 'b' } },
          queryParams: { q: { exact: 'a', regex: 'b' } },
        },
      ],
    });
    expect(problems.map(p => p.field)).toEqual([
      'spec.analysis.match[0].headers.x-a.suffix',
      'spec.analysis.match[0].headers.x-b',
      'spec.analysis.match[0].queryParams.q',
    ]);
    expect(problems[0]!.message).toContain('Istio has no suffix match');
  });
});

describe('validateCanary: metrics', () => {
  it('requires a templateRef for a metric that is not built in', () => {
    expectOnly(
      metric({ name: 'error-rate' }),
      'spec.analysis.metrics[0].templateRef',
      'only request-success-rate and request-duration are built in',
    );
  });

  it('accepts an inline query instead of a templateRef', () => {
    expect(metric({ name: 'error-rate', query: 'vector(1)' })).toEqual([]);
  });

  it('points pre-1.0 built-in names to their new names', () => {
    expectOnly(
      metric({ name: 'istio_requests_total' }),
      'spec.analysis.metrics[0].name',
      'rename it to request-success-rate',
    );
  });

  it('requires a thresholdRange (or the deprecated threshold)', () => {
    expectOnly(
      metric({ thresholdRange: undefined }),
      'spec.analysis.metrics[0].thresholdRange',
      'set min and/or max',
    );
    expect(metric({ thresholdRange: undefined, threshold: 99 })).toEqual([]);
  });

  it('rejects an empty thresholdRange and one with min above max', () => {
    expectOnly(
      metric({ thresholdRange: {} }),
      'spec.analysis.metrics[0].thresholdRange',
      'must set min, max or both',
    );
    expectOnly(
      metric({ thresholdRange: { min: 5, max: 1 } }),
      'spec.analysis.metrics[0].thresholdRange.min',
      'no value could pass',
    );
  });

  it('rejects a metric interval PromQL cannot use', () => {
    expectOnly(metric({ interval: '1.5m' }), 'spec.analysis.metrics[0].interval', 'PromQL range');
    expectOnly(
      metric({ interval: '1minute' }),
      'spec.analysis.metrics[0].interval',
      'not a valid duration',
    );
  });

  it('requires a name and a templateRef name', () => {
    const problems = withAnalysis({ metrics: [{ templateRef: {}, thresholdRange: { max: 1 } }] });
    expect(problems.map(p => p.field)).toEqual([
      'spec.analysis.metrics[0].name',
      'spec.analysis.metrics[0].templateRef.name',
    ]);
  });
});

describe('validateCanary: webhooks and alerts', () => {
  const hook = (fields: Record<string, unknown>) =>
    withAnalysis({ webhooks: [{ name: 'load-test', url: 'http://loadtester/', ...fields }] });

  it('requires an absolute http(s) url', () => {
    expectOnly(
      hook({ url: 'flagger-loadtester.test/' }),
      'spec.analysis.webhooks[0].url',
      'absolute http:// or https:// URL',
    );
    expectOnly(hook({ url: 'ftp://host/' }), 'spec.analysis.webhooks[0].url', 'absolute http');
  });

  it('rejects an unknown type and a bad timeout', () => {
    expectOnly(hook({ type: 'pre-rolout' }), 'spec.analysis.webhooks[0].type', 'confirm-rollout');
    expectOnly(
      hook({ timeout: '10sec' }),
      'spec.analysis.webhooks[0].timeout',
      'not a valid duration',
    );
    expectOnly(hook({ retries: -1 }), 'spec.analysis.webhooks[0].retries', 'at least 0');
  });

  it('requires name and url', () => {
    const problems = withAnalysis({ webhooks: [{}] });
    expect(problems.map(p => p.field)).toEqual([
      'spec.analysis.webhooks[0].name',
      'spec.analysis.webhooks[0].url',
    ]);
  });

  it('rejects an unknown alert severity and a missing providerRef', () => {
    expectOnly(
      withAnalysis({ alerts: [{ name: 'a', severity: 'critical', providerRef: { name: 'p' } }] }),
      'spec.analysis.alerts[0].severity',
      'info, warn, error',
    );
    expectOnly(
      withAnalysis({ alerts: [{ name: 'a' }] }),
      'spec.analysis.alerts[0].providerRef',
      'is required',
    );
  });
});

describe('validateCanary: session affinity', () => {
  const affinity = (fields: Record<string, unknown>) =>
    withAnalysis({ sessionAffinity: { cookieName: 'canary', ...fields } });

  it('requires the primary cookie name to differ from the cookie name', () => {
    expectOnly(
      affinity({ primaryCookieName: 'canary' }),
      'spec.analysis.sessionAffinity.primaryCookieName',
      'must differ from',
    );
  });

  it('rejects cookie names with characters a cookie name cannot hold', () => {
    expectOnly(
      affinity({ cookieName: 'my cookie' }),
      'spec.analysis.sessionAffinity.cookieName',
      'not a valid cookie name',
    );
    expectOnly(
      affinity({ primaryCookieName: 'a=b' }),
      'spec.analysis.sessionAffinity.primaryCookieName',
      'not a valid cookie name',
    );
    expectOnly(
      affinity({ cookieName: '' }),
      'spec.analysis.sessionAffinity.cookieName',
      'must not be empty',
    );
  });

  it('rejects a sameSite value of the wrong case and a negative maxAge', () => {
    expectOnly(
      affinity({ sameSite: 'strict' }),
      'spec.analysis.sessionAffinity.sameSite',
      'Strict, Lax, None',
    );
    expectOnly(affinity({ maxAge: -1 }), 'spec.analysis.sessionAffinity.maxAge', 'at least 0');
  });
});

describe('validateCanary: judge', () => {
  const builtins = [
    { name: 'request-success-rate', thresholdRange: { min: 99 } },
    { name: 'request-duration', thresholdRange: { max: 500 } },
  ];
  const judge = (fields: Record<string, unknown>, metrics: unknown[] = builtins) =>
    withAnalysis({ metrics, judge: { type: 'compare', ...fields } });

  it('accepts a judge over the built-in metrics', () => {
    expect(judge({})).toEqual([]);
  });

  it('needs something to compare', () => {
    expectOnly(judge({}, []), 'spec.analysis.judge.metrics', 'has nothing to compare');
  });

  it('names compared metrics that are not analysis metrics', () => {
    expectOnly(
      judge({ metrics: [{ name: 'latency' }] }),
      'spec.analysis.judge.metrics[0].name',
      'not the name of an entry in spec.analysis.metrics',
    );
  });

  it('requires a direction for a custom metric', () => {
    const metrics = [
      ...builtins,
      { name: 'errors', templateRef: { name: 'errors' }, thresholdRange: { max: 1 } },
    ];
    expectOnly(
      judge({ metrics: [{ name: 'errors' }] }, metrics),
      'spec.analysis.judge.metrics[0].direction',
      'higherIsBetter or lowerIsBetter',
    );
  });

  it('rejects a metric compared twice and an ambiguous metric name', () => {
    expectOnly(
      judge({ metrics: [{ name: 'request-duration' }, { name: 'request-duration' }] }),
      'spec.analysis.judge.metrics[1].name',
      'a second time',
    );
    const twice = [...builtins, { name: 'request-duration', thresholdRange: { max: 900 } }];
    expectOnly(
      judge({ metrics: [{ name: 'request-duration' }] }, twice),
      'spec.analysis.judge.metrics[0].name',
      'has 2 entries',
    );
  });

  it.each([
    ['type', { type: 'bayes' }, 'must be one of compare'],
    ['confidence', { confidence: 40 }, 'at least 50'],
    ['maxRelativeDegradation', { maxRelativeDegradation: -1 }, 'at least 0'],
  ])('rejects a bad %s', (name, fields, text) => {
    expectOnly(judge(fields), `spec.analysis.judge.${name}`, text);
  });

  it('requires a type', () => {
    expectOnly(
      withAnalysis({ metrics: builtins, judge: {} }),
      'spec.analysis.judge.type',
      'is required',
    );
  });
});
