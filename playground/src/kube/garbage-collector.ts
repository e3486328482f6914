/**
 * The emulator's garbage collector and namespace controller, driven by store changes like the
 * real ones: dependents of a deleted owner are deleted (or orphaned), `orphan` and
 * `foregroundDeletion` finalizers are honoured, and a terminating namespace is emptied and then
 * removed. Work runs asynchronously, as in a cluster.
 */
import type { ObjectApi } from './objects.js';
import type { ResourceRegistry } from './resources.js';
import type { ObjectStore, StoreEvent } from './store.js';
import type { KubeObject } from './types.js';
import { deepClone } from './types.js';

interface Ref {
  storageKey: string;
  namespace?: string;
  name: string;
}

export class GarbageCollector {
  /** owner uid → dependents, kept current from store events (no scans on the hot path). */
  private readonly dependents = new Map<string, Map<string, Ref>>();
  private readonly liveUids = new Set<string>();
  private readonly pending = new Set<() => void>();
  private scheduled = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: ObjectStore,
    private readonly objects: ObjectApi,
    private readonly registry: ResourceRegistry,
  ) {
    this.unsubscribe = store.onChange(e => this.observe(e));
  }

  stop(): void {
    this.unsubscribe();
  }

  private refKey(r: Ref): string {
    return `${r.storageKey}|${r.namespace ?? ''}|${r.name}`;
  }

  private index(o: KubeObject, storageKey: string, add: boolean): void {
    const ref: Ref = { storageKey, namespace: o.metadata.namespace, name: o.metadata.name ?? '' };
    for (const owner of o.metadata.ownerReferences ?? []) {
      let deps = this.dependents.get(owner.uid);
      if (add) {
        if (!deps) this.dependents.set(owner.uid, (deps = new Map()));
        deps.set(this.refKey(ref), ref);
      } else deps?.delete(this.refKey(ref));
    }
  }

  private observe(e: StoreEvent): void {
    if (e.old) this.index(e.old, e.storageKey, false);
    const uid = e.object.metadata.uid ?? '';
    if (e.type === 'DELETED') {
      this.liveUids.delete(uid);
      this.later(() => this.collectDependentsOf(uid));
      if (e.object.metadata.namespace)
        this.later(() => this.finishNamespaceIfEmpty(e.object.metadata.namespace ?? ''));
      return;
    }
    this.liveUids.add(uid);
    this.index(e.object, e.storageKey, true);
    // An owner that no longer exists (deleted before this dependent was written) is treated like
    // a deleted one, as the real collector does; owners of kinds not served here cannot be
    // checked and are left alone.
    for (const owner of e.object.metadata.ownerReferences ?? []) {
      if (this.liveUids.has(owner.uid) || !this.serves(owner.apiVersion, owner.kind)) continue;
      const missing = owner.uid;
      this.later(() => this.collectDependentsOf(missing));
    }
    const meta = e.object.metadata;
    if (!meta.deletionTimestamp) return;
    if (meta.finalizers?.includes('orphan')) this.later(() => this.orphan(e.object, e.storageKey));
    if (meta.finalizers?.includes('foregroundDeletion'))
      this.later(() => this.foreground(e.object, e.storageKey));
    if (e.storageKey === '/namespaces') this.later(() => this.emptyNamespace(meta.name ?? ''));
  }

  private serves(apiVersion: string, kind: string): boolean {
    const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
    return this.registry.byKind(group, kind) !== undefined;
  }

  private later(work: () => void): void {
    this.pending.add(work);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const batch = [...this.pending];
      this.pending.clear();
      for (const w of batch) {
        try {
          w();
        } catch {
          // A dependent that vanished meanwhile is not an error for the collector.
        }
      }
    });
  }

  private deleteRef(ref: Ref, propagationPolicy: 'Background' | 'Foreground' = 'Background'): void {
    const stored = this.store.get(ref.storageKey, ref.namespace, ref.name);
    if (!stored || stored.metadata.deletionTimestamp) return;
    const type = this.registry.all().find(t => t.storageKey === ref.storageKey && !t.fromStorage);
    if (!type) return;
    const version = type.versions.find(v => v.storage) ?? type.versions[0];
    if (!version) return;
    this.objects.delete({ type, version }, ref.namespace, ref.name, { propagationPolicy });
  }

  private collectDependentsOf(uid: string): void {
    for (const ref of this.dependents.get(uid)?.values() ?? []) {
      const dep = this.store.get(ref.storageKey, ref.namespace, ref.name);
      if (!dep) continue;
      const owners = dep.metadata.ownerReferences ?? [];
      const others = owners.filter(o => o.uid !== uid && this.liveUids.has(o.uid));
      if (others.length > 0) {
        const next = deepClone(dep);
        next.metadata.ownerReferences = owners.filter(o => o.uid !== uid);
        this.objects.putStored(ref.storageKey, next);
      } else {
        this.deleteRef(ref);
      }
    }
    this.dependents.delete(uid);
  }

  private orphan(owner: KubeObject, storageKey: string): void {
    const uid = owner.metadata.uid ?? '';
    for (const ref of this.dependents.get(uid)?.values() ?? []) {
      const dep = this.store.get(ref.storageKey, ref.namespace, ref.name);
      if (!dep) continue;
      const next = deepClone(dep);
      next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter(
        o => o.uid !== uid,
      );
      if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
      this.objects.putStored(ref.storageKey, next);
    }
    this.objects.dropFinalizer(
      storageKey,
      owner.metadata.namespace,
      owner.metadata.name ?? '',
      'orphan',
    );
  }

  private foreground(owner: KubeObject, storageKey: string): void {
    const uid = owner.metadata.uid ?? '';
    const remaining = [...(this.dependents.get(uid)?.values() ?? [])].filter(r =>
      this.store.get(r.storageKey, r.namespace, r.name),
    );
    if (remaining.length === 0) {
      this.objects.dropFinalizer(
        storageKey,
        owner.metadata.namespace,
        owner.metadata.name ?? '',
        'foregroundDeletion',
      );
      return;
    }
    for (const ref of remaining) this.deleteRef(ref, 'Foreground');
    // Look again once the dependents are gone (their DELETED events re-trigger collection).
    setTimeout(
      () =>
        this.later(() =>
          this.foreground(
            this.store.get(storageKey, owner.metadata.namespace, owner.metadata.name ?? '') ??
              owner,
            storageKey,
          ),
        ),
      20,
    );
  }

  private namespacedKeys(): string[] {
    const keys = new Set<string>();
    for (const t of this.registry.all()) if (t.namespaced) keys.add(t.storageKey);
    return [...keys];
  }

  private emptyNamespace(namespace: string): void {
    for (const key of this.namespacedKeys()) {
      for (const o of this.store.list(key, namespace)) {
        this.deleteRef({ storageKey: key, namespace, name: o.metadata.name ?? '' });
      }
    }
    this.finishNamespaceIfEmpty(namespace);
  }

  private finishNamespaceIfEmpty(namespace: string): void {
    const ns = this.store.get('/namespaces', undefined, namespace);
    if (!ns?.metadata.deletionTimestamp) return;
    const left = this.namespacedKeys().some(key => this.store.list(key, namespace).length > 0);
    if (left) return;
    if ((ns.metadata.finalizers ?? []).length > 0) return;
    this.store.remove('/namespaces', undefined, namespace);
  }
}
