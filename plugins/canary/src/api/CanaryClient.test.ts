import { ResponseError } from '@backstage/errors';
import type { CanaryStreamMessage } from '@aviary/backstage-plugin-canary-common';
import { CanaryClient } from './CanaryClient';
import { errorMessage } from './errors';
import type { StreamState } from './CanaryApi';

const BASE = 'http://backstage.test/api/canary';
const ref = { cluster: 'local', namespace: 'demo', name: 'pod info' };

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function errorResponse(status: number, message: string): Response {
  return jsonResponse(status, {
    error: { name: status === 404 ? 'NotFoundError' : 'Error', message },
    response: { statusCode: status },
  });
}

/** A body that hands out the given chunks, then ends (or stays open). */
function streamResponse(chunks: string[], stayOpen = false): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      if (!stayOpen) controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

function setup(respond: (url: string, init?: RequestInit) => Response | Promise<Response>) {
  const calls: Array<{ url: string; init?: RequestInit }> = [];
  const fetchApi = {
    fetch: jest.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      calls.push({ url, init });
      return respond(url, init);
    }),
  };
  const discoveryApi = { getBaseUrl: jest.fn(async () => BASE) };
  const client = new CanaryClient({
    discoveryApi,
    fetchApi: fetchApi as unknown as { fetch: typeof fetch },
    retry: { initialMs: 1, maxMs: 4 },
  });
  return { client, calls, discoveryApi };
}

describe('CanaryClient requests', () => {
  it('builds every URL under the discovered base, escaping path parts', async () => {
    const { client, calls, discoveryApi } = setup(() => jsonResponse(200, {}));
    await client.getEntityCanaries({ kind: 'Component', namespace: 'default', name: 'podinfo' });
    await client.getCanary(ref);
    await client.listRollouts(ref, { limit: 10, before: 'r-5' });
    await client.listRollouts(ref);
    await client.getRollout('r/1');
    await client.getOverview({ owner: 'group:default/team-a', phase: 'Failed' });
    await client.getOverview();
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('canary');
    expect(calls.map(c => c.url)).toEqual([
      `${BASE}/entity/Component/default/podinfo/canaries`,
      `${BASE}/clusters/local/namespaces/demo/canaries/pod%20info`,
      `${BASE}/clusters/local/namespaces/demo/canaries/pod%20info/rollouts?limit=10&before=r-5`,
      `${BASE}/clusters/local/namespaces/demo/canaries/pod%20info/rollouts`,
      `${BASE}/rollouts/r%2F1`,
      `${BASE}/canaries?owner=group%3Adefault%2Fteam-a&phase=Failed`,
      `${BASE}/canaries`,
    ]);
  });

  it('returns the parsed body', async () => {
    const { client } = setup(() => jsonResponse(200, { items: [], unreachable: ['prod'] }));
    await expect(client.getOverview()).resolves.toEqual({ items: [], unreachable: ['prod'] });
  });

  it('posts an action as JSON and returns the acknowledgement', async () => {
    const ack = { requestId: 'req-9', action: 'promote', ref };
    const { client, calls } = setup(() => jsonResponse(202, ack));
    await expect(
      client.requestAction(ref, { action: 'promote', reason: 'looks good', revision: 'abc' }),
    ).resolves.toEqual(ack);
    expect(calls[0]!.url).toBe(
      `${BASE}/clusters/local/namespaces/demo/canaries/pod%20info/actions`,
    );
    expect(calls[0]!.init?.method).toBe('POST');
    expect(JSON.parse(String(calls[0]!.init?.body))).toEqual({
      action: 'promote',
      reason: 'looks good',
      revision: 'abc',
    });
  });

  it('maps an error body to a ResponseError with the backend message', async () => {
    const { client } = setup(() => errorResponse(404, 'canary demo/nope not found'));
    const error = await client.getCanary(ref).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(errorMessage(error)).toBe('canary demo/nope not found (HTTP 404)');
    expect(error.body.error.name).toBe('NotFoundError');
  });

  it('maps a refused action', async () => {
    const { client } = setup(() => errorResponse(403, 'not allowed'));
    const error = await client.requestAction(ref, { action: 'abort', reason: 'x' }).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
  });
});

function collect() {
  const messages: CanaryStreamMessage[] = [];
  const states: Array<[StreamState, string | undefined]> = [];
  return {
    messages,
    states,
    handlers: {
      onMessage: (m: CanaryStreamMessage) => messages.push(m),
      onState: (s: StreamState, e?: Error) => states.push([s, e && errorMessage(e)]),
    },
  };
}

async function until(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise(r => setTimeout(r, 5));
  expect(check()).toBe(true);
}

const canaryMessage = { type: 'canary', canary: { name: 'podinfo', weight: 20 } };

describe('CanaryClient stream', () => {
  it('parses events split across chunks and skips garbage', async () => {
    const payload = JSON.stringify(canaryMessage);
    const text =
      `id: 1\nevent: canary\ndata: ${payload}\n\n` +
      `event: canary\ndata: {not json\n\n` +
      `event: ping\ndata: {}\n\n` +
      `event: canary\ndata: {"type":"other"}\n\n` +
      `event: rollout\ndata: {"type":"rollout","rollout":{"id":"r-1"}}\n\n`;
    // Chunks cut inside a line, inside the JSON and between \n\n.
    const chunks = [text.slice(0, 9), text.slice(9, 40), text.slice(40, 41), text.slice(41)];
    const { client, calls } = setup(() => streamResponse(chunks, true));
    const sink = collect();
    const sub = client.subscribe(sink.handlers);
    await until(() => sink.messages.length === 2);
    sub.close();
    expect(sink.messages).toEqual([canaryMessage, { type: 'rollout', rollout: { id: 'r-1' } }]);
    expect(calls[0]!.url).toBe(`${BASE}/stream`);
    expect((calls[0]!.init?.headers as Record<string, string>).Accept).toBe('text/event-stream');
    expect(sink.states.map(s => s[0])).toEqual(['connecting', 'open']);
  });

  it('decodes a multi-byte character split between chunks', async () => {
    const bytes = new TextEncoder().encode(
      `event: canary\ndata: ${JSON.stringify({ type: 'canary', canary: { name: 'é' } })}\n\n`,
    );
    const at = bytes.indexOf(0xc3) + 1; // inside "é"
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, at));
        controller.enqueue(bytes.slice(at));
      },
    });
    const { client } = setup(() => new Response(body, { status: 200 }));
    const sink = collect();
    const sub = client.subscribe(sink.handlers);
    await until(() => sink.messages.length === 1);
    sub.close();
    expect(sink.messages[0]).toEqual({ type: 'canary', canary: { name: 'é' } });
  });

  it('reconnects after a drop and a 503, resuming from the last event id', async () => {
    let attempt = 0;
    const { client, calls } = setup(() => {
      attempt += 1;
      if (attempt === 1) {
        return streamResponse([
          `id: 41\nevent: canary\ndata: ${JSON.stringify(canaryMessage)}\n\n`,
        ]);
      }
      if (attempt === 2) return errorResponse(503, 'controller restarting');
      return streamResponse(
        [`id: 42\nevent: canary\ndata: ${JSON.stringify(canaryMessage)}\n\n`],
        true,
      );
    });
    const sink = collect();
    const sub = client.subscribe(sink.handlers);
    await until(() => sink.messages.length === 2);
    sub.close();
    expect(calls).toHaveLength(3);
    expect((calls[1]!.init?.headers as Record<string, string>)['Last-Event-ID']).toBe('41');
    expect(sink.states).toEqual([
      ['connecting', undefined],
      ['open', undefined],
      ['retrying', 'The canary stream ended'],
      ['connecting', undefined],
      ['retrying', 'controller restarting (HTTP 503)'],
      ['connecting', undefined],
      ['open', undefined],
    ]);
  });

  it('gives up on a 401 and reports why', async () => {
    const { client, calls } = setup(() => errorResponse(401, 'token expired'));
    const sink = collect();
    client.subscribe(sink.handlers);
    await until(() => sink.states.some(s => s[0] === 'failed'));
    await new Promise(r => setTimeout(r, 20));
    expect(calls).toHaveLength(1);
    expect(sink.states[1]).toEqual(['failed', 'token expired (HTTP 401)']);
  });

  it('retries a network error and stops for good when closed', async () => {
    const { client, calls } = setup(() => Promise.reject(new TypeError('Failed to fetch')));
    const sink = collect();
    const sub = client.subscribe(sink.handlers);
    await until(() => calls.length >= 3);
    sub.close();
    const seen = calls.length;
    await new Promise(r => setTimeout(r, 30));
    expect(calls.length).toBe(seen);
    expect(sink.states).toContainEqual(['retrying', 'Failed to fetch']);
  });

  it('aborts the open request on close', async () => {
    let signal: AbortSignal | undefined;
    const { client } = setup((_url, init) => {
      signal = init?.signal ?? undefined;
      return streamResponse([], true);
    });
    const sink = collect();
    const sub = client.subscribe(sink.handlers);
    await until(() => sink.states.some(s => s[0] === 'open'));
    sub.close();
    expect(signal?.aborted).toBe(true);
  });
});
