/**
 * Watches and client-node informers: the ADDED/MODIFIED/DELETED stream, resumption from a
 * resourceVersion, bookmarks, initial events, 410 Gone after compaction, and informers that
 * list, watch, resume after dropped connections and relist (without lost or ghost objects)
 * when their position has been compacted away while changes keep happening.
 */
import * as k8s from '@kubernetes/client-node';
import { startKubeEmulator } from '../../src/index.js';
import type { KubeEmulator } from '../../src/index.js';
import type { Clients, RawWatch } from '../support/kube-client.js';
import { asMergePatch, clientsFor, eventually, raw, rawWatch } from '../support/kube-client.js';

let emulator: KubeEmulator;
let c: Clients;

beforeAll(async () => {
  emulator = await startKubeEmulator({ rolloutDelayMs: 20, bookmarkIntervalMs: 50 });
  c = clientsFor(emulator);
});
afterAll(() => emulator.stop());

const namespace = async (name: string) => {
  await c.core.createNamespace({ body: { metadata: { name } } });
  return name;
};
const createCm = (
  ns: string,
  name: string,
  labels?: Record<string, string>,
  data?: Record<string, string>,
) =>
  c.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name, labels }, data } });
const patchCm = (ns: string, name: string, body: object) =>
  c.core.patchNamespacedConfigMap({ name, namespace: ns, body }, asMergePatch());
const deleteCm = (ns: string, name: string) =>
  c.core.deleteNamespacedConfigMap({ name, namespace: ns });

/** Something that changes the cluster's resourceVersion without touching ConfigMaps. */
let bumps = 0;
const bumpResourceVersion = () =>
  c.core.createNamespacedSecret({
    namespace: 'default',
    body: { metadata: { name: `bump-${++bumps}` } },
  });

interface Harness {
  informer: k8s.Informer<k8s.V1ConfigMap> & k8s.ObjectCache<k8s.V1ConfigMap>;
  /** [verb, name] per callback, in order. */
  log: Array<[string, string]>;
  lists(): number;
  connects(): number;
  errors: unknown[];
  /** While closed, the informer's list call waits (the informer is then neither listing nor watching). */
  gate: { close(): void; open(): void };
  stop(): Promise<void>;
}

function configMapInformer(ns: string, labelSelector?: string): Harness {
  let lists = 0;
  let connects = 0;
  let gateOpen: Promise<void> = Promise.resolve();
  let release: () => void = () => undefined;
  const listFn = async () => {
    lists++;
    await gateOpen;
    return c.core.listNamespacedConfigMap({ namespace: ns, labelSelector });
  };
  const informer = k8s.makeInformer(
    c.kc,
    `/api/v1/namespaces/${ns}/configmaps`,
    listFn,
    labelSelector,
  );
  const log: Array<[string, string]> = [];
  const errors: unknown[] = [];
  informer.on('add', o => log.push(['add', o.metadata?.name ?? '']));
  informer.on('update', o => log.push(['update', o.metadata?.name ?? '']));
  informer.on('delete', o => log.push(['delete', o.metadata?.name ?? '']));
  informer.on('connect', () => connects++);
  informer.on('error', e => errors.push(e));
  return {
    informer,
    log,
    errors,
    lists: () => lists,
    connects: () => connects,
    gate: {
      close: () => {
        gateOpen = new Promise(r => (release = r));
      },
      open: () => release(),
    },
    stop: () => informer.stop(),
  };
}

/** name → resourceVersion, sorted, of what the informer holds and of what the server stores. */
const cacheState = (h: Harness, ns: string) =>
  Object.fromEntries(
    h.informer
      .list(ns)
      .map((o): [string, string] => [o.metadata?.name ?? '', o.metadata?.resourceVersion ?? ''])
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
const serverState = async (ns: string, labelSelector?: string) =>
  Object.fromEntries(
    (await c.core.listNamespacedConfigMap({ namespace: ns, labelSelector })).items
      .map((o): [string, string] => [o.metadata?.name ?? '', o.metadata?.resourceVersion ?? ''])
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
const converged = async (h: Harness, ns: string, labelSelector?: string) => {
  await eventually(
    async () =>
      JSON.stringify(cacheState(h, ns)) === JSON.stringify(await serverState(ns, labelSelector)),
    10_000,
    'informer cache to match the server',
  );
  expect(cacheState(h, ns)).toEqual(await serverState(ns, labelSelector));
};

describe('raw watch protocol', () => {
  let w: RawWatch | undefined;
  afterEach(() => w?.close());

  it('streams ADDED, MODIFIED and DELETED after the given resourceVersion, in order', async () => {
    const ns = await namespace('w-stream');
    const before = await createCm(ns, 'existing');
    w = await rawWatch(
      emulator,
      `/api/v1/namespaces/${ns}/configmaps?watch=1&resourceVersion=${before.metadata?.resourceVersion}`,
    );
    expect(w.status).toBe(200);
    const created = await createCm(ns, 'a', undefined, { v: '1' });
    const updated = await patchCm(ns, 'a', { data: { v: '2' } });
    await deleteCm(ns, 'a');
    await w.next(e => e.type === 'DELETED');
    expect(w.events.map(e => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'a'],
      ['MODIFIED', 'a'],
      ['DELETED', 'a'],
    ]);
    const [added, modified, deleted] = w.events;
    expect(added?.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', data: { v: '1' } });
    expect(added?.object.metadata.resourceVersion).toBe(created.metadata?.resourceVersion);
    expect(modified?.object.metadata.resourceVersion).toBe(updated.metadata?.resourceVersion);
    expect(modified?.object.data).toEqual({ v: '2' });
    expect(Number(deleted?.object.metadata.resourceVersion)).toBeGreaterThan(
      Number(updated.metadata?.resourceVersion),
    );
  });

  it('starts with synthetic ADDED events for existing objects when no resourceVersion is given', async () => {
    const ns = await namespace('w-initial');
    await createCm(ns, 'one');
    await createCm(ns, 'two');
    w = await rawWatch(emulator, `/api/v1/namespaces/${ns}/configmaps?watch=true`);
    await w.next(e => e.object.metadata.name === 'two');
    await createCm(ns, 'three');
    await w.next(e => e.object.metadata.name === 'three');
    expect(w.events.map(e => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED one',
      'ADDED two',
      'ADDED three',
    ]);
  });

  it('replays history when resuming from an older resourceVersion', async () => {
    const ns = await namespace('w-resume');
    const first = await createCm(ns, 'r1');
    await createCm(ns, 'r2');
    await patchCm(ns, 'r1', { data: { x: 'y' } });
    w = await rawWatch(
      emulator,
      `/api/v1/namespaces/${ns}/configmaps?watch=1&resourceVersion=${first.metadata?.resourceVersion}`,
    );
    await w.next(e => e.type === 'MODIFIED');
    expect(w.events.map(e => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED r2',
      'MODIFIED r1',
    ]);
  });

  it('sends BOOKMARK events when asked, carrying the current resourceVersion', async () => {
    const ns = await namespace('w-bookmark');
    const rv = emulator.resourceVersion();
    w = await rawWatch(
      emulator,
      `/api/v1/namespaces/${ns}/configmaps?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true`,
    );
    const bookmark = await w.next(e => e.type === 'BOOKMARK');
    expect(bookmark.object).toEqual({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { resourceVersion: expect.stringMatching(/^\d+$/) },
    });
    expect(Number(bookmark.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(rv);
    const plain = await rawWatch(
      emulator,
      `/api/v1/namespaces/${ns}/configmaps?watch=1&resourceVersion=${rv}`,
    );
    try {
      await createCm(ns, 'after');
      await w.next(e => e.type === 'BOOKMARK' && Number(e.object.metadata.resourceVersion) > rv);
      await plain.next(e => e.type === 'ADDED');
      expect(plain.events.map(e => e.type)).toEqual(['ADDED']);
    } finally {
      plain.close();
    }
  });

  it('sends initial events then an initial-events-end bookmark with sendInitialEvents', async () => {
    const ns = await namespace('w-sie');
    await createCm(ns, 'x1');
    await createCm(ns, 'x2');
    w = await rawWatch(
      emulator,
      `/api/v1/namespaces/${ns}/configmaps?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan`,
    );
    const end = await w.next(e => e.type === 'BOOKMARK');
    expect(end.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    expect(w.events.slice(0, 3).map(e => `${e.type} ${e.object.metadata.name ?? ''}`)).toEqual([
      'ADDED x1',
      'ADDED x2',
      'BOOKMARK ',
    ]);
  });

  it('applies label selectors to watches, reporting objects entering and leaving the selection', async () => {
    const ns = await namespace('w-select');
    const rv = emulator.resourceVersion();
    w = await rawWatch(
      emulator,
      `/api/v1/namespaces/${ns}/configmaps?watch=1&resourceVersion=${rv}&labelSelector=app%3Dweb`,
    );
    await createCm(ns, 'other', { app: 'db' });
    await createCm(ns, 'web', { app: 'web' });
    await patchCm(ns, 'web', { metadata: { labels: { app: 'db' } } });
    await patchCm(ns, 'other', { metadata: { labels: { app: 'web' } } });
    await patchCm(ns, 'other', { data: { k: 'v' } });
    await w.next(e => e.type === 'MODIFIED');
    expect(w.events.map(e => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED web',
      'DELETED web',
      'ADDED other',
      'MODIFIED other',
    ]);
  });

  it('applies field selectors to watches', async () => {
    const ns = await namespace('w-field');
    const rv = emulator.resourceVersion();
    w = await rawWatch(
      emulator,
      `/api/v1/namespaces/${ns}/configmaps?watch=1&resourceVersion=${rv}&fieldSelector=metadata.name%3Dpicked`,
    );
    await createCm(ns, 'ignored');
    await createCm(ns, 'picked');
    await w.next(e => e.object.metadata.name === 'picked');
    expect(w.events.map(e => e.object.metadata.name)).toEqual(['picked']);
  });

  it('presents shared-storage events in each watcher’s own API (core/v1 and events.k8s.io/v1)', async () => {
    const ns = await namespace('w-events');
    const rv = emulator.resourceVersion();
    const coreWatch = await rawWatch(
      emulator,
      `/api/v1/namespaces/${ns}/events?watch=1&resourceVersion=${rv}`,
    );
    const v1Watch = await rawWatch(
      emulator,
      `/apis/events.k8s.io/v1/namespaces/${ns}/events?watch=1&resourceVersion=${rv}`,
    );
    try {
      await c.core.createNamespacedEvent({
        namespace: ns,
        body: {
          metadata: { name: 'e1' },
          involvedObject: { kind: 'Pod', name: 'p' },
          reason: 'Started',
          message: 'hello',
        },
      });
      const core = await coreWatch.next(e => e.type === 'ADDED');
      const v1 = await v1Watch.next(e => e.type === 'ADDED');
      expect(core.object).toMatchObject({
        apiVersion: 'v1',
        kind: 'Event',
        message: 'hello',
        involvedObject: { name: 'p' },
      });
      expect(v1.object).toMatchObject({
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        note: 'hello',
        regarding: { name: 'p' },
      });
      expect(v1.object.message).toBeUndefined();
    } finally {
      coreWatch.close();
      v1Watch.close();
    }
  });

  it('answers 410 Gone (an ERROR event with an Expired Status) for a compacted resourceVersion', async () => {
    const ns = await namespace('w-gone');
    const old = await createCm(ns, 'old');
    await createCm(ns, 'newer');
    emulator.compactHistory();
    w = await rawWatch(
      emulator,
      `/api/v1/namespaces/${ns}/configmaps?watch=1&resourceVersion=${old.metadata?.resourceVersion}`,
    );
    expect(w.status).toBe(200);
    await w.ended;
    expect(w.events).toEqual([
      {
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `too old resource version: ${old.metadata?.resourceVersion} (${emulator.resourceVersion()})`,
          reason: 'Expired',
          code: 410,
        },
      },
    ]);
    // The current position is still watchable after compaction.
    const fresh = await rawWatch(
      emulator,
      `/api/v1/namespaces/${ns}/configmaps?watch=1&resourceVersion=${emulator.resourceVersion()}`,
    );
    try {
      await createCm(ns, 'newest');
      await fresh.next(e => e.type === 'ADDED');
      expect(fresh.events.map(e => e.object.metadata.name)).toEqual(['newest']);
    } finally {
      fresh.close();
    }
  });

  it('ends a watch after timeoutSeconds', async () => {
    const ns = await namespace('w-timeout');
    w = await rawWatch(
      emulator,
      `/api/v1/namespaces/${ns}/configmaps?watch=1&resourceVersion=${emulator.resourceVersion()}&timeoutSeconds=1`,
    );
    await w.ended;
    expect(w.events).toEqual([]);
  });

  it('ends open watches on dropWatches()', async () => {
    const ns = await namespace('w-drop');
    w = await rawWatch(
      emulator,
      `/api/v1/namespaces/${ns}/configmaps?watch=1&resourceVersion=${emulator.resourceVersion()}`,
    );
    emulator.dropWatches();
    await w.ended;
    const res = await raw(emulator, 'GET', `/api/v1/namespaces/${ns}/configmaps`);
    expect(res.status).toBe(200);
  });
});

describe('client-node informers', () => {
  it('lists, then delivers add, update and delete callbacks and keeps its cache current', async () => {
    const ns = await namespace('inf-basic');
    await createCm(ns, 'pre');
    const h = configMapInformer(ns);
    try {
      await h.informer.start();
      await eventually(() => h.informer.get('pre', ns));
      await createCm(ns, 'a', undefined, { v: '1' });
      await eventually(() => h.informer.get('a', ns));
      await patchCm(ns, 'a', { data: { v: '2' } });
      await eventually(() => h.informer.get('a', ns)?.data?.v === '2');
      await deleteCm(ns, 'a');
      await eventually(() => h.informer.get('a', ns) === undefined);
      expect(h.log).toEqual([
        ['add', 'pre'],
        ['add', 'a'],
        ['update', 'a'],
        ['delete', 'a'],
      ]);
      expect(h.lists()).toBe(1);
      expect(h.errors).toEqual([]);
      await converged(h, ns);
    } finally {
      await h.stop();
    }
  });

  it('honours a label selector, treating objects that leave the selection as deleted', async () => {
    const ns = await namespace('inf-select');
    await createCm(ns, 'in', { tier: 'gold' });
    await createCm(ns, 'out', { tier: 'bronze' });
    const h = configMapInformer(ns, 'tier=gold');
    try {
      await h.informer.start();
      await eventually(() => h.informer.get('in', ns));
      await patchCm(ns, 'out', { metadata: { labels: { tier: 'gold' } } });
      await eventually(() => h.informer.get('out', ns));
      await patchCm(ns, 'in', { metadata: { labels: { tier: 'silver' } } });
      await eventually(() => h.informer.get('in', ns) === undefined);
      expect(h.log).toEqual([
        ['add', 'in'],
        ['add', 'out'],
        ['delete', 'in'],
      ]);
      await converged(h, ns, 'tier=gold');
    } finally {
      await h.stop();
    }
  });

  it('resumes from its resourceVersion after dropWatches(), without relisting or losing events', async () => {
    const ns = await namespace('inf-resume');
    await createCm(ns, 'base');
    const h = configMapInformer(ns);
    try {
      await h.informer.start();
      await eventually(() => h.informer.get('base', ns));
      const connectsBefore = h.connects();
      emulator.dropWatches();
      // Changes made while the informer reconnects are replayed from the watch history.
      await createCm(ns, 'during');
      await patchCm(ns, 'base', { data: { changed: 'yes' } });
      await eventually(() => h.connects() > connectsBefore, 10_000, 'informer to reconnect');
      await createCm(ns, 'after');
      await deleteCm(ns, 'during');
      await eventually(() => h.informer.get('after', ns) && !h.informer.get('during', ns));
      expect(h.informer.get('base', ns)?.data).toEqual({ changed: 'yes' });
      expect(h.lists()).toBe(1);
      expect(h.log).toEqual([
        ['add', 'base'],
        ['add', 'during'],
        ['update', 'base'],
        ['add', 'after'],
        ['delete', 'during'],
      ]);
      expect(h.errors).toEqual([]);
      await converged(h, ns);
    } finally {
      await h.stop();
    }
  });

  it('relists after a 410 when its position was compacted away, dropping ghosts and finding missed objects', async () => {
    const ns = await namespace('inf-relist');
    for (let i = 0; i < 5; i++) await createCm(ns, `keep-${i}`, undefined, { n: '0' });
    for (let i = 0; i < 5; i++) await createCm(ns, `ghost-${i}`);
    const h = configMapInformer(ns);
    let writing = true;
    const writer = (async () => {
      // Changes keep happening throughout: updates of existing objects and new ones.
      for (let n = 1; writing; n++) {
        await patchCm(ns, `keep-${n % 5}`, { data: { n: String(n) } });
        if (n % 7 === 0) await createCm(ns, `bg-${n}`);
      }
    })();
    try {
      await h.informer.start();
      await eventually(() => h.informer.list(ns).length >= 10);

      // Close the gate so the informer's relist waits, then move the cluster on and forget history.
      h.gate.close();
      await bumpResourceVersion();
      emulator.compactHistory();
      emulator.dropWatches();
      await eventually(() => h.lists() === 2, 10_000, 'informer to relist after 410');

      // While it is neither listing nor watching: deletions and creations it cannot see as events.
      for (let i = 0; i < 5; i++) await deleteCm(ns, `ghost-${i}`);
      for (let i = 0; i < 3; i++) await createCm(ns, `missed-${i}`);
      h.gate.open();

      await eventually(
        () => h.informer.get('missed-2', ns),
        10_000,
        'relist to find missed objects',
      );
      for (let i = 0; i < 5; i++) expect(h.informer.get(`ghost-${i}`, ns)).toBeUndefined();
      // Keep writing for a while after the relist, through the new watch.
      const target = emulator.resourceVersion() + 20;
      await eventually(() => emulator.resourceVersion() >= target);
    } finally {
      writing = false;
      await writer;
    }
    try {
      await converged(h, ns);
      const deleted = h.log.filter(([verb]) => verb === 'delete').map(([, name]) => name);
      expect(deleted.sort()).toEqual(['ghost-0', 'ghost-1', 'ghost-2', 'ghost-3', 'ghost-4']);
      const added = h.log.filter(([verb]) => verb === 'add').map(([, name]) => name);
      expect(added).toEqual(expect.arrayContaining(['missed-0', 'missed-1', 'missed-2']));
      expect(new Set(added).size).toBe(added.length);
      expect(h.lists()).toBe(2);
      expect(h.errors).toEqual([]);
    } finally {
      await h.stop();
    }
  });

  it('converges after repeated compactions and dropped watches under continuous writes', async () => {
    const ns = await namespace('inf-storm');
    const h = configMapInformer(ns);
    let writing = true;
    const writers = [0, 1, 2].map(async id => {
      for (let n = 0; writing; n++) {
        const name = `w${id}-${n % 6}`;
        const step = n % 3;
        try {
          if (step === 0) await createCm(ns, name, { id: String(id) });
          else if (step === 1) await patchCm(ns, name, { data: { n: String(n) } });
          else if (n % 2 === 0) await deleteCm(ns, name);
        } catch (e) {
          // Creating an object that still exists or deleting one already gone is expected here.
          if (!(e instanceof k8s.ApiException) || (e.code !== 409 && e.code !== 404)) throw e;
        }
      }
    });
    try {
      await h.informer.start();
      for (let round = 0; round < 4; round++) {
        const lists = h.lists();
        await bumpResourceVersion();
        emulator.compactHistory();
        emulator.dropWatches();
        await eventually(() => h.lists() > lists, 10_000, `relist in round ${round}`);
      }
    } finally {
      writing = false;
      await Promise.all(writers);
    }
    try {
      await converged(h, ns);
      expect(h.lists()).toBeGreaterThanOrEqual(5);
      expect(h.errors).toEqual([]);
    } finally {
      await h.stop();
    }
  });

  it('informs on custom resources', async () => {
    const ns = await namespace('inf-crd');
    await c.apiextensions.createCustomResourceDefinition({
      body: {
        metadata: { name: 'canaries.flagger.example' },
        spec: {
          group: 'flagger.example',
          scope: 'Namespaced',
          names: { plural: 'canaries', kind: 'Canary' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              subresources: { status: {} },
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: { type: 'object', properties: { weight: { type: 'integer' } } },
                    status: { type: 'object', properties: { phase: { type: 'string' } } },
                  },
                },
              },
            },
          ],
        },
      },
    });
    const events: string[] = [];
    const informer = k8s.makeInformer<k8s.KubernetesObject & { status?: { phase?: string } }>(
      c.kc,
      `/apis/flagger.example/v1/namespaces/${ns}/canaries`,
      () =>
        c.custom.listNamespacedCustomObject({
          group: 'flagger.example',
          version: 'v1',
          namespace: ns,
          plural: 'canaries',
        }) as Promise<k8s.KubernetesListObject<k8s.KubernetesObject>>,
    );
    informer.on('add', o => events.push(`add ${o.metadata?.name}`));
    informer.on('update', o => events.push(`update ${o.metadata?.name} ${o.status?.phase ?? ''}`));
    informer.on('delete', o => events.push(`delete ${o.metadata?.name}`));
    try {
      await informer.start();
      const body = {
        apiVersion: 'flagger.example/v1',
        kind: 'Canary',
        metadata: { name: 'podinfo' },
        spec: { weight: 0 },
      };
      await c.custom.createNamespacedCustomObject({
        group: 'flagger.example',
        version: 'v1',
        namespace: ns,
        plural: 'canaries',
        body,
      });
      await c.custom.patchNamespacedCustomObjectStatus(
        {
          group: 'flagger.example',
          version: 'v1',
          namespace: ns,
          plural: 'canaries',
          name: 'podinfo',
          body: { status: { phase: 'Progressing' } },
        },
        asMergePatch(),
      );
      await c.custom.deleteNamespacedCustomObject({
        group: 'flagger.example',
        version: 'v1',
        namespace: ns,
        plural: 'canaries',
        name: 'podinfo',
      });
      await eventually(() => events.length === 3);
      expect(events).toEqual(['add podinfo', 'update podinfo Progressing', 'delete podinfo']);
    } finally {
      await informer.stop();
    }
  });
});
