// Writes for any kind: create, replace and status replace guarded by resourceVersion, merge
// patches, deletes. Every call resolves with what the API server stored.
import type { KubeClient } from './client.js';
import { isNotFound } from './errors.js';
import { resourcePath } from './resources.js';
import type { KubeObject, ResourceType } from './types.js';

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  /** Only delete this exact object (guards against deleting a re-created namesake). */
  uid?: string;
  resourceVersion?: string;
}

export interface MergePatchOptions {
  /** Guard the patch: a 409 ConflictError when the object moved past this version. */
  resourceVersion?: string;
  /** Patch the status subresource instead of the main resource. */
  subresource?: 'status';
}

/** The write side of the controller. Reads come from `ResourceCache`; `read` is for conflicts. */
export interface ObjectWriter {
  /** POST; `AlreadyExistsError` (a `ConflictError`) when the name is taken. */
  create<T extends KubeObject>(type: ResourceType, object: T): Promise<T>;
  /** PUT with `metadata.resourceVersion` (required): `ConflictError` when stale. */
  replace<T extends KubeObject>(type: ResourceType, object: T): Promise<T>;
  /** PUT to `/status` with `metadata.resourceVersion` (required); only `.status` changes. */
  replaceStatus<T extends KubeObject>(type: ResourceType, object: T): Promise<T>;
  /** JSON merge patch (RFC 7386): `null` removes a key; lists are replaced whole. */
  mergePatch<T extends KubeObject>(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: object,
    options?: MergePatchOptions,
  ): Promise<T>;
  /** Resolves true when deleted (or deletion started), false when it was already gone. */
  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): Promise<boolean>;
  /** A live GET (undefined on 404). For conflict retries and tests, not for every tick. */
  read<T extends KubeObject>(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): Promise<T | undefined>;
}

const MERGE_PATCH = 'application/merge-patch+json';

function nameOf(object: KubeObject): string {
  const name = object.metadata?.name;
  if (!name) throw new Error('object has no metadata.name');
  return name;
}

function subject(verb: string, type: ResourceType, namespace: string | undefined, name: string) {
  return `${verb} ${type.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** Stamps apiVersion/kind from the resource type so callers may omit them. */
function typed<T extends KubeObject>(type: ResourceType, object: T): T {
  const apiVersion = type.group ? `${type.group}/${type.version}` : type.version;
  return { ...object, apiVersion, kind: type.kind };
}

function requireVersion(object: KubeObject, verb: string): void {
  if (!object.metadata?.resourceVersion) {
    throw new Error(`${verb} needs metadata.resourceVersion (optimistic concurrency)`);
  }
}

export function createObjectWriter(client: KubeClient): ObjectWriter {
  const redact = (type: ResourceType) => type.kind === 'Secret';
  return {
    async create<T extends KubeObject>(type: ResourceType, object: T) {
      const ns = object.metadata?.namespace;
      return client.request<T>({
        method: 'POST',
        path: resourcePath(type, ns),
        body: typed(type, object),
        subject: subject('create', type, ns, object.metadata?.name ?? ''),
        redact: redact(type),
      });
    },
    async replace<T extends KubeObject>(type: ResourceType, object: T) {
      requireVersion(object, 'replace');
      const ns = object.metadata?.namespace;
      const name = nameOf(object);
      return client.request<T>({
        method: 'PUT',
        path: resourcePath(type, ns, name),
        body: typed(type, object),
        subject: subject('replace', type, ns, name),
        redact: redact(type),
      });
    },
    async replaceStatus<T extends KubeObject>(type: ResourceType, object: T) {
      requireVersion(object, 'replaceStatus');
      const ns = object.metadata?.namespace;
      const name = nameOf(object);
      return client.request<T>({
        method: 'PUT',
        path: resourcePath(type, ns, name, 'status'),
        body: typed(type, object),
        subject: subject('replace status of', type, ns, name),
        redact: redact(type),
      });
    },
    async mergePatch<T extends KubeObject>(
      type: ResourceType,
      namespace: string | undefined,
      name: string,
      patch: object,
      options: MergePatchOptions = {},
    ) {
      const body = options.resourceVersion
        ? withVersion(patch as Record<string, unknown>, options.resourceVersion)
        : patch;
      return client.request<T>({
        method: 'PATCH',
        path: resourcePath(type, namespace, name, options.subresource),
        body,
        contentType: MERGE_PATCH,
        subject: subject('patch', type, namespace, name),
        redact: redact(type),
      });
    },
    async delete(
      type: ResourceType,
      namespace: string | undefined,
      name: string,
      options: DeleteOptions = {},
    ) {
      const preconditions =
        options.uid || options.resourceVersion
          ? { uid: options.uid, resourceVersion: options.resourceVersion }
          : undefined;
      try {
        await client.request({
          method: 'DELETE',
          path: resourcePath(type, namespace, name),
          body: {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
            ...(preconditions ? { preconditions } : {}),
          },
          subject: subject('delete', type, namespace, name),
        });
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },
    async read<T extends KubeObject>(
      type: ResourceType,
      namespace: string | undefined,
      name: string,
    ) {
      try {
        return await client.request<T>({
          method: 'GET',
          path: resourcePath(type, namespace, name),
          subject: subject('read', type, namespace, name),
        });
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
  };
}

function withVersion(patch: Record<string, unknown>, resourceVersion: string): object {
  const metadata = (patch.metadata ?? {}) as Record<string, unknown>;
  return { ...patch, metadata: { ...metadata, resourceVersion } };
}
