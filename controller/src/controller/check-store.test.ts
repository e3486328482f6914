import type { Canary } from '../api/types.js';
import { resolveSpec, type EngineSpec } from '../engine/index.js';
import type { CheckResults } from '../engine/types.js';
import { CheckStore, type AnalysisState } from './check-store.js';

function specOf(noDataPolicy?: 'fail' | 'pass' | 'skip'): EngineSpec {
  const canary = {
    apiVersion: 'aviary.dev/v1beta1',
    kind: 'Canary',
    metadata: { namespace: 'shop', name: 'cart' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'cart' },
      service: { port: 80 },
      analysis: {
        interval: '1m',
        threshold: 5,
        maxWeight: 50,
        stepWeight: 10,
        ...(noDataPolicy ? { noDataPolicy } : {}),
        metrics: [
          { name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '1m' },
          { name: 'latency', thresholdRange: { max: 500 }, query: 'vector(1)' },
        ],
      },
    },
  } as unknown as Canary;
  const resolved = resolveSpec(canary);
  if (!resolved.ok) throw new Error(resolved.problems);
  return resolved.spec;
}

const progressing: AnalysisState = { revision: 'rev-1', phase: 'Progressing', starting: false };
const T = '2026-01-02T03:04:05Z';

describe('CheckStore', () => {
  it('records metric checks with the threshold range and the engine verdict', () => {
    const store = new CheckStore();
    const results: CheckResults = {
      'metric/0': { kind: 'metric', outcome: 'value', value: 99.5 },
      'metric/1': { kind: 'metric', outcome: 'value', value: 620 },
      'webhook/0': { kind: 'webhook', ok: true },
    };
    store.record('shop/cart', progressing, specOf(), results, T);
    const [success, latency] = store.get('shop', 'cart');
    expect(success).toEqual({
      time: T,
      metric: 'request-success-rate',
      value: 99.5,
      outcome: 'value',
      thresholdRange: { min: 99 },
      verdict: 'pass',
    });
    expect(latency).toMatchObject({
      metric: 'latency',
      value: 620,
      thresholdRange: { max: 500 },
      verdict: 'fail',
    });
    expect(latency?.message).toContain('latency');
    expect(store.get('shop', 'cart')).toHaveLength(2);
  });

  it('takes a verdict given by another judge over the threshold range', () => {
    const store = new CheckStore();
    store.record(
      'shop/cart',
      progressing,
      specOf(),
      {
        'metric/0': {
          kind: 'metric',
          outcome: 'value',
          value: 100,
          verdict: { ok: false, reason: 'too good' },
        },
      },
      T,
    );
    expect(store.get('shop', 'cart')[0]).toMatchObject({ verdict: 'fail', value: 100 });
  });

  it('maps no data by the noDataPolicy and query errors to fail', () => {
    const noData: CheckResults = {
      'metric/0': { kind: 'metric', outcome: 'no-data', error: 'empty' },
      'metric/1': { kind: 'metric', outcome: 'error', error: 'boom' },
    };
    const verdicts = (policy?: 'fail' | 'pass' | 'skip') => {
      const store = new CheckStore();
      store.record('shop/cart', progressing, specOf(policy), noData, T);
      return store.get('shop', 'cart').map(c => [c.outcome, c.value, c.verdict]);
    };
    expect(verdicts()).toEqual([
      ['no-data', null, 'fail'],
      ['error', null, 'fail'],
    ]);
    expect(verdicts('skip')[0]).toEqual(['no-data', null, 'skip']);
    expect(verdicts('pass')[0]).toEqual(['no-data', null, 'pass']);
  });

  it('keeps only the last N per canary', () => {
    const store = new CheckStore(3);
    for (let i = 0; i < 5; i++) {
      store.record(
        'shop/cart',
        progressing,
        specOf(),
        { 'metric/0': { kind: 'metric', outcome: 'value', value: i } },
        T,
      );
    }
    expect(store.get('shop', 'cart').map(c => c.value)).toEqual([2, 3, 4]);
    expect(store.get('shop', 'other')).toEqual([]);
  });

  it('starts over when a new analysis starts, and keeps the results after the run ended', () => {
    const store = new CheckStore();
    const one: CheckResults = { 'metric/0': { kind: 'metric', outcome: 'value', value: 99.9 } };
    store.record('shop/cart', progressing, specOf(), one, T);
    store.record('shop/cart', progressing, specOf(), one, T);
    expect(store.get('shop', 'cart')).toHaveLength(2);
    // The run ended: the results stay visible.
    store.record('shop/cart', { ...progressing, phase: 'Succeeded' }, specOf(), {}, T);
    expect(store.get('shop', 'cart')).toHaveLength(2);
    // Same revision analysed again (e.g. a retry): a new run.
    store.record('shop/cart', progressing, specOf(), one, T);
    expect(store.get('shop', 'cart')).toHaveLength(1);
    // A new revision.
    store.record('shop/cart', { ...progressing, revision: 'rev-2' }, specOf(), {}, T);
    expect(store.get('shop', 'cart')).toEqual([]);
    store.record('shop/cart', progressing, specOf(), one, T);
    // The tick that starts the analysis.
    store.record('shop/cart', { ...progressing, starting: true }, specOf(), {}, T);
    expect(store.get('shop', 'cart')).toEqual([]);
  });

  it('forgets a deleted canary; an invalid spec records nothing', () => {
    const store = new CheckStore();
    const one: CheckResults = { 'metric/0': { kind: 'metric', outcome: 'value', value: 99.9 } };
    store.record('shop/cart', progressing, specOf(), one, T);
    store.forget('shop/cart');
    expect(store.get('shop', 'cart')).toEqual([]);
    store.record('shop/cart', progressing, undefined, one, T);
    expect(store.get('shop', 'cart')).toEqual([]);
  });
});
