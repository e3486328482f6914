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

const SCHEMA_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

/**
 * The structural checks on an openAPIV3Schema that keep malformed schemas out (the API server
 * refuses them too): every (sub)schema an object, known types, compilable patterns.
 */
function schemaProblems(schema: unknown, path: string, problems: FieldError[]): void {
  if (!isPlainObject(schema)) {
    problems.push({
      field: path,
      type: 'FieldValueInvalid',
      value: schema,
      detail: 'must be a schema object',
    });
    return;
  }
  if (schema.type !== undefined && !SCHEMA_TYPES.includes(schema.type as string)) {
    problems.push({
      field: `${path}.type`,
      type: 'FieldValueNotSupported',
      value: schema.type,
      detail: `supported values: ${SCHEMA_TYPES.map(t => `"${t}"`).join(', ')}`,
    });
  }
  if (schema.pattern !== undefined) {
    try {
      if (typeof schema.pattern !== 'string') throw new Error('not a string');
      new RegExp(schema.pattern, 'u');
    } catch (e) {
      problems.push({
        field: `${path}.pattern`,
        type: 'FieldValueInvalid',
        value: schema.pattern,
        detail: `must be a valid regular expression, but isn't: ${(e as Error).message}`,
      });
    }
  }
  if (schema.properties !== undefined) {
    if (!isPlainObject(schema.properties))
      schemaProblems(schema.properties, `${path}.properties`, problems);
    else
      for (const [k, v] of Object.entries(schema.properties))
        schemaProblems(v, `${path}.properties[${k}]`, problems);
  }
  if (schema.items !== undefined) schemaProblems(schema.items, `${path}.items`, problems);
  if (schema.not !== undefined) schemaProblems(schema.not, `${path}.not`, problems);
  if (
    schema.additionalProperties !== undefined &&
    typeof schema.additionalProperties !== 'boolean'
  ) {
    schemaProblems(schema.additionalProperties, `${path}.additionalProperties`, problems);
  }
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    const list = schema[k];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      problems.push({
        field: `${path}.${k}`,
        type: 'FieldValueInvalid',
        value: list,
        detail: 'must be a list of schemas',
      });
    } else list.forEach((sub, i) => schemaProblems(sub, `${path}.${k}[${i}]`, problems));
  }
  for (const k of ['required', 'enum']) {
    const list = schema[k];
    if (
      list !== undefined &&
      !(Array.isArray(list) && (k === 'enum' || list.every(r => typeof r === 'string')))
    ) {
      problems.push({
        field: `${path}.${k}`,
        type: 'FieldValueInvalid',
        value: list,
        detail: 'must be a list',
      });
    }
  }
}

/** A JSON path of a scale subresource: `.spec.x` / `.status.y`, simple fields only. */
function scalePathProblems(v: Record<string, unknown>, path: string, problems: FieldError[]): void {
  const scale = v.scale;
  if (scale === undefined) return;
  if (!isPlainObject(scale)) {
    problems.push({
      field: path,
      type: 'FieldValueInvalid',
      value: scale,
      detail: 'must be an object',
    });
    return;
  }
  const check = (key: string, roots: string[], required: boolean, detail: string) => {
    const value = scale[key];
    if (value === undefined || value === '') {
      if (required)
        problems.push({ field: `${path}.${key}`, type: 'FieldValueRequired', detail: '' });
      return;
    }
    const simple = typeof value === 'string' && /^(\.[A-Za-z0-9_-]+)+$/.test(value);
    if (!simple || !roots.some(r => value.startsWith(`.${r}.`))) {
      problems.push({ field: `${path}.${key}`, type: 'FieldValueInvalid', value, detail });
    }
  };
  check('specReplicasPath', ['spec'], true, 'should be a json path under .spec');
  check('statusReplicasPath', ['status'], true, 'should be a json path under .status');
  check(
    'labelSelectorPath',
    ['spec', 'status'],
    false,
    'should be a json path under either .spec or .status',
  );
}

export function validateCrd(o: KubeObject): FieldError[] {
  const spec = specOf(o);
  const problems: FieldError[] = [];
  // Malformed shapes (names or versions of the wrong type) are reported, never dereferenced.
  if (spec.names !== undefined && !isPlainObject(spec.names)) {
    problems.push({
      field: 'spec.names',
      type: 'FieldValueInvalid',
      value: spec.names,
      detail: 'must be an object',
    });
  }
  if (spec.versions !== undefined && !Array.isArray(spec.versions)) {
    problems.push({
      field: 'spec.versions',
      type: 'FieldValueInvalid',
      value: spec.versions,
      detail: 'must be a list',
    });
  }
  const names: CrdNames = isPlainObject(spec.names) ? spec.names : {};
  if (!spec.group) problems.push({ field: 'spec.group', type: 'FieldValueRequired', detail: '' });
  else if (typeof spec.group !== 'string' || !spec.group.includes('.')) {
    problems.push({
      field: 'spec.group',
      type: 'FieldValueInvalid',
      value: spec.group,
      detail: 'should be a domain with at least one dot',
    });
  } else if (
    /(^|\.)(k8s|kubernetes)\.io$/.test(spec.group) &&
    !o.metadata.annotations?.['api-approved.kubernetes.io']
  ) {
    problems.push({
      field: 'metadata.annotations[api-approved.kubernetes.io]',
      type: 'FieldValueRequired',
      detail:
        'protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111',
    });
  }
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
  const versions = (Array.isArray(spec.versions) ? spec.versions : []) as unknown[] as CrdVersion[];
  if (versions.length === 0)
    problems.push({
      field: 'spec.versions',
      type: 'FieldValueInvalid',
      value: [],
      detail: 'must have exactly one version marked as storage version',
    });
  else if (versions.filter(v => isPlainObject(v) && v.storage === true).length !== 1) {
    problems.push({
      field: 'spec.versions',
      type: 'FieldValueInvalid',
      value: versions.map(v => (isPlainObject(v) ? v.name : v)),
      detail: 'must have exactly one version marked as storage version',
    });
  }
  const seen = new Set<unknown>();
  versions.forEach((v, i) => {
    if (!isPlainObject(v)) {
      problems.push({
        field: `spec.versions[${i}]`,
        type: 'FieldValueInvalid',
        value: v,
        detail: 'must be an object',
      });
      return;
    }
    if (!v.name)
      problems.push({ field: `spec.versions[${i}].name`, type: 'FieldValueRequired', detail: '' });
    else if (seen.has(v.name))
      problems.push({
        field: `spec.versions[${i}].name`,
        type: 'FieldValueDuplicate',
        value: v.name,
        detail: '',
      });
    seen.add(v.name);
    const schema: unknown = v.schema;
    const root = isPlainObject(schema) ? schema.openAPIV3Schema : undefined;
    if (!root) {
      problems.push({
        field: `spec.versions[${i}].schema.openAPIV3Schema`,
        type: 'FieldValueRequired',
        detail: 'schemas are required',
      });
    } else {
      schemaProblems(root, `spec.versions[${i}].schema.openAPIV3Schema`, problems);
    }
    const subresources: unknown = v.subresources;
    if (isPlainObject(subresources))
      scalePathProblems(subresources, `spec.versions[${i}].subresources.scale`, problems);
    const columns: unknown = v.additionalPrinterColumns;
    if (columns !== undefined && !Array.isArray(columns)) {
      problems.push({
        field: `spec.versions[${i}].additionalPrinterColumns`,
        type: 'FieldValueInvalid',
        value: columns,
        detail: 'must be a list',
      });
    }
    (Array.isArray(columns) ? columns : []).forEach((c: unknown, j: number) => {
      const col = isPlainObject(c) ? c : {};
      const at = `spec.versions[${i}].additionalPrinterColumns[${j}]`;
      if (typeof col.name !== 'string' || !col.name)
        problems.push({ field: `${at}.name`, type: 'FieldValueRequired', detail: '' });
      if (typeof col.jsonPath !== 'string' || !col.jsonPath)
        problems.push({ field: `${at}.jsonPath`, type: 'FieldValueRequired', detail: '' });
    });
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
    // A CRD never replaces (nor, when deleted, removes) a built-in resource of the same name.
    const existing = this.registry.get(
      specOf(e.object).group ?? '',
      specOf(e.object).names?.plural ?? '',
    );
    if (existing && !existing.custom) return;
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
