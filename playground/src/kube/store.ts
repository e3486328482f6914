/**
 * In-memory object storage with one cluster-wide resourceVersion counter, a bounded history of
 * changes per resource (for watch resumption; older positions answer 410 Gone) and fan-out to
 * watchers and internal controllers.
 */
import type { KubeObject } from './types.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  storageKey: string;
  rv: number;
  object: KubeObject;
  /** The previous state for MODIFIED and DELETED (lets watchers with selectors see objects leave). */
  old?: KubeObject;
  /** Serialisations computed once per event and format, shared by all watchers. */
  cache: Map<string, string>;
}

export type StoreListener = (event: StoreEvent) => void;

interface History {
  events: StoreEvent[];
  /** Positions at or below this are no longer replayable. */
  compactedUpTo: number;
}

function notify(listener: StoreListener, event: StoreEvent): void {
  try {
    listener(event);
  } catch (err) {
    console.error(
      `emulator: a listener failed on ${event.type} ${event.storageKey} rv ${event.rv}:`,
      err,
    );
  }
}

export const objectKey = (namespace: string | undefined, name: string) =>
  namespace ? `${namespace}/${name}` : name;

export class ObjectStore {
  private rv = 0;
  private readonly collections = new Map<string, Map<string, KubeObject>>();
  private readonly histories = new Map<string, History>();
  private readonly subscribers = new Map<string, Set<StoreListener>>();
  private readonly globalListeners = new Set<StoreListener>();

  constructor(private readonly historyLimit: number) {}

  get currentRv(): number {
    return this.rv;
  }

  private collection(storageKey: string): Map<string, KubeObject> {
    let c = this.collections.get(storageKey);
    if (!c) this.collections.set(storageKey, (c = new Map()));
    return c;
  }

  private history(storageKey: string): History {
    let h = this.histories.get(storageKey);
    if (!h) this.histories.set(storageKey, (h = { events: [], compactedUpTo: 0 }));
    return h;
  }

  get(storageKey: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.collections.get(storageKey)?.get(objectKey(namespace, name));
  }

  /** Objects in key order (namespace/name), optionally of one namespace. */
  list(storageKey: string, namespace?: string): KubeObject[] {
    const all = [...(this.collections.get(storageKey)?.entries() ?? [])];
    const filtered = namespace ? all.filter(([, o]) => o.metadata.namespace === namespace) : all;
    return filtered.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o);
  }

  storageKeys(): string[] {
    return [...this.collections.keys()];
  }

  /** Stores an object (new or replacing) with the next resourceVersion and notifies everyone. */
  put(storageKey: string, object: KubeObject): KubeObject {
    const key = objectKey(object.metadata.namespace, object.metadata.name ?? '');
    const coll = this.collection(storageKey);
    const old = coll.get(key);
    const rv = ++this.rv;
    const stored: KubeObject = {
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(rv) },
    };
    Object.freeze(stored);
    coll.set(key, stored);
    this.emit({
      type: old ? 'MODIFIED' : 'ADDED',
      storageKey,
      rv,
      object: stored,
      old,
      cache: new Map(),
    });
    return stored;
  }

  remove(storageKey: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const coll = this.collections.get(storageKey);
    const key = objectKey(namespace, name);
    const old = coll?.get(key);
    if (!coll || !old) return undefined;
    coll.delete(key);
    const rv = ++this.rv;
    const gone: KubeObject = { ...old, metadata: { ...old.metadata, resourceVersion: String(rv) } };
    this.emit({ type: 'DELETED', storageKey, rv, object: gone, old, cache: new Map() });
    return gone;
  }

  /** Drops a whole collection (a CRD was deleted), with DELETED events for its objects. */
  dropCollection(storageKey: string): void {
    for (const o of this.list(storageKey))
      this.remove(storageKey, o.metadata.namespace, o.metadata.name ?? '');
    this.collections.delete(storageKey);
  }

  private emit(event: StoreEvent): void {
    const h = this.history(event.storageKey);
    h.events.push(event);
    // Trim in batches (keeping between limit and 2×limit events) so a write costs O(1) amortised
    // instead of copying the whole history every time.
    if (h.events.length >= 2 * this.historyLimit) {
      const dropped = h.events.splice(0, h.events.length - this.historyLimit);
      h.compactedUpTo = dropped[dropped.length - 1]?.rv ?? h.compactedUpTo;
    }
    // One failing listener (a controller bug, a closed socket) must not keep the change from the
    // others: the write has already happened.
    for (const l of this.globalListeners) notify(l, event);
    for (const l of this.subscribers.get(event.storageKey) ?? []) notify(l, event);
  }

  /** Internal controllers see every change of every resource, synchronously. */
  onChange(listener: StoreListener): () => void {
    this.globalListeners.add(listener);
    return () => this.globalListeners.delete(listener);
  }

  /**
   * Replays the changes after `fromRv` and then follows new ones. Returns undefined when that
   * position has been compacted away (the caller answers 410 Gone).
   */
  subscribe(storageKey: string, fromRv: number, listener: StoreListener): (() => void) | undefined {
    const h = this.history(storageKey);
    if (fromRv < h.compactedUpTo) return undefined;
    for (const e of h.events) if (e.rv > fromRv) notify(listener, e);
    let subs = this.subscribers.get(storageKey);
    if (!subs) this.subscribers.set(storageKey, (subs = new Set()));
    subs.add(listener);
    return () => subs.delete(listener);
  }

  /** Forgets all history, so any watch resuming from an older position gets 410 Gone. */
  compact(): void {
    for (const h of this.histories.values()) {
      h.events = [];
      h.compactedUpTo = this.rv;
    }
    for (const key of this.collections.keys()) this.history(key).compactedUpTo = this.rv;
  }

  /** How many objects are stored in all. */
  size(): number {
    let n = 0;
    for (const c of this.collections.values()) n += c.size;
    return n;
  }
}
