/**
 * Watch streams: newline-delimited JSON events over a chunked response, resumable from a
 * resourceVersion, with bookmarks, initial events, selector transitions (an object that stops
 * matching is reported DELETED) and 410 Gone for positions that were compacted away.
 */
import type { ServerResponse } from 'node:http';
import { errors } from './errors.js';
import type { ListOptions, ObjectApi, Served } from './objects.js';
import { apiVersionOf } from './resources.js';
import type { ObjectStore, StoreEvent } from './store.js';
import type { TableFormat } from './table.js';
import { toTable } from './table.js';
import type { KubeObject } from './types.js';

export interface WatchRequest {
  served: Served;
  namespace?: string;
  list: ListOptions;
  resourceVersion?: string;
  bookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds?: number;
  table?: TableFormat;
}

export interface WatchSettings {
  bookmarkIntervalMs: number;
  /** Upper bound for a watch's lifetime, like the API server's min-request-timeout. */
  maxTimeoutSeconds: number;
}

export class WatchHub {
  private readonly open = new Set<ServerResponse>();

  constructor(
    private readonly store: ObjectStore,
    private readonly objects: ObjectApi,
    private readonly settings: WatchSettings,
  ) {}

  /** Ends every open watch (clients reconnect from their last resourceVersion). */
  closeAll(): void {
    for (const res of this.open) res.end();
    this.open.clear();
  }

  get count(): number {
    return this.open.size;
  }

  serve(res: ServerResponse, w: WatchRequest): void {
    const { served } = w;
    const format = (o: KubeObject, cacheKey: string, cache?: Map<string, string>): string => {
      // Keyed by group/version, not version alone: core/v1 and events.k8s.io/v1 share a store.
      const key = `${apiVersionOf(served.type.group, served.version.name)}|${w.table ? `table:${w.table.includeObject}` : 'json'}|${cacheKey}`;
      const hit = cache?.get(key);
      if (hit) return hit;
      const presented = this.objects.present(served, o);
      const body = w.table
        ? toTable([presented], served.version, w.table, o.metadata.resourceVersion ?? '')
        : presented;
      const text = `{"type":"${cacheKey}","object":${JSON.stringify(body)}}\n`;
      cache?.set(key, text);
      return text;
    };
    const inNamespace = (o: KubeObject) => !w.namespace || o.metadata.namespace === w.namespace;
    const matches = (o: KubeObject | undefined) =>
      !!o && inNamespace(o) && this.objects.matches(served, o, w.list);

    const requested = w.resourceVersion;
    const fromScratch = requested === undefined || requested === '' || requested === '0';
    let from = fromScratch ? this.store.currentRv : Number(requested);
    if (!Number.isInteger(from) || from < 0) {
      throw errors.badRequest(`invalid resource version: "${requested ?? ''}"`);
    }

    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache',
    });
    res.flushHeaders();
    this.open.add(res);
    const write = (text: string) => {
      if (!res.writableEnded) res.write(text);
    };
    const bookmark = (annotations?: Record<string, string>) => {
      const body = {
        kind: served.type.kind,
        apiVersion: apiVersionOf(served.type.group, served.version.name),
        metadata: {
          resourceVersion: String(this.store.currentRv),
          ...(annotations ? { annotations } : {}),
        },
      };
      write(`{"type":"BOOKMARK","object":${JSON.stringify(body)}}\n`);
    };

    if (fromScratch || w.sendInitialEvents) {
      for (const o of this.store.list(served.type.storageKey, w.namespace))
        if (matches(o)) write(format(o, 'ADDED'));
      if (w.sendInitialEvents && w.bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
      from = this.store.currentRv;
    }

    const listener = (e: StoreEvent) => {
      const now = matches(e.object);
      const before = e.type === 'MODIFIED' ? matches(e.old) : now;
      if (e.type === 'MODIFIED' && now !== before) {
        write(format(e.object, now ? 'ADDED' : 'DELETED'));
      } else if (now) {
        write(format(e.object, e.type, e.cache));
      }
    };
    const unsubscribe = this.store.subscribe(served.type.storageKey, from, listener);
    if (!unsubscribe) {
      const gone = errors
        .gone(`too old resource version: ${from} (${this.store.currentRv})`)
        .toStatus();
      write(`{"type":"ERROR","object":${JSON.stringify(gone)}}\n`);
      res.end();
      this.open.delete(res);
      return;
    }
    const timers: NodeJS.Timeout[] = [];
    if (w.bookmarks) timers.push(setInterval(() => bookmark(), this.settings.bookmarkIntervalMs));
    const timeout = Math.min(
      w.timeoutSeconds ?? this.settings.maxTimeoutSeconds,
      this.settings.maxTimeoutSeconds,
    );
    timers.push(setTimeout(() => res.end(), timeout * 1000));
    const cleanup = () => {
      unsubscribe();
      timers.forEach(t => clearTimeout(t));
      this.open.delete(res);
    };
    res.on('close', cleanup);
    res.on('finish', cleanup);
  }
}
