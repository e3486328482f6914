/**
 * CustomResourceDefinitions: validating a CRD, serving its resources as soon as it is created
 * (discovery, REST, schema validation, printer columns, subresources), reporting Established,
 * and removing its objects when it is deleted.
 */
import type { FieldError } from './errors.js';
import { evaluateJsonPath } from './jsonpath.js';
import type { JSONSchemaProps } from './openapi-schema.js';
import type {
  ResourceRegistry,
  ResourceType,
  ResourceVersionInfo,
  TableColumn,
} from './resources.js';
import type { ObjectStore, StoreEvent } from './store.js';
import type { KubeObject } from './types.js';
import { deepClone, deepEqual, isPlainObject } from './types.js';

export const CRD_STORAGE_KEY = 'apiextensions.k8s.io/customresourcedefinitions';

interface CrdNames {
  plural?: string;
  singular?: string;
  kind?: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

interface CrdVersion {
  name?: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: {
    status?: object;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  };
  additionalPrinterColumns?: Array<{
    name: string;
    type: string;
    jsonPath: string;
    description?: string;
    priority?: number;
    format?: string;
  }>;
}

interface CrdSpec {
  group?: string;
  names?: CrdNames;
  scope?: string;
  versions?: CrdVersion[];
}

const specOf = (o: KubeObject): CrdSpec => (isPlainObject(o.spec) ? (o.spec as CrdSpec) : {});

export function validateCrd(o: KubeObject): FieldError[] {
  const spec = specOf(o);
  const problems: FieldError[] = [];
  const names = spec.names ?? {};
  if (!spec.group) problems.push({ field: 'spec.group', type: 'FieldValueRequired', detail: '' });
  if (!names.plural)
    problems.push({ field: 'spec.names.plural', type: 'FieldValueRequired', detail: '' });
  if (!names.kind)
    problems.push({ field: 'spec.names.kind', type: 'FieldValueRequired', detail: '' });
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    problems.push({
      field: 'spec.scope',
      type: 'FieldValueNotSupported',
      value: spec.scope ?? '',
      detail: 'supported values: "Cluster", "Namespaced"',
    });
  }
  if (spec.group && names.plural && o.metadata.name !== `${names.plural}.${spec.group}`) {
    problems.push({
      field: 'metadata.name',
      type: 'FieldValueInvalid',
      value: o.metadata.name,
      detail: `must be spec.names.plural+"."+spec.group`,
    });
  }
  const versions = spec.versions ?? [];
  if (versions.length === 0)
    problems.push({
      field: 'spec.versions',
      type: 'FieldValueInvalid',
      value: [],
      detail: 'must have exactly one version marked as storage version',
    });
  else if (versions.filter(v => v.storage).length !== 1) {
    problems.push({
      field: 'spec.versions',
      type: 'FieldValueInvalid',
      value: versions.map(v => v.name),
      detail: 'must have exactly one version marked as storage version',
    });
  }
  versions.forEach((v, i) => {
    if (!v.name)
      problems.push({ field: `spec.versions[${i}].name`, type: 'FieldValueRequired', detail: '' });
    if (!v.schema?.openAPIV3Schema) {
      problems.push({
        field: `spec.versions[${i}].schema.openAPIV3Schema`,
        type: 'FieldValueRequired',
        detail: 'schemas are required',
      });
    }
  });
  return problems;
}

function printerColumns(v: CrdVersion): TableColumn[] {
  const cols = v.additionalPrinterColumns;
  if (!cols || cols.length === 0) {
    return [
      {
        name: 'Age',
        type: 'date',
        priority: 0,
        description: 'CreationTimestamp',
        cell: o => o.metadata.creationTimestamp ?? '',
      },
    ];
  }
  return cols.map(c => ({
    name: c.name,
    type: (['string', 'integer', 'number', 'boolean', 'date'].includes(c.type)
      ? c.type
      : 'string') as TableColumn['type'],
    format: c.format,
    description: c.description ?? '',
    priority: c.priority ?? 0,
    cell: (o: KubeObject) => {
      try {
        const values = evaluateJsonPath(o, c.jsonPath);
        const first = values[0];
        if (first === undefined) return null;
        return typeof first === 'object' ? JSON.stringify(first) : first;
      } catch {
        return null;
      }
    },
  }));
}

export function resourceTypeOf(crd: KubeObject): ResourceType {
  const spec = specOf(crd);
  const names = spec.names ?? {};
  const group = spec.group ?? '';
  const plural = names.plural ?? '';
  const versions: ResourceVersionInfo[] = (spec.versions ?? []).map(v => ({
    name: v.name ?? '',
    served: v.served !== false,
    storage: v.storage === true,
    schema: v.schema?.openAPIV3Schema,
    columns: printerColumns(v),
    status: v.subresources?.status !== undefined,
    scale: v.subresources?.scale,
  }));
  return {
    group,
    kind: names.kind ?? '',
    listKind: names.listKind ?? `${names.kind ?? ''}List`,
    plural,
    singular: names.singular ?? (names.kind ?? '').toLowerCase(),
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    namespaced: spec.scope !== 'Cluster',
    versions,
    custom: true,
    hasGeneration: true,
    storageKey: `${group}/${plural}`,
  };
}

/** Keeps the registry in step with stored CRDs and writes their status conditions. */
export class CrdController {
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: ObjectStore,
    private readonly registry: ResourceRegistry,
  ) {
    this.unsubscribe = store.onChange(e => this.observe(e));
  }

  stop(): void {
    this.unsubscribe();
  }

  private observe(e: StoreEvent): void {
    if (e.storageKey !== CRD_STORAGE_KEY) return;
    const spec = specOf(e.object);
    if (e.type === 'DELETED') {
      const type = resourceTypeOf(e.object);
      this.registry.unregister(type.group, type.plural);
      this.store.dropCollection(type.storageKey);
      return;
    }
    if (e.old && !e.old.metadata.deletionTimestamp && e.object.metadata.deletionTimestamp) {
      // A CRD being deleted stops serving new objects only once it is gone; nothing to do now.
      return;
    }
    this.registry.register(resourceTypeOf(e.object));
    setImmediate(() => this.writeStatus(e.object.metadata.name ?? '', spec));
  }

  private writeStatus(name: string, spec: CrdSpec): void {
    const current = this.store.get(CRD_STORAGE_KEY, undefined, name);
    if (!current) return;
    const previous = (isPlainObject(current.status) ? current.status : {}) as {
      conditions?: Array<{ type: string; lastTransitionTime?: string }>;
    };
    const since = (type: string) =>
      previous.conditions?.find(c => c.type === type)?.lastTransitionTime ??
      new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const storage = spec.versions?.find(v => v.storage)?.name;
    const status = {
      conditions: [
        {
          type: 'NamesAccepted',
          status: 'True',
          reason: 'NoConflicts',
          message: 'no conflicts found',
          lastTransitionTime: since('NamesAccepted'),
        },
        {
          type: 'Established',
          status: 'True',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
          lastTransitionTime: since('Established'),
        },
      ],
      acceptedNames: spec.names ?? {},
      storedVersions: storage ? [storage] : [],
    };
    if (deepEqual(current.status, status)) return;
    this.store.put(CRD_STORAGE_KEY, { ...deepClone(current), status });
  }
}
