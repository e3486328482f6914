import type { ControllerStreamMessage, StreamHandle } from './types';
import { ControllerError } from './types';
import { HttpControllerClient } from './HttpControllerClient';
import { backoffDelay } from './followStream';
import { FakeController } from '../__testUtils__/fakeController';
import { waitFor } from '../__testUtils__/waitFor';

const FAST = { initialDelayMs: 10, maxDelayMs: 50, idleTimeoutMs: 2_000 };

describe('HttpControllerClient', () => {
  let fake: FakeController;
  let client: HttpControllerClient;
  const handles: StreamHandle[] = [];

  beforeEach(async () => {
    fake = await FakeController.start();
    client = new HttpControllerClient(
      { name: 'prod', url: `${fake.url}/`, token: fake.token },
      { timeoutMs: 2_000, stream: FAST },
    );
    fake.set({ namespace: 'demo', name: 'podinfo', phase: 'Initialized', revision: 'r1' });
    fake.set({ namespace: 'shop', name: 'cart', phase: 'Succeeded', revision: 'c1' });
  });

  afterEach(async () => {
    for (const handle of handles.splice(0)) handle.close();
    await fake.stop();
  });

  async function expectError(promise: Promise<unknown>, status: number, message: string) {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ControllerError);
    expect((error as ControllerError).status).toBe(status);
    expect((error as ControllerError).message).toBe(message);
    expect((error as ControllerError).message).not.toContain(fake.token);
  }

  describe('requests', () => {
    it('lists canaries with the bearer token, each tagged with the cluster', async () => {
      const items = await client.list();
      expect(items.map(c => [c.cluster, c.namespace, c.name, c.phase])).toEqual([
        ['prod', 'demo', 'podinfo', 'Initialized'],
        ['prod', 'shop', 'cart', 'Succeeded'],
      ]);
      expect(fake.requests[0]).toMatchObject({
        method: 'GET',
        path: '/api/v1/canaries',
        authorization: `Bearer ${fake.token}`,
      });
      expect((await client.list({ namespace: 'shop' })).map(c => c.name)).toEqual(['cart']);
    });

    it('reads one canary in detail; a 404 is undefined', async () => {
      fake.set({
        namespace: 'demo',
        name: 'podinfo',
        phase: 'Progressing',
        revision: 'r2',
        weight: 25,
        images: { canary: ['podinfo:6.0.1'], primary: ['podinfo:6.0.0'] },
        checks: [
          {
            time: '2026-11-22T10:00:10.001Z',
            metric: 'request-success-rate',
            value: 100,
            outcome: 'value',
            thresholdRange: { min: 99 },
            verdict: 'pass',
          },
        ],
      });
      const detail = await client.get('demo', 'podinfo');
      expect(detail).toMatchObject({
        cluster: 'prod',
        name: 'podinfo',
        phase: 'Progressing',
        weight: 25,
        revision: 'r2',
      });
      expect(detail?.images).toEqual({ canary: ['podinfo:6.0.1'], primary: ['podinfo:6.0.0'] });
      expect(detail?.checks).toHaveLength(1);
      expect(await client.get('demo', 'nothing')).toBeUndefined();
    });

    it('requests an action on behalf of a user and returns the request id', async () => {
      const answer = await client.act('demo', 'podinfo', {
        action: 'promote',
        reason: 'looks good',
        revision: 'r1',
        onBehalfOf: 'user:default/jane',
      });
      expect(answer).toEqual({ requestId: 'req-1' });
      expect(fake.actions).toEqual([
        {
          path: '/api/v1/namespaces/demo/canaries/podinfo/actions',
          authorization: `Bearer ${fake.token}`,
          body: {
            action: 'promote',
            reason: 'looks good',
            revision: 'r1',
            onBehalfOf: 'user:default/jane',
          },
        },
      ]);
    });

    it("passes a controller 4xx through with the controller's message", async () => {
      await expectError(
        client.act('demo', 'podinfo', {
          action: 'explode' as 'promote',
          reason: 'x',
          onBehalfOf: 'user:default/jane',
        }),
        400,
        'action: must be one of promote, abort, retry, pause, resume',
      );
      await expectError(
        client.act('demo', 'gone', { action: 'abort', reason: 'x', onBehalfOf: 'u' }),
        404,
        'canary demo/gone not found',
      );
    });

    it('turns a controller failure into a 502', async () => {
      fake.failRequests = 500;
      await expectError(client.list(), 502, 'controller prod failed (500: internal error)');
    });

    it('reports a token the controller refuses as a 502, without the token', async () => {
      const wrong = new HttpControllerClient({
        name: 'prod',
        url: fake.url,
        token: 'not-the-token',
      });
      await expectError(
        wrong.list(),
        502,
        "controller prod refused the backend's token (401: invalid bearer token)",
      );
    });

    it('is unreachable (503) when nothing listens, and when the answer does not come in time', async () => {
      const slow = new HttpControllerClient(
        { name: 'prod', url: fake.url, token: fake.token },
        { timeoutMs: 100 },
      );
      fake.failRequests = 'hang';
      await expectError(
        slow.list(),
        503,
        'controller prod is unreachable (no answer within 100 ms)',
      );
      await fake.stop();
      await expectError(client.get('demo', 'podinfo'), 503, 'controller prod is unreachable');
      fake = await FakeController.start(); // for afterEach
    });
  });

  describe('stream', () => {
    function follow(
      lastEventId?: string,
      onMessage?: (m: ControllerStreamMessage) => Promise<void>,
    ) {
      const messages: ControllerStreamMessage[] = [];
      const errors: Error[] = [];
      const handle = client.stream({
        ...(lastEventId !== undefined ? { lastEventId } : {}),
        onMessage: async m => {
          await onMessage?.(m);
          messages.push(m);
        },
        onError: e => errors.push(e),
      });
      handles.push(handle);
      return { messages, errors, handle };
    }

    const ids = (messages: ControllerStreamMessage[]) => messages.map(m => `${m.kind}:${m.id}`);

    it('starts with hello at the current position, then canary changes in order', async () => {
      const { messages } = follow();
      await waitFor(() => messages.length === 1);
      fake.set({
        namespace: 'demo',
        name: 'podinfo',
        phase: 'Progressing',
        revision: 'r2',
        weight: 25,
      });
      fake.remove('shop', 'cart');
      await waitFor(() => messages.length === 3);
      expect(messages).toEqual([
        { kind: 'hello', id: '2' },
        {
          kind: 'canary',
          id: '3',
          type: 'update',
          canary: expect.objectContaining({
            cluster: 'prod',
            name: 'podinfo',
            phase: 'Progressing',
            weight: 25,
          }),
        },
        {
          kind: 'canary',
          id: '4',
          type: 'delete',
          canary: expect.objectContaining({ cluster: 'prod', name: 'cart' }),
        },
      ]);
    });

    it('resumes from the given id, replaying what it missed', async () => {
      const { messages } = follow('1');
      await waitFor(() => messages.length === 1);
      expect(ids(messages)).toEqual(['canary:2']);
      expect(fake.requests.find(r => r.path === '/api/v1/stream')?.lastEventId).toBe('1');
    });

    it('reconnects after a drop mid-message with the last handled id: nothing lost, nothing twice', async () => {
      const { messages, errors } = follow();
      await waitFor(() => messages.length === 1);
      fake.dropStreams({ midMessage: true });
      // Changes made while disconnected come back through the replay.
      fake.set({ namespace: 'demo', name: 'podinfo', phase: 'Progressing', revision: 'r2' });
      fake.set({
        namespace: 'demo',
        name: 'podinfo',
        phase: 'Progressing',
        revision: 'r2',
        weight: 25,
      });
      await waitFor(() => messages.length === 3, { what: 'replayed messages' });
      fake.set({
        namespace: 'demo',
        name: 'podinfo',
        phase: 'Progressing',
        revision: 'r2',
        weight: 50,
      });
      await waitFor(() => messages.length === 4);
      expect(ids(messages)).toEqual(['hello:2', 'canary:3', 'canary:4', 'canary:5']);
      const resumes = fake.requests
        .filter(r => r.path === '/api/v1/stream')
        .map(r => r.lastEventId);
      expect(resumes).toEqual([undefined, '2']);
      expect(errors.map(e => e.message)).toContain('controller prod stream was interrupted');
    });

    it('gets reset from a restarted controller that no longer knows the id', async () => {
      fake.set({ namespace: 'demo', name: 'podinfo', phase: 'Progressing', revision: 'r2' });
      const { messages } = follow();
      await waitFor(() => messages.length === 1);
      await fake.restart();
      await waitFor(() => messages.length === 2, { what: 'reset' });
      expect(messages[1]).toEqual({ kind: 'reset', id: '0' });
      expect(fake.requests.filter(r => r.path === '/api/v1/stream').pop()?.lastEventId).toBe('3');
    });

    it('delivers a message again when its handler failed', async () => {
      let failures = 1;
      const { messages, errors } = follow('0', async m => {
        if (m.kind === 'canary' && m.id === '2' && failures-- > 0)
          throw new Error('database is busy');
      });
      await waitFor(() => messages.length === 2);
      expect(ids(messages)).toEqual(['canary:1', 'canary:2']);
      expect(errors.map(e => e.message)).toEqual(['database is busy']);
      expect(
        fake.requests.filter(r => r.path === '/api/v1/stream').map(r => r.lastEventId),
      ).toEqual(['0', '1']);
    });

    it('keeps trying while the controller is down or refuses, then follows it', async () => {
      fake.failStream = 503;
      const { messages, errors } = follow();
      await waitFor(() => errors.length >= 3, { what: 'several refusals' });
      expect(errors[0]?.message).toBe('controller prod refused the stream (503)');
      fake.failStream = undefined;
      await waitFor(() => messages.length === 1);
      expect(messages[0]?.kind).toBe('hello');
    });

    it('stops for good when closed', async () => {
      const { messages, handle } = follow();
      await waitFor(() => messages.length === 1);
      handle.close();
      await waitFor(() => fake.openStreams === 0);
      const before = fake.requests.length;
      fake.set({ namespace: 'demo', name: 'podinfo', phase: 'Progressing', revision: 'r2' });
      await new Promise(r => setTimeout(r, 150));
      expect(fake.requests.length).toBe(before);
      expect(messages).toHaveLength(1);
    });

    it('does not take a slow handler for a silent connection', async () => {
      const patient = new HttpControllerClient(
        { name: 'prod', url: fake.url, token: fake.token },
        { stream: { ...FAST, idleTimeoutMs: 100 } },
      );
      const errors: Error[] = [];
      const handled: string[] = [];
      handles.push(
        patient.stream({
          lastEventId: '0',
          onMessage: async m => {
            await new Promise(r => setTimeout(r, 250));
            handled.push(`${m.kind}:${m.id}`);
          },
          onError: e => errors.push(e),
        }),
      );
      await waitFor(() => handled.length === 2);
      expect(handled).toEqual(['canary:1', 'canary:2']);
      expect(fake.requests.filter(r => r.path === '/api/v1/stream')).toHaveLength(1);
      expect(errors).toEqual([]);
    });

    it('drops a silent connection and reconnects', async () => {
      const quiet = new HttpControllerClient(
        { name: 'prod', url: fake.url, token: fake.token },
        { stream: { ...FAST, idleTimeoutMs: 150 } },
      );
      const errors: Error[] = [];
      handles.push(
        quiet.stream({ onMessage: async () => undefined, onError: e => errors.push(e) }),
      );
      await waitFor(() => fake.requests.filter(r => r.path === '/api/v1/stream').length >= 2, {
        what: 'a reconnect',
      });
      expect(errors[0]?.message).toBe('controller prod stream went silent; reconnecting');
    });
  });
});

describe('backoffDelay', () => {
  const timing = { initialDelayMs: 1_000, maxDelayMs: 30_000, idleTimeoutMs: 45_000 };
  it('doubles per attempt up to the cap, with jitter between half and all of it', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map(a => backoffDelay(a, timing, () => 1))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect(backoffDelay(2, timing, () => 0)).toBe(2_000);
  });
});
