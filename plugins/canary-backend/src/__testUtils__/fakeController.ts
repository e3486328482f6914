// A real local HTTP server speaking the Aviary controller's API (/api/v1) the way
// controller/src/http/api does, for every test of the plugin: bearer tokens, /canaries,
// /namespaces/{ns}/canaries/{name} and its /actions (recorded with the path, bearer token and body
// the plugin sent), and the SSE /stream with a bounded ring of ids, hello/reset, Last-Event-ID
// resume and a heartbeat. Tests drive its state and can break it: drop streams (also mid-message),
// restart it (ids start again at 0, as a new controller process does), stop it, or make it
// answer errors.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { detailOf, summaryOf, type FakeCanary } from './fakeCanaryView';

export { summaryOf, type FakeCanary } from './fakeCanaryView';

interface Entry {
  id: number;
  event: string;
  data: unknown;
}

export interface RecordedRequest {
  method: string;
  /** Path and query as sent. */
  path: string;
  lastEventId?: string;
  authorization?: string;
}

export interface RecordedAction {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

export interface FakeControllerOptions {
  /** The bearer token it accepts; a fixed one by default. */
  token?: string;
  /** Canaries the cluster already has (each streamed as an `add`, as the informer reports them). */
  canaries?: FakeCanary[];
  ringCapacity?: number;
  port?: number;
}

const ACTIONS = ['promote', 'abort', 'retry', 'pause', 'resume'];
const ACTION_FIELDS = ['action', 'revision', 'reason', 'onBehalfOf'];
const ROUTE_ONE = /^\/namespaces\/([^/]+)\/canaries\/([^/]+)(\/actions)?$/;

export class FakeController {
  readonly canaries = new Map<string, FakeCanary>();
  readonly requests: RecordedRequest[] = [];
  /** Accepted action requests, in order; the n-th is answered with id `req-n`. */
  readonly actions: RecordedAction[] = [];
  /** Answer every non-stream request with this status (e.g. 500), or hang (`'hang'`). */
  failRequests: number | 'hang' | undefined;
  /** Refuse stream connections with this status. */
  failStream: number | undefined;
  /** Delay detail answers (ms), to let bursts pile up. */
  detailDelayMs = 0;
  /** Detail requests answered so far, by `namespace/name`. */
  readonly detailReads = new Map<string, number>();
  private server: http.Server;
  private port = 0;
  private ring: Entry[] = [];
  private seq = 0;
  private readonly changeLog = new Map<string, unknown[]>();
  private readonly streams = new Set<http.ServerResponse>();
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly token: string,
    private readonly ringCapacity: number,
  ) {
    this.server = this.createServer();
  }

  static async start(options: FakeControllerOptions = {}): Promise<FakeController> {
    const fake = new FakeController(
      options.token ?? 'fake-controller-token',
      options.ringCapacity ?? 1000,
    );
    for (const canary of options.canaries ?? []) fake.set(canary);
    await fake.listen(options.port ?? 0);
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get lastId(): number {
    return this.seq;
  }

  get openStreams(): number {
    return this.streams.size;
  }

  /**
   * Adds or changes a canary (as the informer would see it) and streams the change; like the
   * controller, streams nothing when only detail parts (images, checks, Events) changed.
   */
  set(canary: FakeCanary): void {
    const key = `${canary.namespace}/${canary.name}`;
    const before = this.canaries.get(key);
    const type = before ? 'update' : 'add';
    this.canaries.set(key, canary);
    if (before && JSON.stringify(summaryOf(before)) === JSON.stringify(summaryOf(canary))) return;
    const entry = this.push('canary', { type, canary: summaryOf(canary) });
    // Like the controller's recent changes: what this process saw, with its own clock.
    const log = this.changeLog.get(key) ?? [];
    log.push({
      id: entry.id,
      type,
      phase: canary.phase,
      weight: canary.weight ?? 0,
      ...(canary.revision ? { revision: canary.revision } : {}),
      at: new Date().toISOString(),
    });
    this.changeLog.set(key, log);
  }

  /** Deletes a canary and streams the `delete`. */
  remove(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const canary = this.canaries.get(key);
    if (!canary) return;
    this.canaries.delete(key);
    this.push('canary', { type: 'delete', canary: summaryOf(canary) });
  }

  /** Closes every open stream; `midMessage` first writes half of an event. */
  dropStreams(options: { midMessage?: boolean } = {}): void {
    for (const res of this.streams) {
      if (options.midMessage) res.write('id: 999\nevent: canary\ndata: {"type":"upd');
      res.socket?.destroy();
    }
    this.streams.clear();
  }

  /**
   * A new controller process on the same port: ids start again at 0, the ring and the recent
   * changes are empty; the cluster still has its canaries.
   */
  async restart(): Promise<void> {
    await this.stop();
    this.ring = [];
    this.seq = 0;
    this.changeLog.clear();
    this.server = this.createServer();
    await this.listen(this.port);
  }

  async stop(): Promise<void> {
    this.dropStreams();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  private push(event: string, data: unknown): Entry {
    const entry = { id: ++this.seq, event, data };
    this.ring.push(entry);
    if (this.ring.length > this.ringCapacity)
      this.ring.splice(0, this.ring.length - this.ringCapacity);
    for (const res of this.streams) this.write(res, entry);
    return entry;
  }

  private write(res: http.ServerResponse, entry: Entry): void {
    res.write(`id: ${entry.id}\nevent: ${entry.event}\ndata: ${JSON.stringify(entry.data)}\n\n`);
  }

  private listen(port: number): Promise<void> {
    return new Promise(resolve => {
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private createServer(): http.Server {
    const server = http.createServer((req, res) => {
      void this.handle(req, res);
    });
    server.on('connection', socket => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  private send(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(`${JSON.stringify(body)}\n`);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const header = req.headers['last-event-id'];
    const method = req.method ?? 'GET';
    this.requests.push({
      method,
      path: url.pathname + url.search,
      ...(typeof header === 'string' ? { lastEventId: header } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      this.send(res, 401, {
        error: req.headers.authorization ? 'invalid bearer token' : 'bearer token required',
      });
      return;
    }
    const path = url.pathname.replace(/^\/api\/v1/, '');
    if (path === '/stream' && method === 'GET') {
      this.stream(res, typeof header === 'string' ? header : undefined);
      return;
    }
    if (this.failRequests === 'hang') return;
    if (this.failRequests !== undefined) {
      this.send(res, this.failRequests, { error: 'internal error' });
      return;
    }
    if (path === '/canaries' && method === 'GET') {
      const ns = url.searchParams.get('namespace');
      const items = [...this.canaries.values()]
        .filter(c => !ns || c.namespace === ns)
        .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name))
        .map(summaryOf);
      this.send(res, 200, { items });
      return;
    }
    const one = ROUTE_ONE.exec(path);
    if (!one) {
      this.send(res, 404, { error: `no route ${path}` });
      return;
    }
    const [, namespace = '', name = '', actions] = one;
    if (actions ? method !== 'POST' : method !== 'GET') {
      this.send(res, 405, { error: `method ${method} not allowed` });
      return;
    }
    if (actions) await this.act(req, res, path, namespace, name);
    else await this.detail(res, namespace, name);
  }

  /** Validates like the controller (400, then 404, then 409), records, answers 202. */
  private async act(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
    namespace: string,
    name: string,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      this.send(res, 400, { error: 'body: not valid JSON', field: 'body' });
      return;
    }
    const invalid = actionError(body);
    if (invalid) {
      this.send(res, 400, invalid);
      return;
    }
    const request = body as Record<string, unknown>;
    const canary = this.canaries.get(`${namespace}/${name}`);
    if (!canary) {
      this.send(res, 404, { error: `canary ${namespace}/${name} not found` });
      return;
    }
    const revision = (request.revision as string | undefined) ?? canary.revision;
    if (!revision) {
      this.send(res, 409, {
        error: 'the canary has no revision yet (status.lastAppliedSpec); pass one',
        field: 'revision',
      });
      return;
    }
    this.actions.push({
      path: `/api/v1${path}`,
      authorization: req.headers.authorization,
      body: request,
    });
    this.send(res, 202, {
      id: `req-${this.actions.length}`,
      action: request.action,
      revision,
      requestedBy: request.onBehalfOf ?? 'fake-identity',
      reason: request.reason ?? '',
      requestedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
  }

  private async detail(res: http.ServerResponse, namespace: string, name: string): Promise<void> {
    const key = `${namespace}/${name}`;
    if (!this.canaries.has(key)) {
      this.send(res, 404, { error: `canary ${key} not found` });
      return;
    }
    this.detailReads.set(key, (this.detailReads.get(key) ?? 0) + 1);
    if (this.detailDelayMs > 0) await new Promise(r => setTimeout(r, this.detailDelayMs));
    // The state at the time of the answer, as a slow controller would serve it.
    const live = this.canaries.get(key);
    if (!live) {
      this.send(res, 404, { error: `canary ${key} not found` });
      return;
    }
    this.send(res, 200, detailOf(live, this.changeLog.get(key) ?? []));
  }

  private stream(res: http.ServerResponse, resume: string | undefined): void {
    if (this.failStream !== undefined) {
      this.send(res, this.failStream, { error: 'stream refused' });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    // The controller says 1000 ms; a short retry keeps reconnecting tests fast.
    res.write('retry: 20\n\n');
    if (resume === undefined) {
      res.write(
        `id: ${this.seq}\nevent: hello\ndata: ${JSON.stringify({ lastEventId: this.seq })}\n\n`,
      );
    } else {
      const id = Number(resume);
      const oldest = this.ring[0]?.id ?? this.seq + 1;
      if (!Number.isInteger(id) || id < 0 || id > this.seq || id + 1 < oldest) {
        const data = {
          lastEventId: this.seq,
          reason: 'the requested id is no longer kept; re-list',
        };
        res.write(`id: ${this.seq}\nevent: reset\ndata: ${JSON.stringify(data)}\n\n`);
      } else {
        for (const entry of this.ring.filter(e => e.id > id)) this.write(res, entry);
      }
    }
    res.write(': keep-alive\n\n');
    this.streams.add(res);
    res.on('close', () => this.streams.delete(res));
  }
}

/** The controller's schema check of an action request, with its messages. */
function actionError(body: unknown): { error: string; field: string } | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { error: 'body: must be an object', field: 'body' };
  const request = body as Record<string, unknown>;
  if (request.action === undefined || request.action === null)
    return { error: 'action: required', field: 'action' };
  const unknown = Object.keys(request).find(k => !ACTION_FIELDS.includes(k));
  if (unknown) return { error: `${unknown}: unknown field`, field: unknown };
  if (!ACTIONS.includes(String(request.action)))
    return { error: `action: must be one of ${ACTIONS.join(', ')}`, field: 'action' };
  return undefined;
}
