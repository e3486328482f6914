// Flagger's unit scenarios U15-U23 (spec 6.1): alerts, weight schedules, gauges, metric checks
// and the finalizer. U1-U12 are in scenarios.test.ts, U20 in events.test.ts.
import { canary, deadlineExceeded, routes, target } from './__fixtures__/builders.js';
import { initializedWorld, World } from './__fixtures__/world.js';
import type { Action, MetricRecord } from './types.js';

const of = <T extends Action['type']>(actions: Action[], type: T) =>
  actions.filter((a): a is Extract<Action, { type: T }> => a.type === type);
const records = (world: World): MetricRecord[] =>
  world.notes.flatMap(n => (n.type === 'recordMetric' ? [n.record] : []));

describe('Flagger unit scenarios (6.1), continued', () => {
  it('U15: initialization sends the info alert with the canary fields', () => {
    const world = new World();
    world.tick();
    const { actions } = world.tick();
    expect(of(actions, 'sendAlert')).toEqual([
      {
        type: 'sendAlert',
        severity: 'info',
        message: 'New Deployment detected, initialization completed.',
        fields: [
          { title: 'Target', value: 'Deployment/podinfo.test' },
          { title: 'Failed checks threshold', value: '5' },
          { title: 'Progress deadline', value: '600s' },
          { title: 'Traffic routing', value: 'Weight step: 10 max: 50' },
        ],
      },
    ]);
  });

  it.each([
    [{ stepWeight: 20, maxWeight: 50 }, [100, 80, 60, 40]],
    [{ stepWeight: 50, maxWeight: 100 }, [100, 50, 0]],
    [{ stepWeight: undefined, stepWeights: [1, 2, 10, 80] }, [100, 99, 98, 90, 20]],
    [{ stepWeight: undefined, stepWeights: [1, 2, 10, 200] }, [100, 99, 98, 90, 0]],
  ])('U16: weights %j give primary weights %j, then promotion', (ladder, expected) => {
    const world = initializedWorld({
      canary: canary({ analysis: { maxWeight: undefined, ...ladder } }),
    });
    world.release('rev-2');
    world.tick();
    const primaryWeights = [world.routes?.primaryWeight];
    while (world.phase === 'Progressing') {
      world.next();
      if (world.phase === 'Progressing') primaryWeights.push(world.routes?.primaryWeight);
    }
    expect(primaryWeights).toEqual(expected);
    expect(world.phase).toBe('Promoting');
    world.next();
    expect(world.routes).toEqual(routes(100, 0));
    expect(world.phase).toBe('Finalising');
    world.next();
    expect(world.phase).toBe('Succeeded');
  });

  it('U17: gauges: status 1 after init, 0 while progressing, weights sum to 100, one completed success', () => {
    const world = new World();
    world.tick();
    world.tick();
    expect(
      records(world)
        .filter(r => r.metric === 'status')
        .at(-1),
    ).toEqual({ metric: 'status', value: 1 });
    world.release('rev-2');
    world.tick();
    world.notes = [];
    for (let i = 0; i < 5; i++) world.next();
    const weights = records(world).filter(r => r.metric === 'weight');
    expect(records(world).filter(r => r.metric === 'status')).toEqual(
      Array(5).fill({ metric: 'status', value: 0 }),
    );
    for (const w of weights) {
      if (w.metric !== 'weight') continue;
      expect(w.primary + w.canary).toBe(100);
      expect(w.canary).toBeGreaterThanOrEqual(10);
      expect(w.canary).toBeLessThanOrEqual(50);
    }
    for (let i = 0; i < 4; i++) world.next();
    expect(world.phase).toBe('Succeeded');
    expect(records(world).filter(r => r.metric === 'successes')).toEqual([
      { metric: 'successes', strategy: 'canary', analysisStatus: 'completed' },
    ]);
  });

  it('U18: metric providers are checked while initializing and an error is only reported', () => {
    const world = new World();
    const answer = world['answer'].bind(world);
    world['answer'] = check =>
      check.kind === 'providers'
        ? { kind: 'providers', ok: false, error: 'connection refused' }
        : answer(check);
    world.tick();
    world.tick();
    expect(world.calls.map(calls => calls.map(c => c.kind))).toEqual([
      ['providers'],
      ['providers'],
    ]);
    expect(world.events()).toContain('Error checking metric providers: connection refused');
    expect(world.phase).toBe('Initialized');
    const skipping = new World({ canary: canary({ spec: { skipAnalysis: true } }) });
    skipping.tick();
    expect(skipping.calls).toEqual([[]]);
  });

  it('U19: each metric is queried from its one source; a metric with none is rejected before any tick acts', () => {
    const metrics = [
      { name: 'request-success-rate', thresholdRange: { min: 99 } },
      { name: 'inline', query: 'sum(up)', thresholdRange: { max: 10 } },
      {
        name: 'templated',
        templateRef: { name: 'latency' },
        templateVariables: { reporter: 'destination' },
        thresholdRange: { max: 10 },
      },
      {
        name: 'both',
        query: 'sum(up)',
        templateRef: { name: 'latency' },
        thresholdRange: { max: 10 },
      },
    ];
    const world = initializedWorld({ canary: canary({ analysis: { metrics } }) });
    world.release('rev-2');
    world.tick();
    world.next();
    world.next();
    const queried = world.calls
      .at(-1)
      ?.map(c => (c.kind === 'metric' ? `${c.metric.name}:${c.source}` : c.kind));
    expect(queried).toEqual([
      'request-success-rate:builtin',
      'inline:inline',
      'templated:template',
      'both:template',
    ]);
    const undefinedMetric = new World({
      canary: canary({
        analysis: { metrics: [{ name: 'undefined-metric', thresholdRange: { max: 10 } }] },
      }),
    });
    const { actions } = undefinedMetric.tick();
    expect(actions).toEqual([
      {
        type: 'emitEvent',
        eventType: 'Warning',
        reason: 'Synced',
        message: expect.stringMatching(
          /^invalid canary spec: .*undefined-metric|^invalid canary spec: spec\.analysis\.metrics/,
        ),
      },
    ]);
    expect(undefinedMetric.primary).toBeUndefined();
  });

  it('U23: the finalizer follows revertOnDeletion, and finalizing waits for a target that cannot become ready', () => {
    const world = initializedWorld({ canary: canary({ spec: { revertOnDeletion: true } }) });
    expect(world.canary.metadata.finalizers).toEqual(['finalizer.aviary.dev']);
    world.canary = {
      ...world.canary,
      metadata: { ...world.canary.metadata, deletionTimestamp: '2026-03-02T10:05:00Z' },
    };
    world.target = target('rev-1', { ...deadlineExceeded() });
    const { actions } = world.tick();
    expect(world.events()).toContain('canary not ready during finalizing');
    expect(of(actions, 'removeFinalizer')).toEqual([]);
    expect(of(actions, 'revertRouting')).toEqual([]);
    expect(world.phase).toBe('Terminating');
    world.target = target('rev-1');
    const done = world.tick();
    expect(done.actions.filter(a => a.type !== 'emitEvent').map(a => a.type)).toEqual([
      'scaleTarget',
      'revertApexService',
      'revertRouting',
      'removeFinalizer',
    ]);
    expect(world.events().at(-1)).toBe('Terminated canary podinfo.test');
    const without = initializedWorld();
    without.canary = {
      ...without.canary,
      metadata: { ...without.canary.metadata, finalizers: ['finalizer.aviary.dev'] },
    };
    expect(of(without.tick().actions, 'removeFinalizer')).toHaveLength(1);
  });
});
