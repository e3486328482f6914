import type { Canary, CanaryPhase } from '../api/types.js';
import { ProgressingSlots, startsAnalysis } from './progressing.js';

const canary = (name: string, phase: CanaryPhase): [string, Canary] => [
  `test/${name}`,
  {
    apiVersion: 'aviary.dev/v1beta1',
    kind: 'Canary',
    metadata: { name, namespace: 'test' },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, service: { port: 80 } },
    status: { phase },
  },
];

describe('ProgressingSlots (--max-progressing)', () => {
  it('lets a canary start only while fewer than N others are active', () => {
    const all = [canary('a', 'Progressing'), canary('b', 'Promoting'), canary('c', 'Succeeded')];
    const slots = new ProgressingSlots(2, () => all);
    expect(slots.tryAcquire('test/c')).toEqual({ ok: false, busy: 2 });
    expect(slots.takeWaiting()).toEqual(['test/c']);
    all[1] = canary('b', 'Succeeded');
    expect(slots.tryAcquire('test/c')).toEqual({ ok: true });
  });

  it('two ticks racing for the last slot cannot both take it', () => {
    const all = [canary('a', 'Initialized'), canary('b', 'Initialized')];
    const slots = new ProgressingSlots(1, () => all);
    expect(slots.tryAcquire('test/a')).toEqual({ ok: true });
    expect(slots.tryAcquire('test/b')).toEqual({ ok: false, busy: 1 });
    slots.release('test/a');
    expect(slots.tryAcquire('test/b')).toEqual({ ok: true });
  });

  it('a start is a status write from an idle phase into Progressing', () => {
    const [, idle] = canary('a', 'Succeeded');
    const [, active] = canary('a', 'Progressing');
    const write = { type: 'writeStatus' as const, status: { phase: 'Progressing' as const } };
    expect(startsAnalysis(idle, [write])).toBe(true);
    expect(startsAnalysis(active, [write])).toBe(false);
    expect(startsAnalysis(idle, [])).toBe(false);
  });
});
