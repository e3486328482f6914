// EventRecorder against the emulated API server: Event shape, aggregation of repeats (also
// across a restart), and that failures are logged, never thrown.
import { createEventRecorder, type CoreEvent } from './events.js';
import { CANARIES, CONFIGMAPS, EVENTS } from './resources.js';
import { startTestCluster, type TestCluster } from './test-support/cluster.js';
import type { KubeObject, Logger } from './types.js';
import type { ObjectWriter } from './writer.js';

let cluster: TestCluster;
let ns: string;
let subject: KubeObject;

beforeAll(async () => {
  cluster = await startTestCluster();
  ns = await cluster.namespace('events');
  subject = await cluster.writer.create(CONFIGMAPS, {
    metadata: { name: 'podinfo', namespace: ns },
  });
});
afterAll(() => cluster.stop());

/** A clock the test moves by hand. */
function manualClock(start = '2030-01-02T03:04:05.678Z') {
  let now = new Date(start).getTime();
  return {
    clock: () => new Date(now),
    advance: (ms: number) => (now += ms),
  };
}

function recordingLogger() {
  const warnings: Array<{ message: string; fields?: Record<string, unknown> }> = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (message, fields) => warnings.push({ message, fields }),
    error: (message, fields) => warnings.push({ message, fields }),
  };
  return { logger, warnings };
}

const eventsIn = async (namespace: string) =>
  (
    await cluster.client.request<{ items: CoreEvent[] }>({
      method: 'GET',
      path: `/api/v1/namespaces/${namespace}/events`,
    })
  ).items;

const eventsAbout = async (name: string, reason?: string) =>
  (await eventsIn(ns)).filter(
    e => e.involvedObject.name === name && (reason === undefined || e.reason === reason),
  );

describe('EventRecorder', () => {
  it('writes a core/v1 Event on the object, with uid, source and timestamps', async () => {
    const { clock } = manualClock();
    const recorder = createEventRecorder({ writer: cluster.writer, clock, host: 'pod-a' });
    await recorder.record({ object: subject }, 'Normal', 'Synced', 'Initialization done!');
    const [event, ...others] = await eventsAbout('podinfo', 'Synced');
    expect(others).toEqual([]);
    expect(event).toMatchObject({
      involvedObject: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'podinfo',
        namespace: ns,
        uid: subject.metadata?.uid,
      },
      reason: 'Synced',
      message: 'Initialization done!',
      type: 'Normal',
      count: 1,
      firstTimestamp: '2030-01-02T03:04:05Z',
      lastTimestamp: '2030-01-02T03:04:05Z',
      source: { component: 'aviary-controller', host: 'pod-a' },
      reportingComponent: 'aviary-controller',
      reportingInstance: 'pod-a',
    });
  });

  it('aggregates repeats of the same message into one Event with a count', async () => {
    const { clock, advance } = manualClock();
    const recorder = createEventRecorder({ writer: cluster.writer, clock });
    for (let i = 0; i < 3; i++) {
      await recorder.record({ object: subject }, 'Warning', 'NotReady', 'primary not ready');
      advance(61_000);
    }
    const events = await eventsAbout('podinfo', 'NotReady');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      count: 3,
      firstTimestamp: '2030-01-02T03:04:05Z',
      lastTimestamp: '2030-01-02T03:06:07Z',
      type: 'Warning',
    });
  });

  it('keeps different messages, reasons and types apart', async () => {
    const recorder = createEventRecorder({ writer: cluster.writer });
    await recorder.record({ object: subject }, 'Normal', 'Apart', 'one');
    await recorder.record({ object: subject }, 'Normal', 'Apart', 'two');
    await recorder.record({ object: subject }, 'Warning', 'Apart', 'one');
    await recorder.record({ object: subject }, 'Normal', 'Apart2', 'one');
    const apart = (await eventsAbout('podinfo')).filter(e => e.reason.startsWith('Apart'));
    expect(apart.map(e => `${e.type} ${e.reason} ${e.message} ${e.count}`).sort()).toEqual([
      'Normal Apart one 1',
      'Normal Apart two 1',
      'Normal Apart2 one 1',
      'Warning Apart one 1',
    ]);
  });

  it('counts concurrent repeats exactly', async () => {
    const recorder = createEventRecorder({ writer: cluster.writer });
    await Promise.all(
      Array.from({ length: 5 }, () =>
        recorder.record({ object: subject }, 'Normal', 'Burst', 'same thing'),
      ),
    );
    const events = await eventsAbout('podinfo', 'Burst');
    expect(events.map(e => e.count)).toEqual([5]);
  });

  it('continues the count after a restart (a new recorder finds the existing Event)', async () => {
    const first = createEventRecorder({ writer: cluster.writer });
    await first.record({ object: subject }, 'Normal', 'Restart', 'again');
    await first.record({ object: subject }, 'Normal', 'Restart', 'again');
    const second = createEventRecorder({ writer: cluster.writer });
    await second.record({ object: subject }, 'Normal', 'Restart', 'again');
    expect((await eventsAbout('podinfo', 'Restart')).map(e => e.count)).toEqual([3]);
  });

  it('starts a new Event when the aggregated one has expired', async () => {
    const recorder = createEventRecorder({ writer: cluster.writer });
    await recorder.record({ object: subject }, 'Normal', 'Expiring', 'short-lived');
    const [event] = await eventsAbout('podinfo', 'Expiring');
    await cluster.writer.delete(EVENTS, ns, event?.metadata?.name ?? '');
    await recorder.record({ object: subject }, 'Normal', 'Expiring', 'short-lived');
    expect((await eventsAbout('podinfo', 'Expiring')).map(e => e.count)).toEqual([1]);
  });

  it('fills apiVersion and kind from the resource type for objects that lack them', async () => {
    const recorder = createEventRecorder({ writer: cluster.writer });
    const bare = { metadata: { name: 'my-canary', namespace: ns, uid: 'u-1' } };
    await recorder.record({ object: bare, type: CANARIES }, 'Normal', 'Synced', 'hello');
    const [event] = await eventsAbout('my-canary');
    expect(event?.involvedObject).toMatchObject({
      apiVersion: 'aviary.dev/v1beta1',
      kind: 'Canary',
      uid: 'u-1',
    });
  });

  it('truncates very long messages', async () => {
    const recorder = createEventRecorder({ writer: cluster.writer });
    await recorder.record({ object: subject }, 'Warning', 'Long', 'x'.repeat(5000));
    const [event] = await eventsAbout('podinfo', 'Long');
    expect(event?.message).toHaveLength(1024);
    expect(event?.message.endsWith('...')).toBe(true);
  });

  it('never throws: a failed write is logged (namespace gone, server error)', async () => {
    const { logger, warnings } = recordingLogger();
    const recorder = createEventRecorder({ writer: cluster.writer, logger });
    const orphan = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'no-such-ns' },
    };
    await expect(
      recorder.record({ object: orphan }, 'Warning', 'Lost', 'nobody hears this'),
    ).resolves.toBeUndefined();
    const broken: ObjectWriter = {
      ...cluster.writer,
      create: () => Promise.reject(new Error('boom')),
    };
    const failing = createEventRecorder({ writer: broken, logger });
    await expect(failing.record({ object: subject }, 'Normal', 'X', 'y')).resolves.toBeUndefined();
    expect(warnings.map(w => [w.message, w.fields?.reason])).toEqual([
      ['could not record event', 'Lost'],
      ['could not record event', 'X'],
    ]);
    expect(String(warnings[1]?.fields?.error)).toBe('boom');
  });
});
