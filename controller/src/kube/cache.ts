// An informer-backed cache of one resource kind. client-node's informer does the list + watch
// (and the relist after 410 Gone); this class adds what the controller needs on top: the old
// object on updates, secondary indexes, a synced flag, and restarts after watch/list errors
// (the informer itself gives up on any error other than 410).
import * as k8s from '@kubernetes/client-node';
import type { KubeClient } from './client.js';
import { errorText, silentLogger } from './logger.js';
import { apiVersionOf, objectKey, resourcePath } from './resources.js';
import type { KubeObject, Logger, ResourceType } from './types.js';

export type ChangeType = 'add' | 'update' | 'delete';

export interface CacheChange<T> {
  type: ChangeType;
  /** The new object (for `delete`, the last known state). */
  object: T;
  /** The previous object, for `update` (and `delete`). */
  old?: T;
}

export type ChangeListener<T> = (change: CacheChange<T>) => void;

/** Index keys of one object (none: not indexed). */
export type IndexFn<T> = (object: T) => readonly string[];

export interface ResourceCacheOptions {
  type: ResourceType;
  /** Watch one namespace only (default: all namespaces). */
  namespace?: string;
  labelSelector?: string;
  logger?: Logger;
  /** First delay before restarting a failed list/watch; doubles up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

interface Index<T> {
  fn: IndexFn<T>;
  /** index key → object keys */
  entries: Map<string, Set<string>>;
}

export class ResourceCache<T extends KubeObject> {
  readonly type: ResourceType;
  private readonly store = new Map<string, T>();
  private readonly indexes = new Map<string, Index<T>>();
  private readonly listeners = new Set<ChangeListener<T>>();
  private readonly logger: Logger;
  // client-node types metadata timestamps as Date; on the wire (and in this cache) they are
  // strings, so the informer is typed loosely and objects are cast to T at this boundary.
  // A fresh informer per start(): an aborted watch of a stopped informer reports back late,
  // and must not disturb its successor. Events from a replaced informer are ignored.
  private informer: k8s.Informer<k8s.KubernetesObject> | undefined;
  private readonly path: string;
  private readonly baseDelay: number;
  private readonly maxDelay: number;
  private delay: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private running = false;
  private listed = false;
  private isSynced = false;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly client: KubeClient,
    private readonly options: ResourceCacheOptions,
  ) {
    this.type = options.type;
    this.logger = options.logger ?? silentLogger;
    this.baseDelay = options.retryDelayMs ?? 1000;
    this.maxDelay = options.maxRetryDelayMs ?? 30_000;
    this.delay = this.baseDelay;
    this.path = resourcePath(options.type, options.namespace);
  }

  private makeInformer(): k8s.Informer<k8s.KubernetesObject> {
    const informer: k8s.Informer<k8s.KubernetesObject> = k8s.makeInformer<k8s.KubernetesObject>(
      this.client.config,
      this.path,
      () => this.listAll(informer),
      this.options.labelSelector,
    );
    const current = () => this.informer === informer;
    informer.on('add', obj => current() && this.apply('add', obj as T));
    informer.on('update', obj => current() && this.apply('update', obj as T));
    informer.on('delete', obj => current() && this.apply('delete', obj as T));
    informer.on('error', (err: unknown) => current() && this.failed(err));
    return informer;
  }

  /** True once the first list has been applied (until `stop`). */
  get synced(): boolean {
    return this.isSynced;
  }

  /** Lists and starts watching; resolves after the first list (retrying until it succeeds). */
  start(): Promise<void> {
    if (this.isSynced) return Promise.resolve();
    const done = new Promise<void>(resolve => this.waiters.push(resolve));
    if (!this.running) {
      this.running = true;
      this.listed = false;
      this.informer = this.makeInformer();
      void this.run(this.informer);
    }
    return done;
  }

  /** Stops watching. The cache keeps its last contents; pending `start()` calls never resolve. */
  async stop(): Promise<void> {
    this.running = false;
    this.isSynced = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const informer = this.informer;
    this.informer = undefined;
    await informer?.stop();
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(namespace && this.type.namespaced ? `${namespace}/${name}` : name);
  }

  list(namespace?: string): T[] {
    const all = [...this.store.values()];
    return namespace ? all.filter(o => o.metadata?.namespace === namespace) : all;
  }

  /** Called synchronously for every change, in order; returns the unsubscribe function. */
  onChange(listener: ChangeListener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds (or replaces) a secondary index; existing objects are indexed at once. */
  index(name: string, fn: IndexFn<T>): void {
    const index: Index<T> = { fn, entries: new Map() };
    this.indexes.set(name, index);
    for (const [key, obj] of this.store) addToIndex(index, key, obj);
  }

  /** Objects whose index function returned `key`. */
  byIndex(name: string, key: string): T[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`no index named ${name} on ${this.type.plural}`);
    const keys = index.entries.get(key);
    if (!keys) return [];
    const found: T[] = [];
    for (const k of keys) {
      const obj = this.store.get(k);
      if (obj) found.push(obj);
    }
    return found;
  }

  private async run(informer: k8s.Informer<k8s.KubernetesObject>): Promise<void> {
    try {
      await informer.start();
    } catch (err) {
      this.failed(err);
      return;
    }
    // The informer reports list errors through 'error' and still resolves start().
    if (this.listed && this.informer === informer) this.markSynced();
  }

  private async listAll(
    informer: k8s.Informer<k8s.KubernetesObject>,
  ): Promise<k8s.KubernetesListObject<k8s.KubernetesObject>> {
    const list = await this.client.request<k8s.KubernetesListObject<k8s.KubernetesObject>>({
      method: 'GET',
      path: this.path,
      query: { labelSelector: this.options.labelSelector },
      subject: `list ${this.type.plural}`,
    });
    // List items carry no apiVersion/kind; watch events do. Make both look the same.
    const apiVersion = apiVersionOf(this.type);
    list.items = list.items.map(item => ({ ...item, apiVersion, kind: this.type.kind }));
    if (this.informer === informer) {
      // Objects gone from the list were deleted while nobody watched. A fresh informer does not
      // know them, so the cache reports their deletion itself (before the list's adds).
      const present = new Set(list.items.map(item => objectKey(item as T)));
      for (const [key, obj] of [...this.store]) {
        if (!present.has(key)) this.apply('delete', obj);
      }
      this.listed = true;
      this.delay = this.baseDelay;
    }
    return list;
  }

  private markSynced(): void {
    if (!this.running) return;
    this.isSynced = true;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private failed(err: unknown): void {
    if (!this.running) return;
    this.logger.warn('watch failed, restarting', {
      resource: this.type.plural,
      error: errorText(err),
      retryInMs: this.delay,
    });
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      // The same informer resumes from its resourceVersion (or relists after a 410).
      if (this.running && this.informer) void this.run(this.informer);
    }, this.delay);
    this.delay = Math.min(this.delay * 2, this.maxDelay);
  }

  private apply(reported: ChangeType, obj: T): void {
    const key = objectKey(obj);
    const old = this.store.get(key);
    let type = reported;
    if (type === 'delete') {
      if (!old) return;
      this.store.delete(key);
    } else {
      // A relist re-reports everything: unchanged objects are not changes.
      if (old && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) return;
      type = old ? 'update' : 'add';
      this.store.set(key, obj);
    }
    for (const index of this.indexes.values()) {
      if (old) removeFromIndex(index, key, old);
      if (type !== 'delete') addToIndex(index, key, obj);
    }
    const change: CacheChange<T> = old ? { type, object: obj, old } : { type, object: obj };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.logger.error('cache listener failed', {
          resource: this.type.plural,
          object: key,
          error: errorText(err),
        });
      }
    }
  }
}

function addToIndex<T>(index: Index<T>, key: string, obj: T): void {
  for (const k of index.fn(obj)) {
    let set = index.entries.get(k);
    if (!set) index.entries.set(k, (set = new Set()));
    set.add(key);
  }
}

function removeFromIndex<T>(index: Index<T>, key: string, obj: T): void {
  for (const k of index.fn(obj)) {
    const set = index.entries.get(k);
    set?.delete(key);
    if (set?.size === 0) index.entries.delete(k);
  }
}
