// A real HTTP server that speaks the Aviary controller's API the way controller/src/http/api does:
// bearer tokens, /canaries, /namespaces/{ns}/canaries/{name}[/actions], and the SSE /stream with
// a bounded ring of ids, hello/canary/reset, Last-Event-ID resume and heartbeats. Tests drive its
// state and can break it: drop streams (also mid-message), restart it (ids start again at 0, as a
// new controller process does), stop it, or make it answer errors.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

export interface FakeCanary {
  namespace: string;
  name: string;
  target?: string;
  phase: string;
  weight?: number;
  failedChecks?: number;
  iterations?: number;
  revision?: string;
  promotedRevision?: string;
  paused?: boolean;
  lastTransitionTime?: string;
  message?: string;
  manualAction?: Record<string, unknown>;
  /** Detail-only parts. */
  images?: { canary: string[]; primary: string[] };
  checks?: unknown[];
  events?: unknown[];
  changes?: unknown[];
}

interface Entry {
  id: number;
  event: string;
  data: unknown;
}

const DETAIL_ONLY = ['images', 'checks', 'events', 'changes'] as const;

export function summaryOf(canary: FakeCanary) {
  const summary: Record<string, unknown> = {
    namespace: canary.namespace,
    name: canary.name,
    target: canary.target ?? canary.name,
    phase: canary.phase,
    weight: canary.weight ?? 0,
    failedChecks: canary.failedChecks ?? 0,
    iterations: canary.iterations ?? 0,
    paused: canary.paused ?? false,
  };
  for (const key of [
    'revision',
    'promotedRevision',
    'lastTransitionTime',
    'message',
    'manualAction',
  ] as const) {
    if (canary[key] !== undefined) summary[key] = canary[key];
  }
  return summary;
}

export class FakeController {
  readonly token = 'fake-controller-token';
  readonly canaries = new Map<string, FakeCanary>();
  readonly requests: Array<{
    method: string;
    path: string;
    lastEventId?: string;
    authorization?: string;
  }> = [];
  readonly actions: unknown[] = [];
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

  private constructor(private readonly ringCapacity: number) {
    this.server = this.createServer();
  }

  static async start(
    options: { ringCapacity?: number; port?: number } = {},
  ): Promise<FakeController> {
    const fake = new FakeController(options.ringCapacity ?? 1000);
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

  /** Adds or changes a canary (as the informer would see it) and streams the change. */
  set(canary: FakeCanary): void {
    const key = `${canary.namespace}/${canary.name}`;
    const type = this.canaries.has(key) ? 'update' : 'add';
    this.canaries.set(key, canary);
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

  /** A new controller process on the same port: ids start again at 0, the ring is empty. */
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
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(`${JSON.stringify(body)}\n`);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const header = req.headers['last-event-id'];
    this.requests.push({
      method: req.method ?? 'GET',
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
    if (path === '/stream') {
      this.stream(req, res, typeof header === 'string' ? header : undefined);
      return;
    }
    if (this.failRequests === 'hang') return;
    if (this.failRequests !== undefined) {
      this.send(res, this.failRequests, { error: 'internal error' });
      return;
    }
    if (path === '/canaries') {
      const ns = url.searchParams.get('namespace');
      const items = [...this.canaries.values()]
        .filter(c => !ns || c.namespace === ns)
        .map(summaryOf)
        .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
      this.send(res, 200, { items });
      return;
    }
    const one = /^\/namespaces\/([^/]+)\/canaries\/([^/]+)(\/actions)?$/.exec(path);
    const canary = one ? this.canaries.get(`${one[1]}/${one[2]}`) : undefined;
    if (!one || !canary) {
      this.send(res, 404, { error: `canary ${one?.[1]}/${one?.[2]} not found` });
      return;
    }
    if (one[3]) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      if (!['promote', 'abort', 'retry', 'pause', 'resume'].includes(String(body.action))) {
        this.send(res, 400, {
          error: 'action: must be one of promote, abort, retry, pause, resume',
          field: 'action',
        });
        return;
      }
      this.actions.push(body);
      this.send(res, 202, {
        id: `req-${this.actions.length}`,
        ...body,
        requestedBy: body.onBehalfOf,
      });
      return;
    }
    const readKey = `${canary.namespace}/${canary.name}`;
    this.detailReads.set(readKey, (this.detailReads.get(readKey) ?? 0) + 1);
    if (this.detailDelayMs > 0) await new Promise(r => setTimeout(r, this.detailDelayMs));
    const live = this.canaries.get(`${canary.namespace}/${canary.name}`) ?? canary;
    const detail: Record<string, unknown> = {
      ...summaryOf(live),
      spec: {},
      status: { phase: live.phase },
    };
    for (const key of DETAIL_ONLY)
      detail[key] = live[key] ?? (key === 'images' ? { canary: [], primary: [] } : []);
    if (!live.changes) detail.changes = this.changeLog.get(`${live.namespace}/${live.name}`) ?? [];
    this.send(res, 200, detail);
  }

  private stream(
    _req: http.IncomingMessage,
    res: http.ServerResponse,
    resume: string | undefined,
  ): void {
    if (this.failStream !== undefined) {
      this.send(res, this.failStream, { error: 'stream refused' });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    res.write('retry: 20\n\n');
    if (resume === undefined) {
      res.write(
        `id: ${this.seq}\nevent: hello\ndata: ${JSON.stringify({ lastEventId: this.seq })}\n\n`,
      );
    } else {
      const id = Number(resume);
      const oldest = this.ring[0]?.id ?? this.seq + 1;
      if (!Number.isInteger(id) || id < 0 || id > this.seq || id + 1 < oldest) {
        res.write(
          `id: ${this.seq}\nevent: reset\ndata: ${JSON.stringify({ lastEventId: this.seq })}\n\n`,
        );
      } else {
        for (const entry of this.ring.filter(e => e.id > id)) this.write(res, entry);
      }
    }
    res.write(': keep-alive\n\n');
    this.streams.add(res);
    res.on('close', () => this.streams.delete(res));
  }
}
