import type { Logger } from '../../kube/index.js';
import { startProbeServer, type ProbeServer } from '../server.js';
import { ControllerApi } from './api.js';
import { ChangeRing } from './ring.js';
import { canary, FakeCanaries, recordingWriter } from './test-fakes.js';

interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** Reads SSE events from a response until `stop` says so (then disconnects). */
async function collect(res: Response, stop: (events: SseEvent[]) => boolean): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    while (!stop(events)) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const e: SseEvent = { event: 'message', data: '' };
        let hasData = false;
        for (const line of block.split('\n')) {
          const [field, ...rest] = line.split(':');
          const value = rest.join(':').replace(/^ /, '');
          if (field === 'id') e.id = value;
          if (field === 'event') e.event = value;
          if (field === 'data') {
            e.data = value;
            hasData = true;
          }
        }
        if (hasData) events.push(e);
      }
    }
  } finally {
    await reader.cancel();
  }
  return events;
}

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('change ring', () => {
  it('hands entries after an id, or reset when they fell out', () => {
    const ring = new ChangeRing<number>(3);
    for (let i = 1; i <= 5; i++) ring.push('x', i);
    expect(ring.since(5)).toEqual([]);
    expect(ring.since(3)).toEqual([
      { id: 4, event: 'x', data: 4 },
      { id: 5, event: 'x', data: 5 },
    ]);
    expect(ring.since(2)).toHaveLength(3);
    expect(ring.since(1)).toBe('reset');
    expect(ring.since(9)).toBe('reset');
  });
});

describe('GET /api/v1/stream', () => {
  let server: ProbeServer;
  let api: ControllerApi;
  const canaries = new FakeCanaries();
  const url = (path: string) => `http://127.0.0.1:${server.port}/api/v1${path}`;

  beforeAll(async () => {
    api = new ControllerApi({
      sources: {
        canaries,
        virtualServices: { get: () => undefined },
        deployments: { get: () => undefined },
      },
      writer: recordingWriter([]),
      tokens: () => [],
      openReads: true,
      log: quiet,
      ringCapacity: 10,
      heartbeatMs: 20,
    });
    server = await startProbeServer({
      port: 0,
      host: '127.0.0.1',
      metrics: async () => ({ contentType: 'text/plain', body: '' }),
      readiness: () => ({ synced: true, role: 'standalone' }),
      api,
    });
  });
  afterAll(async () => {
    api.close();
    await server.close();
  });

  it('resumes after a forced disconnect without missing a transition', async () => {
    canaries.put(canary('ns', 'app', { phase: 'Initialized' }));
    const first = await fetch(url('/stream'));
    expect(first.headers.get('content-type')).toBe('text/event-stream');
    setTimeout(
      () => canaries.put(canary('ns', 'app', { phase: 'Progressing', canaryWeight: 10 })),
      20,
    );
    const seen = await collect(first, events => events.some(e => e.event === 'canary'));
    expect(seen[0]!.event).toBe('hello');
    const last = seen.at(-1)!;
    expect(JSON.parse(last.data)).toMatchObject({
      type: 'update',
      canary: { phase: 'Progressing', weight: 10 },
    });

    // Disconnected: transitions happen meanwhile (a status-only repeat is not a change).
    canaries.put(canary('ns', 'app', { phase: 'Progressing', canaryWeight: 20 }));
    canaries.put(canary('ns', 'app', { phase: 'Progressing', canaryWeight: 20 }));
    canaries.put(canary('ns', 'app', { phase: 'Succeeded', canaryWeight: 0 }));

    const resumed = await fetch(url('/stream'), { headers: { 'last-event-id': last.id! } });
    const after = await collect(resumed, events => events.length >= 2);
    expect(
      after.map(e => JSON.parse(e.data) as { canary: { phase: string; weight: number } }),
    ).toEqual([
      expect.objectContaining({
        canary: expect.objectContaining({ phase: 'Progressing', weight: 20 }),
      }),
      expect.objectContaining({
        canary: expect.objectContaining({ phase: 'Succeeded', weight: 0 }),
      }),
    ]);
    expect(after.map(e => Number(e.id))).toEqual([Number(last.id) + 1, Number(last.id) + 2]);
  });

  it('sends reset when the requested id fell out of the ring; 400 for a malformed id', async () => {
    for (let i = 1; i <= 15; i++)
      canaries.put(canary('ns', 'other', { phase: 'Progressing', canaryWeight: i }));
    const res = await fetch(url('/stream'), { headers: { 'last-event-id': '1' } });
    const events = await collect(res, e => e.length >= 1);
    expect(events[0]!.event).toBe('reset');
    expect(Number(events[0]!.id)).toBe(api.ring.lastId);
    const bad = await fetch(url('/stream?lastEventId=abc'));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'lastEventId' });
  });

  it('filters by namespace', async () => {
    const res = await fetch(url('/stream?namespace=two'));
    setTimeout(() => {
      canaries.put(canary('one', 'a', { phase: 'Progressing' }));
      canaries.put(canary('two', 'b', { phase: 'Progressing' }));
    }, 20);
    const events = await collect(res, e => e.some(x => x.event === 'canary'));
    expect(events.filter(e => e.event === 'canary').map(e => JSON.parse(e.data) as object)).toEqual(
      [
        expect.objectContaining({
          canary: expect.objectContaining({ namespace: 'two', name: 'b' }),
        }),
      ],
    );
  });
});
