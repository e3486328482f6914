/** The emulator's HTTP front: authentication, routing and the REST verbs on every resource. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import {
  apiGroupDoc,
  apiGroupList,
  apiVersions,
  KUBE_VERSION,
  openApiV3Doc,
  openApiV3Root,
  resourceList,
} from './discovery.js';
import { errors } from './errors.js';
import type {
  DeleteOptions,
  FieldValidation,
  ObjectApi,
  PatchType,
  Served,
  WriteOptions,
} from './objects.js';
import type { ResourcePath } from './request.js';
import { parseBody, parsePath, queryFlag, readBody, sendError, sendJson } from './request.js';
import type { ResourceRegistry } from './resources.js';
import { apiVersionOf } from './resources.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import type { ObjectStore } from './store.js';
import { objectKey } from './store.js';
import { tableFormatOf, toTable } from './table.js';
import type { KubeObject } from './types.js';
import { isPlainObject } from './types.js';
import type { WatchHub } from './watch.js';
import { evaluateJsonPath } from './jsonpath.js';
import { applyJsonPatch, applyMergePatch } from './patch.js';

const PATCH_TYPES: Record<string, PatchType> = {
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/strategic-merge-patch+json': 'strategic',
};

export interface ServerContext {
  registry: ResourceRegistry;
  store: ObjectStore;
  objects: ObjectApi;
  watches: WatchHub;
  token?: string;
  address(): string;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '';
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);

export function createHandler(ctx: ServerContext) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(ctx, req, res).catch(err => sendError(res, err));
  };
}

async function handle(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  // Always consume the body, so an early refusal never leaves bytes that would be read as the
  // next request on a keep-alive connection.
  const raw = await readBody(req);
  if (
    ctx.token &&
    !PUBLIC_PATHS.has(url.pathname) &&
    !tokenMatches(req.headers.authorization, ctx.token)
  ) {
    throw errors.unauthorized();
  }
  const method = req.method ?? 'GET';
  const parsed = parsePath(url.pathname);
  if (parsed.kind === 'resource')
    return handleResource(ctx, req, res, parsed.path, url.searchParams, raw);
  if (method !== 'GET') throw errors.methodNotAllowed(method);
  if (parsed.kind === 'groupVersion') {
    if (!ctx.registry.versionsOf(parsed.group).includes(parsed.version))
      throw errors.pathNotFound();
    return sendJson(res, 200, resourceList(ctx.registry, parsed.group, parsed.version));
  }
  if (parsed.kind === 'group') {
    if (!ctx.registry.groups().includes(parsed.group)) throw errors.pathNotFound();
    return sendJson(res, 200, apiGroupDoc(ctx.registry, parsed.group));
  }
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/api') return sendJson(res, 200, apiVersions(ctx.address()));
  if (path === '/apis') return sendJson(res, 200, apiGroupList(ctx.registry));
  if (path === '/version') return sendJson(res, 200, KUBE_VERSION);
  if (path === '/healthz' || path === '/livez' || path === '/readyz') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok');
    return;
  }
  if (path === '/openapi/v3') return sendJson(res, 200, openApiV3Root(ctx.registry));
  const gv = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (gv) {
    const group = gv[2] ?? '';
    const version = gv[1] ?? gv[3] ?? '';
    if (!ctx.registry.versionsOf(group).includes(version)) throw errors.pathNotFound();
    return sendJson(res, 200, openApiV3Doc(ctx.registry, group, version));
  }
  throw errors.pathNotFound();
}

function fieldValidationOf(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw errors.badRequest(`fieldValidation parameter unsupported: ${v}`);
}

function writeOptions(q: URLSearchParams): WriteOptions {
  return { dryRun: q.getAll('dryRun').includes('All'), fieldValidation: fieldValidationOf(q) };
}

function listOptions(q: URLSearchParams) {
  return {
    labelSelector: parseLabelSelector(q.get('labelSelector') ?? undefined),
    fieldSelector: parseFieldSelector(q.get('fieldSelector') ?? undefined),
  };
}

interface ContinueToken {
  rv: number;
  /** Key (namespace/name) of the last object returned; the next page starts after it. */
  key: string;
}

function decodeContinue(token: string | null): ContinueToken | undefined {
  if (!token) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    if (typeof parsed.key === 'string' && typeof parsed.rv === 'number') return parsed;
  } catch {
    // fall through to the error below
  }
  throw errors.badRequest('continue key is not valid: illegal base64 data');
}

async function handleResource(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: ResourcePath,
  q: URLSearchParams,
  raw: Buffer,
): Promise<void> {
  const found = ctx.registry.lookup(path.group, path.version, path.plural);
  if (!found) throw errors.pathNotFound();
  const served: Served = found;
  const { type } = found;
  const method = req.method ?? 'GET';
  if (type.namespaced && path.name !== undefined && path.namespace === undefined)
    throw errors.pathNotFound();
  if (!type.namespaced && path.namespace !== undefined) throw errors.pathNotFound();
  const ns = path.namespace;
  const table = tableFormatOf(req.headers.accept, q.get('includeObject') ?? undefined);

  if (path.name === undefined) {
    if (method === 'GET') {
      if (queryFlag(q, 'watch')) {
        const timeout = q.get('timeoutSeconds');
        return ctx.watches.serve(res, {
          served,
          namespace: ns,
          list: listOptions(q),
          resourceVersion: q.get('resourceVersion') ?? undefined,
          bookmarks: queryFlag(q, 'allowWatchBookmarks'),
          sendInitialEvents: queryFlag(q, 'sendInitialEvents'),
          timeoutSeconds: timeout ? Number(timeout) : undefined,
          table,
        });
      }
      const all = ctx.objects.list(served, ns, listOptions(q));
      const limit = Number(q.get('limit') ?? 0);
      const cont = decodeContinue(q.get('continue'));
      // Lists are in key order; a page continues after the last key returned (not at an offset),
      // so objects deleted or created before that key since the last page neither skip nor repeat.
      const keyOf = (o: KubeObject) => objectKey(o.metadata.namespace, o.metadata.name ?? '');
      const after = cont ? all.findIndex(o => keyOf(o) > cont.key) : 0;
      const start = after < 0 ? all.length : after;
      const rv = String(cont?.rv ?? ctx.store.currentRv);
      const page = limit > 0 ? all.slice(start, start + limit) : all.slice(start);
      const more = limit > 0 && start + limit < all.length;
      const last = page[page.length - 1];
      const token =
        more && last
          ? Buffer.from(JSON.stringify({ rv: Number(rv), key: keyOf(last) })).toString('base64url')
          : undefined;
      if (table) return sendJson(res, 200, toTable(page, found.version, table, rv, token));
      return sendJson(res, 200, {
        kind: type.listKind,
        apiVersion: apiVersionOf(type.group, found.version.name),
        metadata: {
          resourceVersion: rv,
          ...(token ? { continue: token, remainingItemCount: all.length - start - limit } : {}),
        },
        items: page,
      });
    }
    if (method === 'POST') {
      const body = parseBody(raw, req.headers['content-type']);
      const { object, warnings } = ctx.objects.create(served, ns, body, writeOptions(q));
      return sendJson(res, 201, object, warnings);
    }
    if (method === 'DELETE') {
      const items = ctx.objects.list(served, ns, listOptions(q));
      const deleted = items.map(
        o => ctx.objects.delete(served, o.metadata.namespace, o.metadata.name ?? '', {}).object,
      );
      return sendJson(res, 200, {
        kind: type.listKind,
        apiVersion: apiVersionOf(type.group, found.version.name),
        metadata: { resourceVersion: String(ctx.store.currentRv) },
        items: deleted,
      });
    }
    throw errors.methodNotAllowed(method);
  }

  const name = path.name;
  if (path.subresource === 'scale' && found.version.scale)
    return handleScale(ctx, req, res, served, ns, name, q, raw);
  if (
    path.subresource !== undefined &&
    !(path.subresource === 'status' && found.version.status) &&
    !(path.subresource === 'finalize' && type.kind === 'Namespace')
  ) {
    throw errors.pathNotFound();
  }
  // Subresources are read and written, never deleted (a DELETE on /status used to delete the
  // object): /status takes GET, PUT and PATCH; a Namespace's /finalize takes PUT.
  const subresourceVerbs: Record<string, string[]> = {
    status: ['GET', 'PUT', 'PATCH'],
    finalize: ['PUT'],
  };
  if (path.subresource !== undefined && !subresourceVerbs[path.subresource]?.includes(method)) {
    throw errors.methodNotAllowed(method);
  }
  const opts: WriteOptions = {
    ...writeOptions(q),
    subresource: path.subresource === 'status' ? 'status' : undefined,
  };
  switch (method) {
    case 'GET': {
      const object = ctx.objects.get(served, ns, name);
      if (table)
        return sendJson(
          res,
          200,
          toTable([object], found.version, table, object.metadata.resourceVersion ?? ''),
        );
      return sendJson(res, 200, object);
    }
    case 'PUT': {
      const body = parseBody(raw, req.headers['content-type']);
      const { object, warnings } = ctx.objects.update(served, ns, name, body, opts);
      return sendJson(res, 200, object, warnings);
    }
    case 'PATCH': {
      const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
      const patchType = PATCH_TYPES[contentType];
      if (!patchType) throw errors.unsupportedMediaType(contentType);
      const body = parseBody(raw, 'application/json');
      const { object, warnings } = ctx.objects.patch(served, ns, name, patchType, body, opts);
      return sendJson(res, 200, object, warnings);
    }
    case 'DELETE': {
      const options = parseBody(raw, req.headers['content-type']);
      const body = isPlainObject(options) ? options : {};
      const policy = (q.get('propagationPolicy') ??
        body.propagationPolicy) as DeleteOptions['propagationPolicy'];
      if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy)) {
        throw errors.badRequest(
          `propagationPolicy: Unsupported value: "${String(policy)}": supported values: "Background", "Foreground", "Orphan"`,
        );
      }
      const pre = isPlainObject(body.preconditions)
        ? (body.preconditions as DeleteOptions['preconditions'])
        : undefined;
      const { object, finished } = ctx.objects.delete(served, ns, name, {
        propagationPolicy: policy,
        preconditions: pre,
        dryRun:
          q.getAll('dryRun').includes('All') ||
          (Array.isArray(body.dryRun) && body.dryRun.includes('All')),
      });
      if (!finished) return sendJson(res, 200, object);
      return sendJson(res, 200, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name, group: type.group, kind: type.plural, uid: object.metadata.uid },
      });
    }
    default:
      throw errors.methodNotAllowed(method);
  }
}

function pathValue(o: KubeObject, jsonPath: string): unknown {
  return evaluateJsonPath(o, jsonPath)[0];
}

function setPath(o: Record<string, unknown>, jsonPath: string, value: unknown): void {
  const parts = jsonPath.replace(/^\./, '').split('.');
  let cur = o;
  for (const p of parts.slice(0, -1)) {
    if (!isPlainObject(cur[p])) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1] ?? ''] = value;
}

async function handleScale(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  served: Served,
  ns: string | undefined,
  name: string,
  q: URLSearchParams,
  raw: Buffer,
): Promise<void> {
  const scale = served.version.scale;
  if (!scale) throw errors.pathNotFound();
  const toScale = (o: KubeObject) => {
    const selectorValue = scale.labelSelectorPath
      ? pathValue(o, scale.labelSelectorPath)
      : undefined;
    const matchLabels = pathValue(o, '.spec.selector.matchLabels');
    const selector =
      typeof selectorValue === 'string'
        ? selectorValue
        : isPlainObject(matchLabels)
          ? Object.entries(matchLabels)
              .map(([k, v]) => `${k}=${String(v)}`)
              .join(',')
          : undefined;
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: o.metadata.name,
        namespace: o.metadata.namespace,
        uid: o.metadata.uid,
        resourceVersion: o.metadata.resourceVersion,
        creationTimestamp: o.metadata.creationTimestamp,
      },
      spec: { replicas: pathValue(o, scale.specReplicasPath) ?? 0 },
      status: {
        replicas: pathValue(o, scale.statusReplicasPath) ?? 0,
        ...(selector ? { selector } : {}),
      },
    };
  };
  const method = req.method ?? 'GET';
  const current = ctx.objects.get(served, ns, name);
  if (method === 'GET') return sendJson(res, 200, toScale(current));
  if (method !== 'PUT' && method !== 'PATCH') throw errors.methodNotAllowed(method);
  const body = parseBody(raw, 'application/json');
  let desired: unknown;
  if (method === 'PUT') {
    desired = isPlainObject(body) && isPlainObject(body.spec) ? body.spec.replicas : undefined;
    // A Scale carrying a resourceVersion is a conditional update, like any other PUT.
    const sent =
      isPlainObject(body) && isPlainObject(body.metadata)
        ? body.metadata.resourceVersion
        : undefined;
    if (sent !== undefined && sent !== '' && sent !== current.metadata.resourceVersion) {
      throw errors.conflict(
        served.type.plural,
        served.type.group,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
  } else {
    const patched = toScale(current) as Record<string, unknown>;
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    const patchType = PATCH_TYPES[contentType];
    if (!patchType) throw errors.unsupportedMediaType(contentType);
    const next =
      patchType === 'json' ? applyJsonPatch(patched, body) : applyMergePatch(patched, body);
    desired = isPlainObject(next) && isPlainObject(next.spec) ? next.spec.replicas : undefined;
  }
  if (typeof desired !== 'number' || !Number.isInteger(desired) || desired < 0) {
    throw errors.badRequest('spec.replicas: Invalid value: must be a non-negative integer');
  }
  const next = structuredClone(current) as Record<string, unknown>;
  setPath(next, scale.specReplicasPath, desired);
  const { object } = ctx.objects.update(served, ns, name, next, writeOptions(q));
  return sendJson(res, 200, toScale(object));
}
