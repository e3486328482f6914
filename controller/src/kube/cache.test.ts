// ResourceCache against the emulated API server: the change stream (with old objects), scoping
// by namespace and label selector, secondary indexes, and convergence after the watch position
// is compacted away and connections are dropped while the cluster keeps changing.
import { ResourceCache, type CacheChange } from './cache.js';
import { KubeClient, type RequestOptions } from './client.js';
import { CONFIGMAPS } from './resources.js';
import { eventually, startTestCluster, type TestCluster } from './test-support/cluster.js';
import type { KubeObject } from './types.js';

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

let cluster: TestCluster;
const caches: Array<ResourceCache<ConfigMap>> = [];

beforeAll(async () => {
  cluster = await startTestCluster();
});
afterEach(async () => {
  await Promise.all(caches.splice(0).map(c => c.stop()));
});
afterAll(() => cluster.stop());

/** Counts the LIST requests of the caches made after this call. */
let listCounter: (() => number) | undefined;
function countLists(): () => number {
  let n = 0;
  listCounter = () => ++n;
  return () => n;
}
class CountingClient extends KubeClient {
  override request<T>(options: RequestOptions): Promise<T> {
    if (options.method === 'GET' && options.subject?.startsWith('list ')) listCounter?.();
    return super.request<T>(options);
  }
}

function configMaps(options: { namespace?: string; labelSelector?: string } = {}) {
  const client = new CountingClient(cluster.client.config);
  const cache = new ResourceCache<ConfigMap>(client, {
    type: CONFIGMAPS,
    retryDelayMs: 20,
    ...options,
  });
  caches.push(cache);
  const changes: Array<CacheChange<ConfigMap>> = [];
  cache.onChange(change => changes.push(change));
  const log = () =>
    changes.map(c => `${c.type} ${c.object.metadata?.name ?? ''} ${c.object.data?.v ?? ''}`.trim());
  return { cache, changes, log };
}

const create = (
  ns: string,
  name: string,
  data?: Record<string, string>,
  labels?: Record<string, string>,
) =>
  cluster.writer.create<ConfigMap>(CONFIGMAPS, { metadata: { name, namespace: ns, labels }, data });
const patch = (ns: string, name: string, body: object) =>
  cluster.writer.mergePatch<ConfigMap>(CONFIGMAPS, ns, name, body);
const remove = (ns: string, name: string) => cluster.writer.delete(CONFIGMAPS, ns, name);

/** name → resourceVersion of what the cache holds and of what the server stores. */
const cached = (cache: ResourceCache<ConfigMap>, ns: string) =>
  Object.fromEntries(
    cache
      .list(ns)
      .map(o => [o.metadata?.name ?? '', o.metadata?.resourceVersion ?? ''] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
const stored = async (ns: string, labelSelector?: string) => {
  const list = await cluster.client.request<{ items: ConfigMap[] }>({
    method: 'GET',
    path: `/api/v1/namespaces/${ns}/configmaps`,
    query: { labelSelector },
  });
  return Object.fromEntries(
    list.items
      .map(o => [o.metadata?.name ?? '', o.metadata?.resourceVersion ?? ''] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
};
const converged = async (cache: ResourceCache<ConfigMap>, ns: string, labelSelector?: string) => {
  await eventually(
    async () =>
      JSON.stringify(cached(cache, ns)) === JSON.stringify(await stored(ns, labelSelector)),
    'the cache to match the server',
  );
};

describe('ResourceCache', () => {
  it('is synced once start() resolves, holding what existed before', async () => {
    const ns = await cluster.namespace('cache-start');
    await create(ns, 'pre', { v: '1' });
    const { cache, log } = configMaps({ namespace: ns });
    expect(cache.synced).toBe(false);
    await cache.start();
    expect(cache.synced).toBe(true);
    expect(cache.get(ns, 'pre')).toMatchObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { v: '1' },
    });
    expect(log()).toEqual(['add pre 1']);
    await cache.stop();
    expect(cache.synced).toBe(false);
  });

  it('reports add, update (with the old object) and delete (with the last state), in order', async () => {
    const ns = await cluster.namespace('cache-changes');
    const { cache, changes, log } = configMaps({ namespace: ns });
    await cache.start();
    await create(ns, 'a', { v: '1' });
    await patch(ns, 'a', { data: { v: '2' } });
    await remove(ns, 'a');
    await eventually(() => changes.length === 3, 'three changes');
    expect(log()).toEqual(['add a 1', 'update a 2', 'delete a 2']);
    expect(changes[1]?.old?.data).toEqual({ v: '1' });
    expect(changes[2]?.old?.data).toEqual({ v: '2' });
    expect(cache.get(ns, 'a')).toBeUndefined();
  });

  it('watches every namespace unless restricted to one', async () => {
    const one = await cluster.namespace('cache-ns');
    const two = await cluster.namespace('cache-ns');
    const all = configMaps();
    const scoped = configMaps({ namespace: one });
    await Promise.all([all.cache.start(), scoped.cache.start()]);
    await create(one, 'x');
    await create(two, 'x');
    await eventually(() => all.cache.get(two, 'x'), 'the cross-namespace cache to see both');
    await eventually(() => scoped.cache.get(one, 'x'), 'the scoped cache to see its own');
    expect(all.cache.get(one, 'x')).toBeDefined();
    expect(scoped.cache.get(two, 'x')).toBeUndefined();
    expect(scoped.cache.list().map(o => o.metadata?.namespace)).toEqual([one]);
    expect(all.cache.list(two).map(o => o.metadata?.name)).toEqual(['x']);
  });

  it('honours a label selector: objects leaving the selection are deleted from the cache', async () => {
    const ns = await cluster.namespace('cache-select');
    await create(ns, 'gold', {}, { tier: 'gold' });
    await create(ns, 'bronze', {}, { tier: 'bronze' });
    const { cache, log } = configMaps({ namespace: ns, labelSelector: 'tier=gold' });
    await cache.start();
    expect(cached(cache, ns)).toEqual(await stored(ns, 'tier=gold'));
    await patch(ns, 'gold', { metadata: { labels: { tier: 'bronze' } } });
    await eventually(() => cache.get(ns, 'gold') === undefined, 'gold to leave the selection');
    await patch(ns, 'bronze', { metadata: { labels: { tier: 'gold' } } });
    await eventually(() => cache.get(ns, 'bronze'), 'bronze to enter the selection');
    expect(log()).toEqual(['add gold', 'delete gold', 'add bronze']);
  });

  it('maintains secondary indexes through adds, updates that move keys, and deletes', async () => {
    const ns = await cluster.namespace('cache-index');
    await create(ns, 'early', {}, { team: 'red' });
    const { cache } = configMaps({ namespace: ns });
    await cache.start();
    // Added after the first list: existing objects are indexed at once.
    cache.index('team', o => (o.metadata?.labels?.team ? [o.metadata.labels.team] : []));
    cache.index('keys', o => Object.keys(o.data ?? {}));
    const names = (index: string, key: string) =>
      cache
        .byIndex(index, key)
        .map(o => o.metadata?.name)
        .sort();
    expect(names('team', 'red')).toEqual(['early']);
    await create(ns, 'late', { a: '1', b: '2' }, { team: 'red' });
    await eventually(() => names('team', 'red').length === 2, 'late to be indexed');
    expect(names('keys', 'a')).toEqual(['late']);
    await patch(ns, 'late', { metadata: { labels: { team: 'blue' } }, data: { a: null } });
    await eventually(() => names('team', 'blue').length === 1, 'late to move to blue');
    expect(names('team', 'red')).toEqual(['early']);
    expect(names('keys', 'a')).toEqual([]);
    expect(names('keys', 'b')).toEqual(['late']);
    await remove(ns, 'late');
    await eventually(() => names('team', 'blue').length === 0, 'late to leave the index');
    expect(names('keys', 'b')).toEqual([]);
    expect(() => cache.byIndex('nope', 'x')).toThrow(/no index named nope/);
  });

  it('relists when its watch position was compacted away (410 Gone), then keeps watching', async () => {
    const ns = await cluster.namespace('cache-gone');
    const elsewhere = await cluster.namespace('cache-gone-other');
    await create(ns, 'here');
    const lists = countLists();
    const { cache } = configMaps({ namespace: ns });
    await cache.start();
    expect(lists()).toBe(1);
    // The cluster moves on elsewhere; once compacted, the cache's position is too old to resume.
    await create(elsewhere, 'bump');
    cluster.emulator.compactHistory();
    cluster.emulator.dropWatches();
    await eventually(() => lists() === 2, 'a relist after 410 Gone');
    await create(ns, 'after');
    await eventually(() => cache.get(ns, 'after'), 'the cache to follow new changes');
    await converged(cache, ns);
  });

  it('after stop() and start(), reports what changed meanwhile and leaves no ghosts', async () => {
    const ns = await cluster.namespace('cache-relist');
    for (const name of ['keep', 'change', 'vanish']) await create(ns, name, { v: '1' });
    const lists = countLists();
    const { cache, changes } = configMaps({ namespace: ns });
    await cache.start();
    expect(lists()).toBe(1);
    // Changes made while the cache is not watching, then compacted away: resuming the watch
    // gets 410 Gone, and only a fresh list can tell what changed (and what vanished).
    await cache.stop();
    await patch(ns, 'change', { data: { v: '2' } });
    await remove(ns, 'vanish');
    await create(ns, 'appear', { v: '1' });
    cluster.emulator.compactHistory();
    await cache.start();
    await converged(cache, ns);
    expect(cache.get(ns, 'vanish')).toBeUndefined();
    expect(cache.get(ns, 'change')?.data).toEqual({ v: '2' });
    const after = changes
      .slice(3)
      .map(c => `${c.type} ${c.object.metadata?.name ?? ''}`)
      .sort();
    expect(after).toEqual(['add appear', 'delete vanish', 'update change']);
    expect(lists()).toBeGreaterThanOrEqual(2);
    // And it keeps watching afterwards.
    await create(ns, 'later');
    await eventually(() => cache.get(ns, 'later'), 'the cache to follow new changes');
  });

  it('keeps converging through repeated dropped connections while writes continue', async () => {
    const ns = await cluster.namespace('cache-churn');
    const { cache } = configMaps({ namespace: ns });
    await cache.start();
    for (let round = 0; round < 5; round++) {
      await create(ns, `cm-${round}`, { v: `${round}` });
      if (round > 0) await patch(ns, `cm-${round - 1}`, { data: { v: 'patched' } });
      if (round > 1) await remove(ns, `cm-${round - 2}`);
      if (round % 2 === 0) cluster.emulator.compactHistory();
      cluster.emulator.dropWatches();
    }
    await converged(cache, ns);
  });

  it('keeps delivering changes when a listener throws', async () => {
    const ns = await cluster.namespace('cache-listener');
    const { cache, changes } = configMaps({ namespace: ns });
    cache.onChange(() => {
      throw new Error('listener bug');
    });
    await cache.start();
    await create(ns, 'one');
    await create(ns, 'two');
    await eventually(() => changes.length === 2, 'both changes despite the failing listener');
  });

  it('stops notifying a listener once it unsubscribes', async () => {
    const ns = await cluster.namespace('cache-unsub');
    const { cache, changes } = configMaps({ namespace: ns });
    const late: string[] = [];
    const unsubscribe = cache.onChange(c => late.push(c.object.metadata?.name ?? ''));
    await cache.start();
    await create(ns, 'first');
    await eventually(() => late.length === 1, 'the first change');
    unsubscribe();
    await create(ns, 'second');
    await eventually(() => changes.length === 2, 'the second change');
    expect(late).toEqual(['first']);
  });

  it('keeps retrying a failed first list: start() resolves once the resource exists', async () => {
    const widgets = {
      group: 'example.com',
      version: 'v1',
      plural: 'widgets',
      kind: 'Widget',
      namespaced: true,
    };
    const cache = new ResourceCache<KubeObject>(cluster.client, {
      type: widgets,
      retryDelayMs: 10,
    });
    let started = false;
    const starting = cache.start().then(() => (started = true));
    await cluster.writer.create(
      {
        group: 'apiextensions.k8s.io',
        version: 'v1',
        plural: 'customresourcedefinitions',
        kind: 'CustomResourceDefinition',
        namespaced: false,
      },
      {
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
          ],
        },
      } as KubeObject,
    );
    expect(started).toBe(false);
    await starting;
    expect(cache.synced).toBe(true);
    await cluster.writer.create(widgets, { metadata: { name: 'w', namespace: 'default' } });
    await eventually(() => cache.get('default', 'w'), 'the widget in the cache');
    await cache.stop();
  });
});
