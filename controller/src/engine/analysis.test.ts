// What the analysis makes of check results (spec 2.7): messages, counts, holds and gauges.
import type { CanaryAnalysis, CanaryMetric } from '../api/types.js';
import { canary } from './__fixtures__/builders.js';
import { initializedWorld, type World } from './__fixtures__/world.js';
import { goDuration } from './messages.js';
import type { CheckResult } from './types.js';

/** Progressing at 10 %, so the next tick runs the full analysis. */
function analysing(analysis: Partial<CanaryAnalysis> = {}, setup?: (world: World) => void): World {
  const world = initializedWorld({ canary: canary({ analysis }) });
  setup?.(world);
  world.release('rev-2');
  world.tick();
  world.next();
  world.forget();
  return world;
}

const custom = (overrides: Partial<CanaryMetric> = {}): CanaryMetric => ({
  name: 'errors',
  query: 'sum(rate(errors[1m]))',
  thresholdRange: { max: 10 },
  ...overrides,
});

describe('metric verdicts', () => {
  it.each<[string, CanaryMetric[], string, number, string]>([
    [
      'success rate below min',
      [],
      'request-success-rate',
      62.5,
      'Halt podinfo.test advancement success rate 62.50% < 99%',
    ],
    [
      'latency above max',
      [],
      'request-duration',
      1200,
      'Halt podinfo.test advancement request duration 1.2s > 500ms',
    ],
    [
      'custom above max',
      [custom()],
      'errors',
      12,
      'Halt podinfo.test advancement errors 12.00 > 10',
    ],
    [
      'custom below min',
      [custom({ thresholdRange: { min: 1.5 } })],
      'errors',
      0.25,
      'Halt podinfo.test advancement errors 0.25 < 1.5',
    ],
  ])(
    'U7: halts advancement when a metric fails (%s) and counts a failed check',
    (_, metrics, name, value, message) => {
      const world = analysing(metrics.length ? { metrics } : {});
      world.metric(name, value);
      world.next();
      expect(world.events()).toEqual([message]);
      expect(world.status).toMatchObject({ canaryWeight: 10, failedChecks: 1 });
      expect(world.routes?.canaryWeight).toBe(10);
    },
  );

  it('the deprecated threshold is a minimum for success rate and a maximum otherwise', () => {
    const world = analysing({
      metrics: [
        { name: 'request-success-rate', threshold: 99 },
        { name: 'request-duration', threshold: 500 },
      ],
    });
    world.metric('request-success-rate', 99.5);
    world.metric('request-duration', 501);
    world.next();
    expect(world.events()).toEqual([
      'Halt podinfo.test advancement request duration 501ms > 500ms',
    ]);
  });

  it('stops at the first failing check, in order: rollout hooks, built-in/inline metrics, then templates', () => {
    const world = analysing({
      metrics: [
        custom({ name: 'templated', query: undefined, templateRef: { name: 'latency' } }),
        custom({ name: 'inline' }),
      ],
      webhooks: [{ name: 'load', url: 'http://tester/load' }],
    });
    world.next();
    expect(world.calls[0]?.map(c => c.id)).toEqual(['webhook/0', 'metric/1', 'metric/0']);
    world.metric('inline', 50);
    world.metric('templated', 50);
    world.next();
    expect(world.events().at(-1)).toBe('Halt podinfo.test advancement inline 50.00 > 10');
    world.failHook('load', 'load tester down');
    world.next();
    expect(world.events().at(-1)).toBe(
      'Halt podinfo.test advancement external check load failed load tester down',
    );
  });

  it('a verdict from another judge in the result wins over the threshold range', () => {
    const world = analysing();
    world.metricValues['request-duration'] = {
      kind: 'metric',
      outcome: 'value',
      value: 100,
      verdict: { ok: false, reason: '35% worse than primary' },
    };
    world.next();
    expect(world.events()).toEqual([
      'Halt podinfo.test advancement request-duration 35% worse than primary',
    ]);
  });

  it('records the last metric values as gauges: success rate in %, duration in seconds', () => {
    const world = analysing();
    world.metric('request-duration', 250);
    world.next();
    const gauges = world.notes.flatMap(n =>
      n.type === 'recordMetric' && n.record.metric === 'analysis' ? [n.record] : [],
    );
    expect(gauges).toEqual([
      { metric: 'analysis', name: 'request-success-rate', value: 100 },
      { metric: 'analysis', name: 'request-duration', value: 0.25 },
    ]);
  });
});

describe('no data, errors and the Aviary guards', () => {
  const noData: CheckResult = { kind: 'metric', outcome: 'no-data', error: 'no values found' };
  const builtinNoData =
    'Halt advancement no values found for istio metric request-success-rate probably podinfo.test is not receiving traffic: running query failed: no values found';

  it('no data counts as a failed check by default (Flagger)', () => {
    const world = analysing();
    world.metricValues['request-success-rate'] = noData;
    world.next();
    expect(world.events()).toEqual([builtinNoData]);
    expect(world.status.failedChecks).toBe(1);
  });

  it('noDataPolicy pass lets the check pass', () => {
    const world = analysing({ noDataPolicy: 'pass' });
    world.metricValues['request-success-rate'] = noData;
    world.next();
    expect(world.status).toMatchObject({ canaryWeight: 20, failedChecks: 0 });
  });

  it('noDataPolicy skip holds the weight without counting a failure', () => {
    const world = analysing({ noDataPolicy: 'skip' });
    world.metricValues['request-success-rate'] = noData;
    world.next();
    expect(world.status).toMatchObject({ canaryWeight: 10, failedChecks: 0 });
    expect(world.events()).toEqual([builtinNoData]);
  });

  it('custom no-data and query errors use Flagger wording; errors always count', () => {
    const world = analysing({
      noDataPolicy: 'skip',
      metrics: [
        custom(),
        custom({ name: 'templated', query: undefined, templateRef: { name: 'tpl' } }),
      ],
    });
    world.metricValues.errors = {
      kind: 'metric',
      outcome: 'error',
      error: 'bad_data: parse error',
    };
    world.next();
    expect(world.events()).toEqual(['Metric query failed for errors: bad_data: parse error']);
    world.metricValues.errors = { kind: 'metric', outcome: 'value', value: 1 };
    world.metricValues.templated = {
      kind: 'metric',
      outcome: 'error',
      error: 'not found',
      stage: 'template',
    };
    world.next();
    expect(world.events().at(-1)).toBe('Metric template tpl.test error: not found');
    expect(world.status.failedChecks).toBe(2);
  });

  it('a built-in query error is a Prometheus failure', () => {
    const world = analysing();
    world.metricValues['request-success-rate'] = {
      kind: 'metric',
      outcome: 'error',
      error: 'timeout',
    };
    world.next();
    expect(world.events()).toEqual(['Prometheus query failed: timeout']);
  });

  it('minRequestCount holds the tick, unjudged, until the canary has served enough requests', () => {
    const world = analysing({ minRequestCount: 100 });
    world.otherResults['request-count'] = { kind: 'request-count', ok: true, count: 42 };
    world.next();
    expect(world.calls[0]?.map(c => c.kind)).toEqual(['request-count', 'metric', 'metric']);
    expect(world.events()).toEqual([
      'Halt podinfo.test advancement waiting for traffic: 42 requests < 100',
    ]);
    expect(world.status).toMatchObject({ canaryWeight: 10, failedChecks: 0 });
    delete world.otherResults['request-count'];
    world.next();
    expect(world.status.canaryWeight).toBe(20);
  });

  it('the judge runs after the metrics and its failure counts', () => {
    const world = analysing({ judge: { type: 'compare' } });
    world.otherResults.judge = {
      kind: 'judge',
      ok: false,
      reason: 'request-duration 40% above primary',
    };
    world.next();
    expect(world.calls[0]?.map(c => c.kind)).toEqual(['metric', 'metric', 'judge']);
    expect(world.events()).toEqual([
      'Halt podinfo.test advancement canary worse than primary: request-duration 40% above primary',
    ]);
    expect(world.status.failedChecks).toBe(1);
  });
});

describe('threshold and rollback hooks', () => {
  it('rolls back on the tick whose failure reaches the threshold, with Flagger messages', () => {
    const world = analysing({ threshold: 2 });
    world.metric('request-success-rate', 50);
    world.next();
    expect(world.phase).toBe('Progressing');
    world.next();
    expect(world.phase).toBe('Failed');
    expect(world.events().slice(-3)).toEqual([
      'Halt podinfo.test advancement success rate 50.00% < 99%',
      'Rolling back podinfo.test failed checks threshold reached 2',
      'Canary failed! Scaling down podinfo.test',
    ]);
    expect(world.notes).toContainEqual({
      type: 'sendAlert',
      severity: 'error',
      message: 'Failed checks threshold reached 2',
      fields: [],
    });
  });

  it('failed checks are never reset by a success', () => {
    const world = analysing({ threshold: 3 });
    world.metric('request-success-rate', 50);
    world.next();
    world.metric('request-success-rate', 100);
    world.next();
    world.metric('request-success-rate', 50);
    world.next();
    expect(world.status).toMatchObject({ failedChecks: 2, canaryWeight: 20 });
  });

  it('a rollback hook that succeeds rolls back at once; failing ones only mean "no"', () => {
    const world = analysing(
      {
        webhooks: [
          { name: 'first', type: 'rollback', url: 'http://tester/a' },
          { name: 'second', type: 'rollback', url: 'http://tester/b' },
        ],
      },
      w => {
        w.failHook('first');
        w.failHook('second');
      },
    );
    world.next();
    expect(world.status.canaryWeight).toBe(20);
    delete world.hookResults.second;
    world.next();
    expect(world.phase).toBe('Failed');
    expect(world.events().slice(1)).toEqual([
      'Rollback check second passed',
      'Rolling back podinfo.test manual webhook invoked',
      'Canary failed! Scaling down podinfo.test',
    ]);
    expect(world.calls.at(-1)?.map(c => c.kind)).toEqual(['webhook', 'webhook']);
  });
});

describe('Go duration formatting', () => {
  it.each([
    [0, '0s'],
    [1, '1ms'],
    [500, '500ms'],
    [1000, '1s'],
    [1200, '1.2s'],
    [1234.9, '1.234s'],
    [90_000, '1m30s'],
    [3_723_500, '1h2m3.5s'],
  ])('%d ms prints as %s', (ms, text) => {
    expect(goDuration(ms)).toBe(text);
  });
});
