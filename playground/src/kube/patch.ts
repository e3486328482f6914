/**
 * The three patch formats of the Kubernetes API: JSON merge patch (RFC 7386), JSON patch
 * (RFC 6902) and strategic merge patch (Kubernetes' own, for built-in kinds only).
 */
import { ApiError } from './errors.js';
import { deepClone, deepEqual, isPlainObject } from './types.js';

type Obj = Record<string, unknown>;

function patchRejected(detail: string): ApiError {
  return new ApiError(
    422,
    'Invalid',
    `the server rejected our request due to an error in our request: ${detail}`,
  );
}

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return deepClone(patch);
  const result: Obj = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

// ---------- JSON patch ----------

interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw patchRejected(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function resolveParent(
  doc: unknown,
  parts: string[],
  op: string,
  pointer: string,
): { parent: Obj | unknown[]; key: string } {
  let cur: unknown = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(part)];
    else if (isPlainObject(cur)) cur = cur[part];
    else cur = undefined;
    if (cur === undefined) {
      throw patchRejected(
        `jsonpatch ${op} operation does not apply: doc is missing path: "${pointer}"`,
      );
    }
  }
  if (!Array.isArray(cur) && !isPlainObject(cur)) {
    throw patchRejected(
      `jsonpatch ${op} operation does not apply: doc is missing path: "${pointer}"`,
    );
  }
  return { parent: cur, key: parts[parts.length - 1] ?? '' };
}

function arrayIndex(
  arr: unknown[],
  key: string,
  allowEnd: boolean,
  op: string,
  pointer: string,
): number {
  if (key === '-' && allowEnd) return arr.length;
  if (!/^\d+$/.test(key))
    throw patchRejected(`jsonpatch ${op} operation: invalid array index "${key}" in "${pointer}"`);
  const index = Number(key);
  if (index > arr.length || (!allowEnd && index === arr.length)) {
    throw patchRejected(
      `jsonpatch ${op} operation does not apply: index out of range in "${pointer}"`,
    );
  }
  return index;
}

function getAt(doc: unknown, pointer: string, op: string): unknown {
  const parts = parsePointer(pointer);
  if (parts.length === 0) return doc;
  const { parent, key } = resolveParent(doc, parts, op, pointer);
  const value = Array.isArray(parent)
    ? parent[arrayIndex(parent, key, false, op, pointer)]
    : parent[key];
  if (value === undefined)
    throw patchRejected(
      `jsonpatch ${op} operation does not apply: doc is missing key: "${pointer}"`,
    );
  return value;
}

function removeAt(doc: unknown, pointer: string, op: string): unknown {
  const parts = parsePointer(pointer);
  const { parent, key } = resolveParent(doc, parts, op, pointer);
  if (Array.isArray(parent))
    return parent.splice(arrayIndex(parent, key, false, op, pointer), 1)[0];
  if (!(key in parent))
    throw patchRejected(
      `jsonpatch ${op} operation does not apply: doc is missing key: "${pointer}"`,
    );
  const old = parent[key];
  delete parent[key];
  return old;
}

function addAt(
  doc: unknown,
  pointer: string,
  value: unknown,
  op: string,
  replace: boolean,
): unknown {
  const parts = parsePointer(pointer);
  if (parts.length === 0) return deepClone(value);
  const { parent, key } = resolveParent(doc, parts, op, pointer);
  if (Array.isArray(parent)) {
    const index = arrayIndex(parent, key, !replace, op, pointer);
    parent.splice(index, replace ? 1 : 0, deepClone(value));
  } else {
    if (replace && !(key in parent)) {
      throw patchRejected(
        `jsonpatch replace operation does not apply: doc is missing key: "${pointer}"`,
      );
    }
    parent[key] = deepClone(value);
  }
  return doc;
}

export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw patchRejected('a JSON patch must be an array of operations');
  let doc = deepClone(target);
  for (const raw of patch) {
    if (!isPlainObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw patchRejected('every JSON patch operation needs string "op" and "path"');
    }
    const op = raw as unknown as JsonPatchOp;
    switch (op.op) {
      case 'add':
        doc = addAt(doc, op.path, op.value, 'add', false);
        break;
      case 'replace':
        doc = addAt(doc, op.path, op.value, 'replace', true);
        break;
      case 'remove':
        removeAt(doc, op.path, 'remove');
        break;
      case 'move': {
        const value = removeAt(doc, op.from ?? '', 'move');
        doc = addAt(doc, op.path, value, 'move', false);
        break;
      }
      case 'copy':
        doc = addAt(doc, op.path, getAt(doc, op.from ?? '', 'copy'), 'copy', false);
        break;
      case 'test':
        if (!deepEqual(getAt(doc, op.path, 'test'), op.value)) {
          throw patchRejected(`testing value ${op.path} failed`);
        }
        break;
      default:
        throw patchRejected(`unexpected JSON patch operation "${op.op}"`);
    }
  }
  return doc;
}

// ---------- strategic merge patch ----------

/** Merge keys of the built-in kinds' lists (what the Go structs declare as patchMergeKey). */
function mergeKeyFor(field: string, path: string[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'resourceClaims':
      return 'name';
    case 'ports':
      return path.includes('containers') || path.includes('initContainers')
        ? 'containerPort'
        : 'port';
    case 'volumeMounts':
      return 'mountPath';
    case 'volumeDevices':
      return 'devicePath';
    case 'hostAliases':
      return 'ip';
    case 'conditions':
      return 'type';
    case 'ownerReferences':
      return 'uid';
    case 'topologySpreadConstraints':
      return 'topologyKey';
    default:
      return undefined;
  }
}

/** Primitive lists that merge (union) instead of being replaced. */
const MERGING_PRIMITIVE_LISTS = new Set(['finalizers']);

function orderBy(list: unknown[], order: unknown[], key: string | undefined): unknown[] {
  const rank = (item: unknown): number => {
    const id = key && isPlainObject(item) ? item[key] : item;
    const i = order.findIndex(o => deepEqual(key && isPlainObject(o) ? o[key] : o, id));
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return list
    .map((item, index) => ({ item, index, rank: rank(item) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(e => e.item);
}

function mergeList(field: string, path: string[], current: unknown, patch: unknown[]): unknown[] {
  const key = mergeKeyFor(field, path);
  if (patch.some(item => isPlainObject(item) && item.$patch === 'replace')) {
    return patch.filter(item => !(isPlainObject(item) && item.$patch === 'replace'));
  }
  const base = Array.isArray(current) ? [...current] : [];
  if (key) {
    for (const item of patch) {
      if (!isPlainObject(item)) continue;
      const index = base.findIndex(b => isPlainObject(b) && deepEqual(b[key], item[key]));
      if (item.$patch === 'delete') {
        if (index >= 0) base.splice(index, 1);
      } else if (index >= 0) {
        base[index] = strategicMerge(base[index], item, [...path, field]);
      } else {
        base.push(strategicMerge({}, item, [...path, field]));
      }
    }
    return base;
  }
  if (MERGING_PRIMITIVE_LISTS.has(field)) {
    for (const item of patch) if (!base.some(b => deepEqual(b, item))) base.push(item);
    return base;
  }
  return deepClone(patch);
}

export function strategicMerge(target: unknown, patch: unknown, path: string[] = []): unknown {
  if (!isPlainObject(patch)) return deepClone(patch);
  if (patch.$patch === 'delete') return undefined;
  if (patch.$patch === 'replace') {
    const { $patch: _drop, ...rest } = patch;
    return deepClone(rest);
  }
  let result: Obj = isPlainObject(target) ? { ...target } : {};
  const retain = patch.$retainKeys;
  const orders: Array<[string, unknown[]]> = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith('$setElementOrder/')) {
      if (Array.isArray(value)) orders.push([key.slice('$setElementOrder/'.length), value]);
      continue;
    }
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const list = result[field];
      if (Array.isArray(list) && Array.isArray(value)) {
        result[field] = list.filter(v => !value.some(d => deepEqual(d, v)));
      }
      continue;
    }
    if (value === null) {
      delete result[key];
    } else if (Array.isArray(value)) {
      result[key] = mergeList(key, path, result[key], value);
    } else if (isPlainObject(value)) {
      const merged = strategicMerge(result[key], value, [...path, key]);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else {
      result[key] = value;
    }
  }
  for (const [field, order] of orders) {
    const list = result[field];
    if (Array.isArray(list)) result[field] = orderBy(list, order, mergeKeyFor(field, path));
  }
  if (Array.isArray(retain)) {
    result = Object.fromEntries(Object.entries(result).filter(([k]) => retain.includes(k)));
  }
  return result;
}
