/**
 * What the API server does between a request and storage: metadata bookkeeping, defaulting,
 * validation, optimistic concurrency, generation, status subresources, finalizers and deletion.
 * The HTTP layer and the emulator's own controllers both write through this layer.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FieldError } from './errors.js';
import { ApiError, errors, invalid } from './errors.js';
import { validateName } from './builtins.js';
import { applySchema } from './openapi-schema.js';
import { applyJsonPatch, applyMergePatch, strategicMerge } from './patch.js';
import type { ResourceType, ResourceVersionInfo } from './resources.js';
import { apiVersionOf } from './resources.js';
import type { FieldRequirement, LabelSelector } from './selectors.js';
import { matchesFields, matchesLabels } from './selectors.js';
import type { ObjectStore } from './store.js';
import type { KubeObject, ObjectMeta } from './types.js';
import { deepClone, deepEqual, isPlainObject } from './types.js';

export type PatchType = 'merge' | 'json' | 'strategic';
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
  subresource?: 'status';
}

export interface WriteResult {
  object: KubeObject;
  warnings: string[];
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface ListOptions {
  labelSelector?: LabelSelector;
  fieldSelector?: FieldRequirement[];
}

/** A served view of a resource: the type plus the API version the client speaks. */
export interface Served {
  type: ResourceType;
  version: ResourceVersionInfo;
}

const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

export const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
function randomSuffix(): string {
  return [...randomBytes(5)].map(b => NAME_CHARS[b % NAME_CHARS.length]).join('');
}

/**
 * Everything but metadata and status: what `metadata.generation` tracks. A custom resource
 * without a status subresource counts its status too, as the API server does.
 */
function desiredState(o: KubeObject, withStatus = false): Record<string, unknown> {
  const { metadata: _m, status, resourceVersion: _r, ...rest } = o as Record<string, unknown>;
  return withStatus ? { ...rest, status } : rest;
}

/**
 * ObjectMeta fields have fixed Go types in the API server, so a body with, say, a numeric name or
 * a non-string label value fails to decode there (400) instead of being stored. Returns the first
 * offending field with the Go type it should have had, like encoding/json reports it.
 */
function metadataTypeError(
  meta: Record<string, unknown>,
): { field: string; got: string; goType: string } | undefined {
  const jsonType = (v: unknown) =>
    Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'bool' : v === null ? 'null' : typeof v;
  const strings = [
    'name',
    'generateName',
    'namespace',
    'uid',
    'resourceVersion',
    'creationTimestamp',
    'deletionTimestamp',
  ];
  for (const k of strings) {
    const v = meta[k];
    if (v !== undefined && v !== null && typeof v !== 'string')
      return { field: k, got: jsonType(v), goType: 'string' };
  }
  for (const k of ['generation', 'deletionGracePeriodSeconds']) {
    const v = meta[k];
    if (v !== undefined && v !== null && !Number.isInteger(v))
      return { field: k, got: jsonType(v), goType: 'int64' };
  }
  for (const k of ['labels', 'annotations']) {
    const v = meta[k];
    if (v === undefined || v === null) continue;
    if (!isPlainObject(v)) return { field: k, got: jsonType(v), goType: 'map[string]string' };
    for (const item of Object.values(v)) {
      if (typeof item !== 'string') return { field: k, got: jsonType(item), goType: 'string' };
    }
  }
  const finalizers = meta.finalizers;
  if (finalizers !== undefined && finalizers !== null) {
    if (!Array.isArray(finalizers))
      return { field: 'finalizers', got: jsonType(finalizers), goType: '[]string' };
    const bad = finalizers.find(f => typeof f !== 'string');
    if (bad !== undefined) return { field: 'finalizers', got: jsonType(bad), goType: 'string' };
  }
  const owners = meta.ownerReferences;
  if (owners !== undefined && owners !== null) {
    if (!Array.isArray(owners))
      return { field: 'ownerReferences', got: jsonType(owners), goType: '[]v1.OwnerReference' };
    for (const ref of owners) {
      if (!isPlainObject(ref))
        return { field: 'ownerReferences', got: jsonType(ref), goType: 'v1.OwnerReference' };
      for (const k of ['apiVersion', 'kind', 'name', 'uid']) {
        if (ref[k] !== undefined && typeof ref[k] !== 'string')
          return { field: `ownerReferences.${k}`, got: jsonType(ref[k]), goType: 'string' };
      }
      for (const k of ['controller', 'blockOwnerDeletion']) {
        if (ref[k] !== undefined && ref[k] !== null && typeof ref[k] !== 'boolean')
          return { field: `ownerReferences.${k}`, got: jsonType(ref[k]), goType: 'bool' };
      }
    }
  }
  return undefined;
}

/** The API server's ValidateOwnerReferences: every reference names its owner completely. */
function ownerReferenceProblems(meta: ObjectMeta): FieldError[] {
  const problems: FieldError[] = [];
  const field = 'metadata.ownerReferences';
  for (const ref of meta.ownerReferences ?? []) {
    if (!ref.apiVersion)
      problems.push({
        field: `${field}.apiVersion`,
        type: 'FieldValueInvalid',
        value: '',
        detail: 'version must not be empty',
      });
    if (!ref.kind)
      problems.push({
        field: `${field}.kind`,
        type: 'FieldValueInvalid',
        value: '',
        detail: 'kind must not be empty',
      });
    if (!ref.name)
      problems.push({
        field: `${field}.name`,
        type: 'FieldValueInvalid',
        value: '',
        detail: 'name must not be empty',
      });
    if (!ref.uid)
      problems.push({
        field: `${field}.uid`,
        type: 'FieldValueInvalid',
        value: '',
        detail: 'uid must not be empty',
      });
  }
  return problems;
}

export class ObjectApi {
  constructor(private readonly store: ObjectStore) {}

  /** Converts a stored object to what a client of this resource version sees. */
  present(s: Served, stored: KubeObject): KubeObject {
    const viewed = s.type.fromStorage ? s.type.fromStorage(stored) : stored;
    return { ...viewed, apiVersion: apiVersionOf(s.type.group, s.version.name), kind: s.type.kind };
  }

  private toStorage(s: Served, o: KubeObject): KubeObject {
    return s.type.toStorage ? s.type.toStorage(o) : o;
  }

  get(s: Served, namespace: string | undefined, name: string): KubeObject {
    const found = this.store.get(s.type.storageKey, namespace, name);
    if (!found) throw errors.notFound(s.type.plural, s.type.group, name);
    return this.present(s, found);
  }

  list(s: Served, namespace: string | undefined, opts: ListOptions): KubeObject[] {
    return this.store
      .list(s.type.storageKey, namespace)
      .filter(o => this.matches(s, o, opts))
      .map(o => this.present(s, o));
  }

  matches(s: Served, stored: KubeObject, opts: ListOptions): boolean {
    if (opts.labelSelector && !matchesLabels(opts.labelSelector, stored.metadata.labels))
      return false;
    if (opts.fieldSelector?.length && !matchesFields(opts.fieldSelector, this.present(s, stored)))
      return false;
    return true;
  }

  private checkNamespace(s: Served, namespace: string | undefined, name: string): void {
    if (!s.type.namespaced) return;
    const ns = this.store.get('/namespaces', undefined, namespace ?? '');
    if (!ns) throw errors.notFound('namespaces', '', namespace ?? '');
    if (ns.metadata.deletionTimestamp) {
      throw errors.forbidden(
        s.type.plural,
        s.type.group,
        name,
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  /** Defaulting and validation shared by create and update; returns the object to store. */
  private admit(
    s: Served,
    o: KubeObject,
    old: KubeObject | undefined,
    opts: WriteOptions,
  ): WriteResult {
    const warnings: string[] = [];
    const problems: FieldError[] = [];
    let result = o;
    if (s.type.custom && s.version.schema) {
      const outcome = applySchema(o, s.version.schema);
      result = outcome.value as KubeObject;
      problems.push(...outcome.errors);
      if (outcome.unknownFields.length > 0) {
        const list = outcome.unknownFields.map(f => `unknown field "${f}"`);
        if (opts.fieldValidation === 'Strict') {
          // The API server's decode-error wording (transformDecodeError), as kubectl prints it.
          throw errors.badRequest(
            `${s.type.kind} in version "${s.version.name}" cannot be handled as a ${s.type.kind}: strict decoding error: ${list.join(', ')}`,
          );
        }
        if (opts.fieldValidation === 'Warn') warnings.push(...list);
      }
    } else {
      s.type.applyDefaults?.(result, old);
    }
    if (!old) problems.push(...validateName(result.metadata.name, s.type.kind === 'Namespace'));
    problems.push(...ownerReferenceProblems(result.metadata));
    problems.push(...(s.type.validate?.(result, old) ?? []));
    if (problems.length > 0)
      throw invalid(s.type.kind, s.type.group, o.metadata.name ?? '', problems);
    return { object: result, warnings };
  }

  private checkBody(s: Served, body: unknown, namespace: string | undefined): KubeObject {
    if (!isPlainObject(body)) throw errors.badRequest('the request body must be a JSON object');
    const expected = apiVersionOf(s.type.group, s.version.name);
    if (body.apiVersion !== undefined && body.apiVersion !== expected) {
      throw errors.badRequest(
        `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expected})`,
      );
    }
    if (body.kind !== undefined && body.kind !== s.type.kind) {
      throw errors.badRequest(
        `the kind in the data (${String(body.kind)}) does not match the expected kind (${s.type.kind})`,
      );
    }
    if (body.metadata !== undefined && !isPlainObject(body.metadata)) {
      throw errors.badRequest('metadata must be an object');
    }
    // Mistyped metadata is refused before it can reach storage (or the garbage collector).
    const typeError = isPlainObject(body.metadata) ? metadataTypeError(body.metadata) : undefined;
    if (typeError) {
      throw errors.badRequest(
        `${s.type.kind} in version "${s.version.name}" cannot be handled as a ${s.type.kind}: json: cannot unmarshal ${typeError.got} into Go struct field ObjectMeta.metadata.${typeError.field} of type ${typeError.goType}`,
      );
    }
    const o = deepClone(body) as KubeObject;
    o.apiVersion = expected;
    o.kind = s.type.kind;
    o.metadata = (o.metadata ?? {}) as ObjectMeta;
    if (s.type.namespaced) {
      if (o.metadata.namespace && namespace && o.metadata.namespace !== namespace) {
        throw errors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      o.metadata.namespace = namespace;
    } else {
      delete o.metadata.namespace;
    }
    return o;
  }

  create(
    s: Served,
    namespace: string | undefined,
    body: unknown,
    opts: WriteOptions = {},
  ): WriteResult {
    const o = this.checkBody(s, body, namespace);
    const meta = o.metadata;
    if (!meta.name) {
      if (!meta.generateName) {
        throw invalid(s.type.kind, s.type.group, '', [
          {
            field: 'metadata.name',
            type: 'FieldValueRequired',
            detail: 'name or generateName is required',
          },
        ]);
      }
      meta.name = `${meta.generateName}${randomSuffix()}`;
    }
    this.checkNamespace(s, namespace, meta.name);
    if (s.version.status) delete o.status;
    for (const k of [
      'uid',
      'resourceVersion',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
    ] as const)
      delete meta[k];
    meta.uid = randomUUID();
    meta.creationTimestamp = nowIso();
    if (s.type.hasGeneration || s.type.custom) meta.generation = 1;
    else delete meta.generation;
    const admitted = this.admit(s, this.toStorage(s, o), undefined, opts);
    if (this.store.get(s.type.storageKey, namespace, meta.name))
      throw errors.alreadyExists(s.type.plural, s.type.group, meta.name);
    if (opts.dryRun)
      return { object: this.present(s, admitted.object), warnings: admitted.warnings };
    return {
      object: this.present(s, this.store.put(s.type.storageKey, admitted.object)),
      warnings: admitted.warnings,
    };
  }

  update(
    s: Served,
    namespace: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions = {},
  ): WriteResult {
    const incoming = this.checkBody(s, body, namespace);
    const stored = this.store.get(s.type.storageKey, namespace, name);
    if (!stored) throw errors.notFound(s.type.plural, s.type.group, name);
    if (incoming.metadata.name !== undefined && incoming.metadata.name !== name) {
      throw errors.badRequest(
        `the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    const rv = incoming.metadata.resourceVersion;
    if (rv === undefined || rv === '') {
      if (s.type.custom) {
        throw invalid(s.type.kind, s.type.group, name, [
          {
            field: 'metadata.resourceVersion',
            type: 'FieldValueInvalid',
            value: 0,
            detail: 'must be specified for an update',
          },
        ]);
      }
    } else if (rv !== stored.metadata.resourceVersion) {
      throw errors.conflict(
        s.type.plural,
        s.type.group,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    const old = stored;
    let next = this.toStorage(s, incoming);
    if (opts.subresource === 'status') {
      // A status write changes status only; spec and metadata stay as stored.
      next = { ...deepClone(old), status: deepClone(next.status) } as KubeObject;
      if (next.status === undefined) delete next.status;
    } else if (s.version.status) {
      next = { ...next, status: deepClone(old.status) } as KubeObject;
      if (old.status === undefined) delete next.status;
    }
    const meta = next.metadata;
    meta.name = name;
    meta.uid = old.metadata.uid;
    meta.creationTimestamp = old.metadata.creationTimestamp;
    meta.resourceVersion = old.metadata.resourceVersion;
    if (old.metadata.deletionTimestamp) {
      meta.deletionTimestamp = old.metadata.deletionTimestamp;
      meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    } else {
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
    }
    if (meta.generation !== undefined || old.metadata.generation !== undefined)
      meta.generation = old.metadata.generation;
    const admitted = this.admit(s, next, old, opts);
    const result = admitted.object;
    if (
      (s.type.hasGeneration || s.type.custom) &&
      !deepEqual(
        desiredState(result, s.type.custom && !s.version.status),
        desiredState(old, s.type.custom && !s.version.status),
      )
    ) {
      result.metadata.generation = (old.metadata.generation ?? 0) + 1;
    }
    if (deepEqual(result, old) || opts.dryRun) {
      return { object: this.present(s, opts.dryRun ? result : old), warnings: admitted.warnings };
    }
    if (result.metadata.deletionTimestamp && (result.metadata.finalizers ?? []).length === 0) {
      // The last finalizer is gone: the pending deletion completes now.
      const gone = this.store.remove(s.type.storageKey, namespace, name) ?? result;
      return { object: this.present(s, gone), warnings: admitted.warnings };
    }
    return {
      object: this.present(s, this.store.put(s.type.storageKey, result)),
      warnings: admitted.warnings,
    };
  }

  patch(
    s: Served,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    opts: WriteOptions = {},
  ): WriteResult {
    const current = this.get(s, namespace, name);
    let next: unknown;
    if (type === 'json') next = applyJsonPatch(current, patch);
    else if (!isPlainObject(patch)) throw errors.badRequest('a merge patch must be a JSON object');
    else if (type === 'strategic') {
      if (s.type.custom)
        throw new ApiError(
          415,
          'UnsupportedMediaType',
          'strategic merge patch format is not supported',
        );
      next = strategicMerge(current, patch);
    } else next = applyMergePatch(current, patch);
    if (
      isPlainObject(next) &&
      isPlainObject(next.metadata) &&
      next.metadata.resourceVersion === undefined
    ) {
      // A patch that removes resourceVersion is unconditional, not a conflict.
      next.metadata.resourceVersion = current.metadata.resourceVersion;
    }
    return this.update(s, namespace, name, next, opts);
  }

  delete(
    s: Served,
    namespace: string | undefined,
    name: string,
    opts: DeleteOptions = {},
  ): { object: KubeObject; finished: boolean } {
    const stored = this.store.get(s.type.storageKey, namespace, name);
    if (!stored) throw errors.notFound(s.type.plural, s.type.group, name);
    // The NamespaceLifecycle admission plugin keeps the system namespaces.
    if (s.type.storageKey === '/namespaces' && IMMORTAL_NAMESPACES.includes(name)) {
      throw errors.forbidden(
        s.type.plural,
        s.type.group,
        name,
        'this namespace may not be deleted',
      );
    }
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== stored.metadata.uid) {
      throw errors.conflict(
        s.type.plural,
        s.type.group,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${stored.metadata.uid ?? ''}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== stored.metadata.resourceVersion) {
      throw errors.conflict(
        s.type.plural,
        s.type.group,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${stored.metadata.resourceVersion ?? ''}`,
      );
    }
    if (opts.dryRun) return { object: this.present(s, stored), finished: false };
    if (stored.metadata.deletionTimestamp)
      return { object: this.present(s, stored), finished: false };
    const finalizers = [...(stored.metadata.finalizers ?? [])];
    if (opts.propagationPolicy === 'Orphan') finalizers.push('orphan');
    if (opts.propagationPolicy === 'Foreground') finalizers.push('foregroundDeletion');
    const isNamespace = s.type.storageKey === '/namespaces';
    if (finalizers.length > 0 || isNamespace) {
      const marked = deepClone(stored);
      marked.metadata.deletionTimestamp = nowIso();
      marked.metadata.deletionGracePeriodSeconds = 0;
      marked.metadata.finalizers = finalizers;
      if (finalizers.length === 0) delete marked.metadata.finalizers;
      if (isNamespace)
        marked.status = {
          ...(isPlainObject(marked.status) ? marked.status : {}),
          phase: 'Terminating',
        };
      return {
        object: this.present(s, this.store.put(s.type.storageKey, marked)),
        finished: false,
      };
    }
    const gone = this.store.remove(s.type.storageKey, namespace, name) ?? stored;
    return { object: this.present(s, gone), finished: true };
  }

  /** Removes a finalizer the emulator itself handles (orphan, foregroundDeletion, kubernetes). */
  dropFinalizer(
    storageKey: string,
    namespace: string | undefined,
    name: string,
    finalizer: string,
  ): void {
    const stored = this.store.get(storageKey, namespace, name);
    if (!stored?.metadata.finalizers?.includes(finalizer)) return;
    const next = deepClone(stored);
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter(f => f !== finalizer);
    if (next.metadata.deletionTimestamp && next.metadata.finalizers.length === 0)
      this.store.remove(storageKey, namespace, name);
    else this.store.put(storageKey, next);
  }

  /** Writes an object straight to storage (the emulator's own controllers), keeping its metadata. */
  putStored(storageKey: string, object: KubeObject): KubeObject {
    return this.store.put(storageKey, object);
  }
}
