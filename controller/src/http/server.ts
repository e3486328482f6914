// The controller's small HTTP server: `/metrics` (Prometheus exposition), `/healthz` (the process
// is alive), `/readyz` (caches synced; the body tells whether this replica leads) and, when
// given, the controller API under `/api/v1` (./api/). A replica that does not lead is still
// ready: it is a healthy stand-by, not a broken pod.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Readiness {
  /** Informer caches have listed everything once. */
  synced: boolean;
  /** `leader`, `follower`, or `standalone` without leader election. */
  role: 'leader' | 'follower' | 'standalone';
}

export interface ProbeServerOptions {
  port: number;
  /** Default: all interfaces, as a pod's probes need. */
  host?: string;
  metrics(): Promise<{ contentType: string; body: string }>;
  readiness(): Readiness;
  /** The controller API (`/api/v1/...`); resolves false for paths it does not serve. */
  api?: { handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> };
}

export interface ProbeServer {
  /** The bound port (useful with port 0). */
  readonly port: number;
  close(): Promise<void>;
}

export async function startProbeServer(options: ProbeServerOptions): Promise<ProbeServer> {
  const server = http.createServer((req, res) => {
    void handle(options, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(
  options: ProbeServerOptions,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (options.api && (await options.api.handle(req, res))) return;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end();
    return;
  }
  switch (path) {
    case '/metrics': {
      const { contentType, body } = await options.metrics();
      res.writeHead(200, { 'content-type': contentType }).end(body);
      return;
    }
    case '/healthz':
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    case '/readyz': {
      const readiness = options.readiness();
      const body = JSON.stringify({ ready: readiness.synced, role: readiness.role });
      res
        .writeHead(readiness.synced ? 200 : 503, { 'content-type': 'application/json' })
        .end(`${body}\n`);
      return;
    }
    default:
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }
}
