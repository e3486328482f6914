// A real local HTTP server speaking the Aviary controller API (/api/v1) for the plugin's tests:
// list, detail, actions (recorded with the bearer token and body the plugin sent) and the SSE
// stream, with the response shapes of controller/src/http/api.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCanary {
  namespace: string;
  name: string;
  phase: string;
  weight?: number;
  revision?: string;
  failedChecks?: number;
  lastTransitionTime?: string;
}

export interface RecordedAction {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

export interface FakeController {
  url: string;
  canaries: Map<string, FakeCanary>;
  actions: RecordedAction[];
  /** Sends a canary change on every open stream. */
  emit(type: 'add' | 'update' | 'delete', canary: FakeCanary): void;
  streams(): number;
  close(): Promise<void>;
}

export function summary(c: FakeCanary) {
  return {
    namespace: c.namespace,
    name: c.name,
    target: c.name,
    phase: c.phase,
    weight: c.weight ?? 0,
    failedChecks: c.failedChecks ?? 0,
    iterations: 0,
    ...(c.revision ? { revision: c.revision } : {}),
    paused: false,
    ...(c.lastTransitionTime ? { lastTransitionTime: c.lastTransitionTime } : {}),
  };
}

function detail(c: FakeCanary) {
  return {
    ...summary(c),
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: c.name },
      service: { name: c.name, port: 9898 },
      analysis: {
        interval: '30s',
        threshold: 5,
        maxWeight: 50,
        stepWeight: 10,
        metrics: ['request-success-rate'],
      },
    },
    status: { phase: c.phase, canaryWeight: c.weight ?? 0 },
    weights: { primary: 100 - (c.weight ?? 0), canary: c.weight ?? 0, virtualService: c.name },
    images: {
      canary: [`ghcr.io/example/${c.name}:2.0.0`],
      primary: [`ghcr.io/example/${c.name}:1.0.0`],
    },
    checks: [],
    events: [],
    changes: [],
  };
}

export async function startFakeController(options: {
  token: string;
  canaries: FakeCanary[];
}): Promise<FakeController> {
  const canaries = new Map(options.canaries.map(c => [`${c.namespace}/${c.name}`, c]));
  const actions: RecordedAction[] = [];
  const open = new Set<http.ServerResponse>();
  let lastId = 0;

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      send(res, 401, { error: 'bearer token required' });
      return;
    }
    if (req.method === 'GET' && path === '/api/v1/canaries') {
      const ns = url.searchParams.get('namespace');
      send(res, 200, {
        items: [...canaries.values()].filter(c => !ns || c.namespace === ns).map(summary),
      });
      return;
    }
    if (req.method === 'GET' && path === '/api/v1/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write('retry: 1000\n\n');
      res.write(`id: ${lastId}\nevent: hello\ndata: {"lastEventId":${lastId}}\n\n`);
      open.add(res);
      res.on('close', () => open.delete(res));
      return;
    }
    const one = /^\/api\/v1\/namespaces\/([^/]+)\/canaries\/([^/]+)(\/actions)?$/.exec(path);
    if (!one) {
      send(res, 404, { error: `no route ${path}` });
      return;
    }
    const canary = canaries.get(`${one[1]}/${one[2]}`);
    if (one[3] && req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', chunk => chunks.push(chunk as Buffer));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        actions.push({ path, authorization: req.headers.authorization, body });
        if (!canary) {
          send(res, 404, { error: `canary ${one[1]}/${one[2]} not found` });
          return;
        }
        send(res, 202, {
          id: `req-${actions.length}`,
          action: body.action,
          revision: body.revision ?? canary.revision,
          requestedBy: body.onBehalfOf,
          reason: body.reason,
          requestedAt: new Date().toISOString(),
        });
      });
      return;
    }
    if (req.method === 'GET' && !one[3]) {
      if (!canary) send(res, 404, { error: `canary ${one[1]}/${one[2]} not found` });
      else send(res, 200, detail(canary));
      return;
    }
    send(res, 405, { error: `method ${req.method} not allowed` });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    canaries,
    actions,
    emit(type, change) {
      const canary = { lastTransitionTime: new Date().toISOString(), ...change };
      if (type === 'delete') canaries.delete(`${canary.namespace}/${canary.name}`);
      else canaries.set(`${canary.namespace}/${canary.name}`, canary);
      lastId++;
      const data = JSON.stringify({ type, canary: summary(canary) });
      for (const res of open) res.write(`id: ${lastId}\nevent: canary\ndata: ${data}\n\n`);
    },
    streams: () => open.size,
    close: () =>
      new Promise(resolve => {
        for (const res of open) res.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
