import { ObjectStore } from './store.js';
import type { StoreEvent } from './store.js';

const obj = (name: string, v = 1) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data: { v: String(v) },
});

describe('object store', () => {
  it('assigns strictly increasing resourceVersions across resources', () => {
    const store = new ObjectStore(100);
    const a = store.put('/configmaps', obj('a'));
    const b = store.put('/secrets', obj('b'));
    const a2 = store.put('/configmaps', obj('a', 2));
    expect([a, b, a2].map(o => Number(o.metadata.resourceVersion))).toEqual([1, 2, 3]);
    expect(Object.isFrozen(a2)).toBe(true);
  });

  it('replays history after a position and then follows live changes', () => {
    const store = new ObjectStore(100);
    store.put('/configmaps', obj('a'));
    store.put('/configmaps', obj('b'));
    const seen: string[] = [];
    const stop = store.subscribe('/configmaps', 1, (e: StoreEvent) =>
      seen.push(`${e.type} ${e.object.metadata.name} ${e.rv}`),
    );
    store.remove('/configmaps', 'default', 'a');
    stop?.();
    store.put('/configmaps', obj('c'));
    expect(seen).toEqual(['ADDED b 2', 'DELETED a 3']);
  });

  it('refuses positions that fell out of the bounded history or were compacted', () => {
    const store = new ObjectStore(2);
    for (let i = 0; i < 5; i++) store.put('/configmaps', obj('a', i));
    expect(store.subscribe('/configmaps', 1, () => undefined)).toBeUndefined();
    expect(store.subscribe('/configmaps', 3, () => undefined)).toBeDefined();
    store.compact();
    expect(store.subscribe('/configmaps', 4, () => undefined)).toBeUndefined();
    expect(store.subscribe('/configmaps', 5, () => undefined)).toBeDefined();
  });

  it('lists in namespace/name order', () => {
    const store = new ObjectStore(10);
    store.put('/configmaps', { ...obj('b'), metadata: { name: 'b', namespace: 'x' } });
    store.put('/configmaps', obj('z'));
    store.put('/configmaps', obj('a'));
    expect(
      store.list('/configmaps').map(o => `${o.metadata.namespace}/${o.metadata.name}`),
    ).toEqual(['default/a', 'default/z', 'x/b']);
    expect(store.list('/configmaps', 'x')).toHaveLength(1);
  });
});
