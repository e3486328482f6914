import { podinfoCanary } from '../router/__fixtures__/canary.js';
import { startRecorder, unusedPort } from './__fixtures__/http-recorder.js';
import type { Recorder, Responder } from './__fixtures__/http-recorder.js';
import { HttpWebhookCaller, webhookTimeoutMs } from './caller.js';
import { hookPayload } from './payload.js';

const canary = { ...podinfoCanary(), status: { lastAppliedSpec: 'rev-1' } };
const servers: Recorder[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(s => s.close()));
});

async function serve(respond: Responder, tls = false) {
  const server = await startRecorder(respond, { tls });
  servers.push(server);
  return server;
}

const sleeps: number[] = [];
const caller = new HttpWebhookCaller({
  sleep: async ms => {
    sleeps.push(ms);
  },
});
beforeEach(() => sleeps.splice(0));

const payload = (hook: { name: string; url: string; metadata?: Record<string, string> }) =>
  hookPayload(canary, 'Progressing', hook);

describe('webhook caller', () => {
  it('U21 POSTs the JSON payload with the hook metadata', async () => {
    const s = await serve(() => ({ status: 200 }));
    const hook = {
      name: 'acceptance',
      url: `${s.url}/gate/approve`,
      metadata: { type: 'bash', cmd: 'curl x' },
    };
    await expect(caller.call(hook, payload(hook))).resolves.toEqual({
      ok: true,
      status: 200,
      attempts: 1,
    });
    const request = s.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/gate/approve');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual(payload(hook));
  });

  it('success is 200-202 only: 204 and 3xx fail with the body as the error', async () => {
    for (const [status, ok] of [
      [200, true],
      [201, true],
      [202, true],
      [204, false],
      [302, false],
    ] as const) {
      const s = await serve(() => ({ status, body: status === 204 ? undefined : 'nope' }));
      const hook = { name: 'h', url: s.url };
      const result = await caller.call(hook, payload(hook));
      expect([status, result.ok]).toEqual([status, ok]);
    }
    const s = await serve(() => ({ status: 403, body: 'Forbidden: gate closed\n' }));
    const hook = { name: 'gate', url: `${s.url}/gate/halt` };
    await expect(caller.call(hook, payload(hook))).resolves.toEqual({
      ok: false,
      status: 403,
      error: 'Forbidden: gate closed',
      attempts: 1,
    });
  });

  it('U21 a 500 is an error; without retries there is exactly one attempt', async () => {
    const s = await serve(() => ({ status: 500, body: 'boom' }));
    const hook = { name: 'h', url: s.url };
    await expect(caller.call(hook, payload(hook))).resolves.toMatchObject({
      ok: false,
      status: 500,
      error: 'boom',
    });
    expect(s.requests).toHaveLength(1);
  });

  it('U21 retries 1 after one 500 succeeds, backing off 1 s', async () => {
    const s = await serve((_req, i) => (i === 0 ? { status: 500 } : { status: 200 }));
    const hook = { name: 'h', url: s.url, retries: 1 };
    await expect(caller.call(hook, payload(hook))).resolves.toEqual({
      ok: true,
      status: 200,
      attempts: 2,
    });
    expect(sleeps).toEqual([1000]);
  });

  it('retries back off exponentially and give up after the last attempt', async () => {
    const s = await serve(() => ({ status: 503 }));
    const hook = { name: 'h', url: s.url, retries: 3 };
    await expect(caller.call(hook, payload(hook))).resolves.toMatchObject({
      ok: false,
      status: 503,
      attempts: 4,
    });
    expect(sleeps).toEqual([1000, 2000, 4000]);
  });

  it('client errors are not retried (a gate saying no is an answer)', async () => {
    const s = await serve(() => ({ status: 403 }));
    const hook = { name: 'h', url: s.url, retries: 3 };
    await expect(caller.call(hook, payload(hook))).resolves.toMatchObject({
      ok: false,
      attempts: 1,
    });
  });

  it('connection failures are retried and reported without the URL', async () => {
    const port = await unusedPort();
    const hook = { name: 'h', url: `http://127.0.0.1:${port}/secret-path?token=abc`, retries: 1 };
    const result = await caller.call(hook, payload(hook));
    expect(result).toEqual({ ok: false, error: 'request failed: ECONNREFUSED', attempts: 2 });
  });

  it('U21 a TLS hook with a self-signed certificate works with disableTLS and fails without', async () => {
    const s = await serve(() => ({ status: 200 }), true);
    const hook = { name: 'tls', url: s.url };
    const strict = await caller.call(hook, payload(hook));
    expect(strict.ok).toBe(false);
    await expect(caller.call({ ...hook, disableTLS: true }, payload(hook))).resolves.toMatchObject({
      ok: true,
    });
  });

  it('times out after the hook timeout', async () => {
    const s = await serve(() => ({ status: 200, delayMs: 1000 }));
    const hook = { name: 'slow', url: s.url, timeout: '100ms' };
    await expect(caller.call(hook, payload(hook))).resolves.toEqual({
      ok: false,
      error: 'timed out after 100ms',
      attempts: 1,
    });
  });

  it('timeout defaults: empty or shorter than 2 characters means 10s; garbage is an error', async () => {
    expect(webhookTimeoutMs({ name: 'h', url: 'u' })).toBe(10_000);
    expect(webhookTimeoutMs({ name: 'h', url: 'u', timeout: '5' })).toBe(10_000);
    expect(webhookTimeoutMs({ name: 'h', url: 'u', timeout: '1m30s' })).toBe(90_000);
    const hook = { name: 'h', url: 'http://127.0.0.1:1', timeout: 'soon' };
    await expect(caller.call(hook, payload(hook))).resolves.toEqual({
      ok: false,
      error: 'invalid timeout "soon"',
      attempts: 0,
    });
  });

  it('an invalid URL fails without an attempt on the network', async () => {
    const hook = { name: 'h', url: 'not a url', retries: 2 };
    await expect(caller.call(hook, payload(hook))).resolves.toMatchObject({
      ok: false,
      attempts: 1,
    });
    expect(sleeps).toEqual([]);
  });
});
