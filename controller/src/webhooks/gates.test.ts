import { DateTime } from 'luxon';
import type { Canary, CanaryWebhook } from '../api/types.js';
import { podinfoCanary } from '../router/__fixtures__/canary.js';
import { startRecorder } from './__fixtures__/http-recorder.js';
import { HttpWebhookCaller } from './caller.js';
import type { WebhookCaller, WebhookResult } from './caller.js';
import {
  checkRollbackHooks,
  hookType,
  hooksOfType,
  runGate,
  runPostRolloutHooks,
  sendEventHooks,
} from './gates.js';
import type { WebhookPayload } from './payload.js';

/** A caller that answers per hook name and records every call. */
function fakeCaller(answers: Record<string, boolean>) {
  const calls: Array<{ hook: string; payload: WebhookPayload }> = [];
  const caller: WebhookCaller = {
    call: async (hook, payload): Promise<WebhookResult> => {
      calls.push({ hook: hook.name, payload });
      return answers[hook.name]
        ? { ok: true, status: 200, attempts: 1 }
        : { ok: false, status: 500, error: 'no', attempts: 1 };
    },
  };
  return { caller, calls };
}

function canaryWith(webhooks: CanaryWebhook[]): Canary {
  return { ...podinfoCanary({}, { webhooks }), status: { phase: 'Progressing' } };
}

const hook = (name: string, type?: CanaryWebhook['type']): CanaryWebhook => ({
  name,
  url: `http://hooks/${name}`,
  ...(type !== undefined ? { type } : {}),
});

describe('webhook semantics per type', () => {
  it('an empty or absent type is rollout', () => {
    expect(hookType(hook('a'))).toBe('rollout');
    expect(hookType(hook('b', ''))).toBe('rollout');
    const canary = canaryWith([hook('a'), hook('b', ''), hook('c', 'pre-rollout')]);
    expect(hooksOfType(canary, 'rollout').map(h => h.name)).toEqual(['a', 'b']);
  });

  it('gates run in spec order and stop at the first failure', async () => {
    const canary = canaryWith([
      hook('one', 'confirm-promotion'),
      hook('two', 'confirm-promotion'),
      hook('three', 'confirm-promotion'),
      hook('other', 'rollout'),
    ]);
    const { caller, calls } = fakeCaller({ one: true, two: false, three: true });
    const outcome = await runGate(caller, canary, 'confirm-promotion', 'Progressing');
    expect(outcome.passed).toBe(false);
    expect(outcome.failed?.hook.name).toBe('two');
    expect(calls.map(c => [c.hook, c.payload.phase])).toEqual([
      ['one', 'Progressing'],
      ['two', 'Progressing'],
    ]);
  });

  it('a gate without hooks passes', async () => {
    const { caller, calls } = fakeCaller({});
    await expect(runGate(caller, canaryWith([]), 'confirm-rollout', 'Succeeded')).resolves.toEqual({
      passed: true,
      calls: [],
    });
    expect(calls).toEqual([]);
  });

  it('rollback hooks: the first success asks for a rollback', async () => {
    const canary = canaryWith([
      hook('closed', 'rollback'),
      hook('open', 'rollback'),
      hook('later', 'rollback'),
    ]);
    const { caller, calls } = fakeCaller({ closed: false, open: true, later: true });
    const outcome = await checkRollbackHooks(caller, canary, 'WaitingPromotion');
    expect(outcome.rollback).toBe(true);
    expect(outcome.signalledBy?.name).toBe('open');
    expect(calls.map(c => [c.hook, c.payload.phase])).toEqual([
      ['closed', 'WaitingPromotion'],
      ['open', 'WaitingPromotion'],
    ]);
  });

  it('rollback hooks: failures (unreachable included) mean no rollback', async () => {
    const canary = canaryWith([hook('a', 'rollback'), hook('b', 'rollback')]);
    const { caller } = fakeCaller({});
    await expect(checkRollbackHooks(caller, canary, 'Progressing')).resolves.toMatchObject({
      rollback: false,
      calls: [{ hook: { name: 'a' } }, { hook: { name: 'b' } }],
    });
  });

  it('post-rollout hooks are all called with the final phase, failures only reported', async () => {
    const canary = canaryWith([hook('a', 'post-rollout'), hook('b', 'post-rollout')]);
    const { caller, calls } = fakeCaller({ b: true });
    const results = await runPostRolloutHooks(caller, canary, 'Failed');
    expect(results.map(r => r.result.ok)).toEqual([false, true]);
    expect(calls.map(c => c.payload.phase)).toEqual(['Failed', 'Failed']);
  });

  it('event hooks replace the global event webhook; without them the global one is used', async () => {
    const now = DateTime.fromMillis(1000);
    const event = {
      message: 'New revision detected! Scaling up podinfo.test',
      type: 'Normal' as const,
    };
    const own = fakeCaller({});
    await sendEventHooks(
      own.caller,
      canaryWith([hook('mine', 'event')]),
      event,
      now,
      'http://global/events',
    );
    expect(own.calls.map(c => c.hook)).toEqual(['mine']);
    const global = fakeCaller({});
    await sendEventHooks(global.caller, canaryWith([]), event, now, 'http://global/events');
    expect(global.calls.map(c => [c.hook, c.payload.metadata?.eventMessage])).toEqual([
      ['events', 'New revision detected! Scaling up podinfo.test'],
    ]);
    const none = fakeCaller({});
    await expect(sendEventHooks(none.caller, canaryWith([]), event, now)).resolves.toEqual([]);
  });
});

describe('gates against a loadtester-style HTTP server', () => {
  it('confirm-promotion waits while /gate/check is closed; a rollback hook fires once /rollback/check opens', async () => {
    const state = { gate: false, rollback: false };
    const server = await startRecorder(req => {
      if (req.url === '/gate/check') return { status: state.gate ? 200 : 403, body: 'gate closed' };
      if (req.url === '/rollback/check') return { status: state.rollback ? 200 : 403 };
      return { status: 404 };
    });
    try {
      const canary = canaryWith([
        { name: 'approval', type: 'confirm-promotion', url: `${server.url}/gate/check` },
        { name: 'kill-switch', type: 'rollback', url: `${server.url}/rollback/check` },
      ]);
      const caller = new HttpWebhookCaller();
      const closed = await runGate(caller, canary, 'confirm-promotion', 'Progressing');
      expect([closed.passed, closed.failed?.result]).toEqual([
        false,
        { ok: false, status: 403, error: 'gate closed', attempts: 1 },
      ]);
      state.gate = true;
      expect((await runGate(caller, canary, 'confirm-promotion', 'Progressing')).passed).toBe(true);
      expect((await checkRollbackHooks(caller, canary, 'Progressing')).rollback).toBe(false);
      state.rollback = true;
      expect((await checkRollbackHooks(caller, canary, 'Progressing')).rollback).toBe(true);
      expect(JSON.parse(server.requests[0]!.body)).toMatchObject({
        name: 'podinfo',
        phase: 'Progressing',
      });
    } finally {
      await server.close();
    }
  });
});
