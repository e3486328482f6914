// The mesh emulator: one HTTP entry point that routes each request the way Istio's sidecars
// would, from the live VirtualServices, Services and Deployments in the Kubernetes API emulator
// (re-read every `refreshMs`), to the demo app instances of each Deployment revision. An admin
// server exposes Istio's request metrics and the fault table.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDemoApp, versionOfImage, NO_FAULTS } from '../demo-app/app.js';
import type { DemoApp, Faults } from '../demo-app/app.js';
import { listAll } from './kube-client.js';
import type { KubeAccess, ListedObject } from './kube-client.js';
import { IstioMetrics } from './metrics.js';
import {
  applyHeaderOperations,
  hostAliases,
  pickDestination,
  selectRoute,
  shouldMirror,
} from './routing.js';
import type { HttpRoute, Random, RouteRequest } from './routing.js';

/** A Deployment revision that can take traffic. */
export interface Workload {
  namespace: string;
  name: string;
  app: string;
  version: string;
  replicas: number;
}

/** What the mesh knows of the cluster; rebuilt on each refresh. */
export interface MeshSnapshot {
  /** Request host alias → VirtualService routes and namespace. */
  virtualServices: Map<string, { namespace: string; http: HttpRoute[] }>;
  /** `namespace/service` → the Deployment it selects. */
  services: Map<string, Workload | undefined>;
}

interface DeploymentSpec {
  replicas?: number;
  template?: {
    metadata?: { labels?: Record<string, string> };
    spec?: { containers?: Array<{ image?: string }> };
  };
}

export function buildSnapshot(
  virtualServices: ListedObject[],
  services: ListedObject[],
  deployments: ListedObject[],
): MeshSnapshot {
  const snapshot: MeshSnapshot = { virtualServices: new Map(), services: new Map() };
  for (const vs of virtualServices) {
    const ns = vs.metadata.namespace ?? 'default';
    const spec = (vs.spec ?? {}) as { hosts?: string[]; http?: HttpRoute[] };
    for (const host of spec.hosts ?? []) {
      for (const alias of hostAliases(host, ns)) {
        snapshot.virtualServices.set(alias, { namespace: ns, http: spec.http ?? [] });
      }
    }
  }
  for (const svc of services) {
    const ns = svc.metadata.namespace ?? 'default';
    const selector = (svc.spec as { selector?: Record<string, string> } | undefined)?.selector;
    let workload: Workload | undefined;
    if (selector && Object.keys(selector).length > 0) {
      const match = deployments.find(d => {
        if ((d.metadata.namespace ?? 'default') !== ns) return false;
        const labels = (d.spec as DeploymentSpec | undefined)?.template?.metadata?.labels ?? {};
        return Object.entries(selector).every(([k, v]) => labels[k] === v);
      });
      if (match) {
        const spec = (match.spec ?? {}) as DeploymentSpec;
        const labels = spec.template?.metadata?.labels ?? {};
        workload = {
          namespace: ns,
          name: match.metadata.name,
          app: labels.app ?? match.metadata.name,
          version: versionOfImage(spec.template?.spec?.containers?.[0]?.image ?? ''),
          replicas: spec.replicas ?? 1,
        };
      }
    }
    snapshot.services.set(`${ns}/${svc.metadata.name}`, workload);
  }
  return snapshot;
}

/** `namespace/name` of a Service from a host as written in a route or a request. */
export function serviceKey(host: string, namespace: string): string {
  const parts = host.split(':')[0]?.split('.') ?? [];
  const name = parts[0] ?? '';
  const ns = parts.length >= 2 ? (parts[1] ?? namespace) : namespace;
  return `${ns}/${name}`;
}

export interface MeshOptions {
  kube: KubeAccess;
  /** Port of the traffic entry point (0: a free port). */
  port?: number;
  /** Port of `/metrics` and `/faults` (0: a free port). */
  adminPort?: number;
  refreshMs?: number;
  random?: Random;
  log?: (line: string) => void;
}

export interface Mesh {
  readonly port: number;
  readonly adminPort: number;
  readonly metrics: IstioMetrics;
  /** Sets faults for one app version (`namespace/app@version`). */
  setFaults(namespace: string, app: string, version: string, faults: Faults): void;
  /** Re-reads the cluster now. */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

function faultKey(namespace: string, app: string, version: string): string {
  return `${namespace}/${app}@${version}`;
}

/** The canary's name for a workload: `podinfo-primary` and `podinfo` both belong to `podinfo`. */
export function targetOf(workloadName: string): string {
  return workloadName.replace(/-primary$/, '');
}

export async function startMesh(options: MeshOptions): Promise<Mesh> {
  const random = options.random ?? Math.random;
  const log = options.log ?? (() => undefined);
  const metrics = new IstioMetrics();
  const faults = new Map<string, Faults>();
  const apps = new Map<string, Promise<DemoApp>>();
  let snapshot: MeshSnapshot = { virtualServices: new Map(), services: new Map() };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  const appFor = (w: Workload): Promise<DemoApp> => {
    const key = `${w.namespace}/${w.name}@${w.version}`;
    let app = apps.get(key);
    if (!app) {
      app = startDemoApp({
        version: w.version,
        hostname: `${w.name}-${w.version}`,
        faults: () => faults.get(faultKey(w.namespace, targetOf(w.name), w.version)) ?? NO_FAULTS,
      });
      apps.set(key, app);
      log(`workload ${key} started`);
    }
    return app;
  };

  const refresh = async () => {
    const [vss, svcs, deps] = await Promise.all([
      listAll(options.kube, '/apis/networking.istio.io/v1beta1/virtualservices'),
      listAll(options.kube, '/api/v1/services'),
      listAll(options.kube, '/apis/apps/v1/deployments'),
    ]);
    snapshot = buildSnapshot(vss, svcs, deps);
    for (const w of snapshot.services.values()) if (w && w.replicas > 0) void appFor(w);
  };
  await refresh();
  let refreshing = false;
  const timer = setInterval(() => {
    if (refreshing) return;
    refreshing = true;
    refresh()
      .catch(err => log(`mesh refresh failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        refreshing = false;
      });
  }, options.refreshMs ?? 500);

  /** Sends one request to a Service's workload; resolves with the upstream response. */
  const forward = async (
    host: string,
    namespace: string,
    req: { method: string; url: string; headers: http.OutgoingHttpHeaders },
    body: Buffer,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer } | undefined> => {
    const workload = snapshot.services.get(serviceKey(host, namespace));
    if (!workload || workload.replicas <= 0) return undefined;
    const app = await appFor(workload);
    const started = performance.now();
    const upstream = await new Promise<{
      status: number;
      headers: http.IncomingHttpHeaders;
      body: Buffer;
    }>((resolve, reject) => {
      const out = http.request(
        {
          host: '127.0.0.1',
          port: app.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent,
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 502,
              headers: res.headers,
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });
    metrics.record({
      namespace: workload.namespace,
      workload: workload.name,
      service: workload.app,
      version: workload.version,
      responseCode: upstream.status,
      durationMs: performance.now() - started,
    });
    return upstream;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const hostHeader = (req.headers.host ?? '').split(':')[0] ?? '';
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const request: RouteRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers };
    const vs = snapshot.virtualServices.get(hostHeader);
    let targetHost = hostHeader;
    let namespace = 'default';
    const requestHeaders: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) requestHeaders[k] = v;
    const responseOps: Array<HttpRoute['headers']> = [];
    let mirrorHost: string | undefined;
    if (vs) {
      namespace = vs.namespace;
      const route = selectRoute(vs.http, request);
      const dest = route ? pickDestination(route, random) : undefined;
      if (!route || !dest) {
        res.writeHead(route ? 503 : 404, { 'content-type': 'text/plain' });
        res.end(route ? 'no healthy upstream' : 'no route matched');
        return;
      }
      targetHost = dest.destination.host;
      applyHeaderOperations(requestHeaders, route.headers?.request);
      applyHeaderOperations(requestHeaders, dest.headers?.request);
      responseOps.push(route.headers, dest.headers);
      mirrorHost = shouldMirror(route, random);
    } else {
      const parts = hostHeader.split('.');
      namespace = parts[1] ?? 'default';
    }
    const outgoing = { method: request.method, url: request.url, headers: requestHeaders };
    if (mirrorHost) {
      const shadow = { ...outgoing, headers: { ...requestHeaders, host: `${mirrorHost}-shadow` } };
      forward(mirrorHost, namespace, shadow, body).catch(() => undefined);
    }
    const upstream = await forward(targetHost, namespace, outgoing, body);
    if (!upstream) {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('no healthy upstream');
      return;
    }
    const resHeaders: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(upstream.headers)) {
      if (v !== undefined && k !== 'connection' && k !== 'keep-alive' && k !== 'transfer-encoding')
        resHeaders[k] = v;
    }
    for (const ops of responseOps) applyHeaderOperations(resHeaders, ops?.response);
    resHeaders['content-length'] = String(upstream.body.length);
    res.writeHead(upstream.status, resHeaders);
    res.end(upstream.body);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(err => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`upstream error: ${err instanceof Error ? err.message : String(err)}`);
    });
  });

  const setFaults = (namespace: string, app: string, version: string, f: Faults) => {
    if (f.errorRatio === 0 && f.latencyMs === 0) faults.delete(faultKey(namespace, app, version));
    else faults.set(faultKey(namespace, app, version), f);
    log(`faults ${faultKey(namespace, app, version)}: ${JSON.stringify(f)}`);
  };

  const admin = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(metrics.expose());
      return;
    }
    if (path === '/faults' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(Object.fromEntries(faults)));
      return;
    }
    if (path === '/faults' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          const f = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            namespace?: string;
            app?: string;
            version?: string;
            errorRatio?: number;
            latencyMs?: number;
          };
          if (!f.namespace || !f.app || !f.version)
            throw new Error('namespace, app, version needed');
          setFaults(f.namespace, f.app, f.version, {
            errorRatio: Math.min(1, Math.max(0, f.errorRatio ?? 0)),
            latencyMs: Math.max(0, f.latencyMs ?? 0),
          });
          res.writeHead(204).end();
        } catch (err) {
          res.writeHead(400, { 'content-type': 'text/plain' });
          res.end(err instanceof Error ? err.message : String(err));
        }
      });
      return;
    }
    res.writeHead(404).end();
  });

  const listen = (s: http.Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
    });
  const port = await listen(server, options.port ?? 0);
  const adminPort = await listen(admin, options.adminPort ?? 0);

  return {
    port,
    adminPort,
    metrics,
    setFaults,
    refresh,
    stop: async () => {
      clearInterval(timer);
      agent.destroy();
      const close = (s: http.Server) =>
        new Promise<void>(resolve => {
          s.close(() => resolve());
          s.closeAllConnections();
        });
      await Promise.all([close(server), close(admin)]);
      await Promise.all([...apps.values()].map(async a => (await a).stop()));
    },
  };
}
