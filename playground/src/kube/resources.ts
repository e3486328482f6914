/** The catalogue of resource types the emulator serves: built-in kinds plus registered CRDs. */
import type { FieldError } from './errors.js';
import type { JSONSchemaProps } from './openapi-schema.js';
import type { KubeObject } from './types.js';

export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description?: string;
  priority: number;
  cell(obj: KubeObject, now: number): unknown;
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface ResourceVersionInfo {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: JSONSchemaProps;
  columns: TableColumn[];
  /** Priority of the leading Name column (events hide it unless -o wide, like the real server). */
  namePriority?: number;
  status: boolean;
  scale?: ScaleSubresource;
}

export interface ResourceType {
  group: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  versions: ResourceVersionInfo[];
  /** Custom resources: JSON merge patch only, schema validation, resourceVersion required on update. */
  custom: boolean;
  /** Whether `metadata.generation` tracks changes of the object's desired state. */
  hasGeneration: boolean;
  /** Objects of several resource types can share one store (events in core/v1 and events.k8s.io/v1). */
  storageKey: string;
  /** Built-in defaulting on create and update (the API server's defaulters). */
  applyDefaults?(obj: KubeObject, old: KubeObject | undefined): void;
  /** Built-in validation; returns every problem. */
  validate?(obj: KubeObject, old: KubeObject | undefined): FieldError[];
  /** Converts between this resource's shape and the shared store's shape. */
  toStorage?(obj: KubeObject): KubeObject;
  fromStorage?(obj: KubeObject): KubeObject;
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export class ResourceRegistry {
  private readonly byGroup = new Map<string, Map<string, ResourceType>>();

  register(type: ResourceType): void {
    let plurals = this.byGroup.get(type.group);
    if (!plurals) this.byGroup.set(type.group, (plurals = new Map()));
    plurals.set(type.plural, type);
  }

  unregister(group: string, plural: string): void {
    const plurals = this.byGroup.get(group);
    plurals?.delete(plural);
    if (plurals && plurals.size === 0) this.byGroup.delete(group);
  }

  /** The type and version info when the group serves this version of the resource. */
  lookup(
    group: string,
    version: string,
    plural: string,
  ): { type: ResourceType; version: ResourceVersionInfo } | undefined {
    const type = this.byGroup.get(group)?.get(plural);
    const info = type?.versions.find(v => v.name === version && v.served);
    return type && info ? { type, version: info } : undefined;
  }

  get(group: string, plural: string): ResourceType | undefined {
    return this.byGroup.get(group)?.get(plural);
  }

  byKind(group: string, kind: string): ResourceType | undefined {
    for (const type of this.byGroup.get(group)?.values() ?? []) if (type.kind === kind) return type;
    return undefined;
  }

  groups(): string[] {
    return [...this.byGroup.keys()];
  }

  typesOf(group: string): ResourceType[] {
    return [...(this.byGroup.get(group)?.values() ?? [])];
  }

  all(): ResourceType[] {
    return [...this.byGroup.values()].flatMap(m => [...m.values()]);
  }

  /** Served versions of a group, the preferred (storage-or-first) version first. */
  versionsOf(group: string): string[] {
    const versions = new Set<string>();
    const types = this.typesOf(group);
    for (const t of types)
      for (const v of t.versions) if (v.served && v.storage) versions.add(v.name);
    for (const t of types) for (const v of t.versions) if (v.served) versions.add(v.name);
    return [...versions].sort(compareKubeVersions);
  }
}

/** Kubernetes version priority: GA > beta > alpha, then higher numbers first. */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const stage = m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3;
    return [stage, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa, ma, na] = parse(a);
  const [sb, mb, nb] = parse(b);
  if (sa !== sb) return (sb ?? 0) - (sa ?? 0);
  if (ma !== mb) return (mb ?? 0) - (ma ?? 0);
  if (na !== nb) return (nb ?? 0) - (na ?? 0);
  return a.localeCompare(b);
}
