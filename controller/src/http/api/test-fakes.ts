// Test doubles for the API: a canary cache whose changes the test drives, and a writer recording
// merge patches (applied to the fake cache, as the API server and the informer would).
import type { Canary } from '../../api/types.js';
import type { CacheChange, ObjectWriter } from '../../kube/index.js';
import type { ApiSources } from './api.js';

export class FakeCanaries implements Pick<ApiSources['canaries'], 'get' | 'list' | 'onChange'> {
  private readonly objects = new Map<string, Canary>();
  private readonly listeners = new Set<(change: CacheChange<Canary>) => void>();

  get(namespace: string, name: string): Canary | undefined {
    return this.objects.get(`${namespace}/${name}`);
  }

  list(namespace?: string): Canary[] {
    return [...this.objects.values()].filter(c => !namespace || c.metadata.namespace === namespace);
  }

  onChange(listener: (change: CacheChange<Canary>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  put(canary: Canary): void {
    const key = `${canary.metadata.namespace}/${canary.metadata.name}`;
    const old = this.objects.get(key);
    this.objects.set(key, canary);
    const change: CacheChange<Canary> = old
      ? { type: 'update', object: canary, old }
      : { type: 'add', object: canary };
    for (const l of this.listeners) l(change);
  }

  remove(namespace: string, name: string): void {
    const old = this.objects.get(`${namespace}/${name}`);
    if (!old) return;
    this.objects.delete(`${namespace}/${name}`);
    for (const l of this.listeners) l({ type: 'delete', object: old, old });
  }
}

export function canary(
  namespace: string,
  name: string,
  status: Record<string, unknown> = {},
  labels: Record<string, string> = {},
): Canary {
  return {
    apiVersion: 'aviary.dev/v1beta1',
    kind: 'Canary',
    metadata: { namespace, name, labels },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      service: { port: 80 },
      analysis: { interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10, metrics: [] },
    },
    status,
  } as unknown as Canary;
}

export interface RecordedPatch {
  namespace: string | undefined;
  name: string;
  patch: object;
}

export function recordingWriter(patches: RecordedPatch[]): Pick<ObjectWriter, 'mergePatch'> {
  return {
    mergePatch: <T>(_type: unknown, namespace: string | undefined, name: string, patch: object) => {
      patches.push({ namespace, name, patch });
      return Promise.resolve({} as T);
    },
  };
}
