/**
 * Pieces for the end-to-end test on the Kubernetes API emulator: kubectl, an auditing proxy that
 * records every API request the controller makes (to hold them against the chart's RBAC), the
 * controller binary as a child process, and polling with a deadline instead of sleeps.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import type { Manifest } from '@aviary/charts/test/support/validate';
import { KUBECTL } from './fleet';

const exec = promisify(execFile);

export async function kubectl(kubeconfig: string, args: string[], input?: string): Promise<string> {
  const child = exec(KUBECTL, ['--kubeconfig', kubeconfig, ...args], {
    maxBuffer: 32 * 1024 * 1024,
  });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  try {
    return (await child).stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`kubectl ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

/** `kubectl apply -f -` of `objects`, one call. */
export async function apply(kubeconfig: string, objects: Manifest[]): Promise<string> {
  return kubectl(kubeconfig, ['apply', '-f', '-'], objects.map(o => yaml.dump(o)).join('---\n'));
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 60_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}

export interface ApiRequest {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
  path: string;
}

/** Maps a Kubernetes API request to the RBAC terms (verb, group, resource[/subresource]). */
export function describeRequest(method: string, url: string): ApiRequest | undefined {
  const { pathname, searchParams } = new URL(url, 'http://x');
  const parts = pathname.split('/').filter(Boolean);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    rest = parts.slice(3);
  } else {
    return undefined; // discovery, /version, /openapi: readable by every authenticated user
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, sub] = rest;
  const resource = sub ? `${plural}/${sub}` : plural!;
  const watch = searchParams.get('watch') === '1' || searchParams.get('watch') === 'true';
  const verb =
    method === 'GET'
      ? name
        ? 'get'
        : watch
          ? 'watch'
          : 'list'
      : ({
          POST: 'create',
          PUT: 'update',
          PATCH: 'patch',
          DELETE: name ? 'delete' : 'deletecollection',
        }[method] ?? method.toLowerCase());
  return {
    verb,
    group,
    resource,
    ...(namespace ? { namespace } : {}),
    ...(name ? { name } : {}),
    path: pathname,
  };
}

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** Whether the (Cluster)Roles bound to the controller allow `request`. */
export function rbacAllows(roles: Manifest[], request: ApiRequest): boolean {
  return roles.some(role => {
    if (role.kind === 'Role' && role.metadata.namespace !== request.namespace) return false;
    return ((role.rules as Rule[]) ?? []).some(
      rule =>
        (rule.apiGroups ?? []).includes(request.group) &&
        (rule.resources ?? []).includes(request.resource) &&
        rule.verbs.includes(request.verb) &&
        (!rule.resourceNames ||
          (request.name !== undefined && rule.resourceNames.includes(request.name))),
    );
  });
}

export interface AuditProxy {
  /** kubeconfig for clients that should go through the proxy. */
  kubeconfig: string;
  requests: ApiRequest[];
  close(): Promise<void>;
}

/** A plain-HTTP proxy in front of the emulator that records every request passing through. */
export async function startAuditProxy(target: {
  url: string;
  caPem: string;
  token: string;
}): Promise<AuditProxy> {
  const upstream = new URL(target.url);
  const agent = new https.Agent({ ca: target.caPem, keepAlive: true });
  const requests: ApiRequest[] = [];
  const server = http.createServer((req, res) => {
    const described = describeRequest(req.method ?? 'GET', req.url ?? '/');
    if (described) requests.push(described);
    const forward = https.request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: upstream.host },
        agent,
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        // Watches answer headers long before their first event: pass them on at once.
        res.flushHeaders();
        answer.pipe(res);
      },
    );
    forward.on('error', error => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(error));
    });
    req.pipe(forward);
  });
  const sockets = new Set<Socket>();
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // client-node accepts a plain-HTTP server only with insecure-skip-tls-verify.
  const kubeconfig = yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'audit',
        cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true },
      },
    ],
    users: [{ name: 'controller', user: { token: target.token } }],
    contexts: [{ name: 'audit', context: { cluster: 'audit', user: 'controller' } }],
    'current-context': 'audit',
  });
  return {
    kubeconfig,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>(resolve => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

export const CONTROLLER_BIN = path.resolve(__dirname, '../../../controller/dist/cli/controller.js');

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

function parseLine(line: string): LogLine {
  try {
    return JSON.parse(line) as LogLine;
  } catch {
    return { level: 'raw', msg: line };
  }
}

/** The real aviary-controller binary, as a child process with JSON logs collected. */
export class ControllerProcess {
  readonly logs: LogLine[] = [];
  private exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    // The controller logs one JSON object per line (on stderr); anything else is kept raw.
    for (const stream of [child.stdout, child.stderr]) {
      let buffer = '';
      stream?.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) this.logs.push(parseLine(line));
      });
    }
    this.exited = new Promise(resolve => child.on('exit', code => resolve(code)));
  }

  static start(args: string[], env: Record<string, string>): ControllerProcess {
    if (!fs.existsSync(CONTROLLER_BIN)) {
      throw new Error(
        `${CONTROLLER_BIN} is missing: run \`npm run build\` at the repository root first`,
      );
    }
    const child = spawn(process.execPath, [CONTROLLER_BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ControllerProcess(child);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Recent output, for failure messages. */
  tail(): string {
    return this.logs
      .slice(-20)
      .map(l => JSON.stringify(l))
      .join('\n');
  }

  async stop(): Promise<number | null> {
    if (this.running) this.child.kill('SIGTERM');
    return this.exited;
  }
}
