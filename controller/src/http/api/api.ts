// The controller HTTP API under `/api/v1`: canaries from the informer caches, manual actions
// written as a JSON merge patch on `spec.manualAction`, a resumable SSE stream of canary changes,
// and the OpenAPI document. Mounted on the probe server (see ../server.ts).
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Canary } from '../../api/types.js';
import {
  CANARIES,
  errorText,
  type CacheChange,
  type CoreEvent,
  type Logger,
  type ObjectWriter,
} from '../../kube/index.js';
import type { VirtualService } from '../../router/istio/types.js';
import type { Deployment } from '../../workload/types.js';
import { authenticate, type ApiToken, type Principal } from './auth.js';
import {
  ACTION_REQUEST,
  LIST_QUERY,
  OPENAPI_DOCUMENT,
  STREAM_QUERY,
  validate,
  validateQuery,
  type ActionName,
} from './openapi.js';
import { ChangeRing, type RingEntry } from './ring.js';
import {
  detail,
  summarize,
  type CanarySummary,
  type ChangeRecord,
  type CheckRecord,
} from './view.js';

export const API_PREFIX = '/api/v1';
const MAX_BODY = 16 * 1024;

export interface ApiSources {
  canaries: {
    get(namespace: string, name: string): Canary | undefined;
    list(namespace?: string): Canary[];
    onChange(listener: (change: CacheChange<Canary>) => void): () => void;
  };
  virtualServices: { get(namespace: string, name: string): VirtualService | undefined };
  deployments: { get(namespace: string, name: string): Deployment | undefined };
  /** Check results of the running analysis, when the runtime records them. */
  checks?(namespace: string, name: string): CheckRecord[];
  /** The latest Events about one canary, newest first, when the runtime caches Events. */
  events?(namespace: string, name: string): CoreEvent[];
}

export interface ApiOptions {
  sources: ApiSources;
  writer: Pick<ObjectWriter, 'mergePatch'>;
  /** The current tokens (re-read by the caller when their file or Secret changes). */
  tokens(): readonly ApiToken[];
  /** Reads without a token. Writes always need one. */
  openReads: boolean;
  log: Logger;
  now?: () => Date;
  newId?: () => string;
  ringCapacity?: number;
  heartbeatMs?: number;
}

export interface StreamData {
  type: 'add' | 'update' | 'delete';
  canary: CanarySummary;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(`${JSON.stringify(body)}\n`);
}

/** Equality-based label selectors: `k=v`, `k==v`, `k!=v`, `k`, `!k`, comma-separated. */
export function parseSelector(
  text: string,
): ((labels: Record<string, string>) => boolean) | undefined {
  const terms: Array<(l: Record<string, string>) => boolean> = [];
  for (const raw of text.split(',')) {
    const term = raw.trim();
    if (!term) continue;
    const m = /^(!)?([A-Za-z0-9][-A-Za-z0-9_./]*)(?:\s*(==|=|!=)\s*([-A-Za-z0-9_.]*))?$/.exec(term);
    if (!m) return undefined;
    const [, not, key = '', op, value = ''] = m;
    if (not && op) return undefined;
    if (not) terms.push(l => !(key in l));
    else if (!op) terms.push(l => key in l);
    else if (op === '!=') terms.push(l => l[key] !== value);
    else terms.push(l => l[key] === value);
  }
  return labels => terms.every(t => t(labels));
}

const ROUTE_ONE = /^\/namespaces\/([^/]+)\/canaries\/([^/]+)(\/actions)?$/;
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export class ControllerApi {
  readonly ring: ChangeRing<StreamData>;
  private readonly unsubscribe: () => void;
  private readonly streams = new Set<http.ServerResponse>();
  private readonly changeLog: Array<ChangeRecord & { key: string }> = [];

  constructor(private readonly options: ApiOptions) {
    this.ring = new ChangeRing<StreamData>(options.ringCapacity ?? 1000);
    this.unsubscribe = options.sources.canaries.onChange(change => this.record(change));
  }

  close(): void {
    this.unsubscribe();
    for (const res of this.streams) res.end();
    this.streams.clear();
  }

  /** Handles `/api/v1/...`; resolves false for other paths. */
  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== API_PREFIX && !url.pathname.startsWith(`${API_PREFIX}/`)) return false;
    const path = url.pathname.slice(API_PREFIX.length) || '/';
    try {
      await this.route(req, res, path, url.searchParams);
    } catch (err) {
      if (err instanceof HttpError) {
        if (!res.headersSent) {
          send(
            res,
            err.status,
            { error: err.message, ...(err.field ? { field: err.field } : {}) },
            err.status === 401 ? { 'www-authenticate': 'Bearer realm="aviary"' } : {},
          );
        }
      } else {
        this.options.log.error('api request failed', { path, error: errorText(err) });
        if (!res.headersSent) send(res, 500, { error: 'internal error' });
        else res.end();
      }
    }
    return true;
  }

  private async route(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
    query: URLSearchParams,
  ) {
    const method = req.method ?? 'GET';
    if (path === '/openapi.json') {
      this.allow(method, ['GET', 'HEAD']);
      send(res, 200, OPENAPI_DOCUMENT);
      return;
    }
    if (path === '/canaries') {
      this.allow(method, ['GET', 'HEAD']);
      this.principal(req, 'read');
      this.query(LIST_QUERY, query);
      send(res, 200, { items: this.list(query) });
      return;
    }
    if (path === '/stream') {
      this.allow(method, ['GET']);
      this.principal(req, 'read');
      this.query(STREAM_QUERY, query);
      this.stream(req, res, query);
      return;
    }
    const one = ROUTE_ONE.exec(path);
    if (!one) throw new HttpError(404, `no route ${path}`);
    const namespace = decodePart(one[1] ?? '', 'namespace');
    const name = decodePart(one[2] ?? '', 'name');
    if (!NAME.test(namespace)) throw new HttpError(400, 'namespace: not a valid name', 'namespace');
    if (!NAME.test(name)) throw new HttpError(400, 'name: not a valid name', 'name');
    if (one[3]) {
      this.allow(method, ['POST']);
      const principal = this.principal(req, 'write');
      const body = await readJson(req);
      send(res, 202, await this.act(namespace, name, body, principal));
      return;
    }
    this.allow(method, ['GET', 'HEAD']);
    this.principal(req, 'read');
    if (query.size > 0)
      throw new HttpError(
        400,
        `${[...query.keys()][0]}: unknown query parameter`,
        [...query.keys()][0],
      );
    const canary = this.options.sources.canaries.get(namespace, name);
    if (!canary) throw new HttpError(404, `canary ${namespace}/${name} not found`);
    const { sources } = this.options;
    send(
      res,
      200,
      detail(canary, {
        virtualService: (ns, n) => sources.virtualServices.get(ns, n),
        deployment: (ns, n) => sources.deployments.get(ns, n),
        ...(sources.checks ? { checks: sources.checks.bind(sources) } : {}),
        ...(sources.events ? { events: sources.events.bind(sources) } : {}),
        changes: (ns, n) =>
          this.changeLog.filter(c => c.key === `${ns}/${n}`).map(({ key: _key, ...c }) => c),
      }),
    );
  }

  private allow(method: string, allowed: string[]) {
    if (!allowed.includes(method)) throw new HttpError(405, `method ${method} not allowed`);
  }

  private query(schemas: Parameters<typeof validateQuery>[0], query: URLSearchParams) {
    const err = validateQuery(schemas, query);
    if (err) throw new HttpError(400, err.message, err.field);
  }

  /** 401 without a (valid) token where one is needed; 403 for a token without the right. */
  private principal(req: http.IncomingMessage, need: 'read' | 'write'): Principal | undefined {
    const result = authenticate(req.headers.authorization, this.options.tokens());
    const where = {
      method: req.method,
      path: (req.url ?? '').split('?')[0],
      remote: req.socket.remoteAddress,
    };
    if (result.kind === 'invalid') {
      this.options.log.warn('api: unauthenticated request', {
        ...where,
        status: 401,
        reason: result.reason,
      });
      throw new HttpError(401, 'invalid bearer token');
    }
    if (result.kind === 'anonymous') {
      if (need === 'read' && this.options.openReads) return undefined;
      this.options.log.warn('api: unauthenticated request', {
        ...where,
        status: 401,
        reason: 'no token',
      });
      throw new HttpError(401, 'bearer token required');
    }
    if (need === 'write' && result.principal.role === 'read') {
      this.options.log.warn('api: forbidden request', {
        ...where,
        status: 403,
        identity: result.principal.identity,
        reason: 'read-only token',
      });
      throw new HttpError(403, `${result.principal.identity} may not request actions`);
    }
    return result.principal;
  }

  private list(query: URLSearchParams): CanarySummary[] {
    const selector = query.get('labelSelector');
    const matches = selector !== null ? parseSelector(selector) : () => true;
    if (!matches) throw new HttpError(400, 'labelSelector: not a valid selector', 'labelSelector');
    const phase = query.get('phase');
    return this.options.sources.canaries
      .list(query.get('namespace') ?? undefined)
      .filter(c => matches(c.metadata.labels ?? {}))
      .map(summarize)
      .filter(s => !phase || s.phase === phase)
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  }

  private async act(
    namespace: string,
    name: string,
    body: unknown,
    principal: Principal | undefined,
  ) {
    if (!principal) throw new HttpError(401, 'bearer token required');
    if (body === null || body === undefined) throw new HttpError(400, 'body: required', 'body');
    const err = validate(ACTION_REQUEST, body, '');
    if (err) throw new HttpError(400, err.message, err.field);
    const request = body as {
      action: ActionName;
      revision?: string;
      reason?: string;
      onBehalfOf?: string;
    };
    if (request.onBehalfOf !== undefined && principal.role !== 'trusted') {
      this.options.log.warn('api: forbidden request', {
        status: 403,
        identity: principal.identity,
        reason: 'onBehalfOf needs a trusted token',
        canary: `${namespace}/${name}`,
      });
      throw new HttpError(
        403,
        `${principal.identity} may not act on behalf of others`,
        'onBehalfOf',
      );
    }
    const canary = this.options.sources.canaries.get(namespace, name);
    if (!canary) throw new HttpError(404, `canary ${namespace}/${name} not found`);
    const revision = request.revision ?? canary.status?.lastAppliedSpec;
    if (!revision)
      throw new HttpError(
        409,
        'the canary has no revision yet (status.lastAppliedSpec); pass one',
        'revision',
      );
    const manualAction = {
      id: (this.options.newId ?? randomUUID)(),
      action: request.action,
      revision,
      requestedBy: request.onBehalfOf ?? principal.identity,
      reason: request.reason ?? '',
      requestedAt: (this.options.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    await this.options.writer.mergePatch(CANARIES, namespace, name, { spec: { manualAction } });
    this.options.log.info('api: manual action requested', {
      canary: `${namespace}/${name}`,
      id: manualAction.id,
      action: manualAction.action,
      revision,
      requestedBy: manualAction.requestedBy,
      caller: principal.identity,
    });
    return manualAction;
  }

  private record(change: CacheChange<Canary>): void {
    const summary = summarize(change.object);
    if (change.type === 'update' && change.old) {
      const before = JSON.stringify(summarize(change.old));
      if (before === JSON.stringify(summary)) return;
    }
    const entry = this.ring.push('canary', { type: change.type, canary: summary });
    this.changeLog.push({
      key: `${summary.namespace}/${summary.name}`,
      id: entry.id,
      type: change.type,
      phase: summary.phase,
      weight: summary.weight,
      ...(summary.revision ? { revision: summary.revision } : {}),
      at: (this.options.now?.() ?? new Date()).toISOString(),
    });
    if (this.changeLog.length > 2000) this.changeLog.splice(0, this.changeLog.length - 2000);
  }

  private stream(req: http.IncomingMessage, res: http.ServerResponse, query: URLSearchParams) {
    const header = req.headers['last-event-id'];
    const resumeText = query.get('lastEventId') ?? (Array.isArray(header) ? header[0] : header);
    if (resumeText !== undefined && !/^[0-9]{1,15}$/.test(resumeText)) {
      throw new HttpError(400, 'Last-Event-ID: must be a non-negative integer', 'Last-Event-ID');
    }
    const namespace = query.get('namespace');
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const write = (entry: RingEntry<StreamData>) => {
      if (namespace && entry.data.canary.namespace !== namespace) return;
      res.write(`id: ${entry.id}\nevent: ${entry.event}\ndata: ${JSON.stringify(entry.data)}\n\n`);
    };
    res.write(`retry: 1000\n\n`);
    if (resumeText === undefined) {
      res.write(
        `id: ${this.ring.lastId}\nevent: hello\ndata: ${JSON.stringify({ lastEventId: this.ring.lastId })}\n\n`,
      );
    } else {
      const missed = this.ring.since(Number(resumeText));
      if (missed === 'reset') {
        res.write(
          `id: ${this.ring.lastId}\nevent: reset\ndata: ${JSON.stringify({ lastEventId: this.ring.lastId, reason: 'the requested id is no longer kept; re-list' })}\n\n`,
        );
      } else {
        for (const entry of missed) write(entry);
      }
    }
    const unsubscribe = this.ring.subscribe(write);
    const heartbeat = setInterval(
      () => res.write(': keep-alive\n\n'),
      this.options.heartbeatMs ?? 15_000,
    );
    heartbeat.unref();
    this.streams.add(res);
    const done = () => {
      unsubscribe();
      clearInterval(heartbeat);
      this.streams.delete(res);
    };
    res.on('close', done);
  }
}

function decodePart(text: string, field: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new HttpError(400, `${field}: not a valid name`, field);
  }
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/(merge-patch\+)?json\b/i.test(type)) {
    throw new HttpError(415, 'content-type must be application/json');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) throw new HttpError(400, 'body: required', 'body');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'body: not valid JSON', 'body');
  }
}
