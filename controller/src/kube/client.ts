// A small JSON REST client over the kubeconfig's credentials. client-node's generated APIs are
// per kind and cannot write status subresources generically, so every kind goes through here.
import * as http from 'node:http';
import * as https from 'node:https';
import * as k8s from '@kubernetes/client-node';
import { apiError, KubeApiError } from './errors.js';

export interface ConnectOptions {
  /** Path of a kubeconfig file; without it (and `kubeconfigData`): $KUBECONFIG, ~/.kube/config, in-cluster. */
  kubeconfig?: string;
  /** A kubeconfig as YAML text (tests: the emulator's `kubeconfig()`). */
  kubeconfigData?: string;
  /** Context to use instead of the file's current-context. */
  context?: string;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  method: HttpMethod;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Defaults to application/json (PATCH callers pass the patch type). */
  contentType?: string;
  /** Names the object in error messages, e.g. "create Secret test/db" (bodies are never echoed). */
  subject?: string;
  /** The server's error message may quote the body (Secret data): keep only its reason. */
  redact?: boolean;
}

/** Loads credentials: a kubeconfig file or text when given, else kubectl's defaults. */
export function connect(options: ConnectOptions = {}): KubeClient {
  const config = new k8s.KubeConfig();
  if (options.kubeconfigData !== undefined) config.loadFromString(options.kubeconfigData);
  else if (options.kubeconfig) config.loadFromFile(options.kubeconfig);
  // Like kubectl: $KUBECONFIG, then ~/.kube/config, then the pod's service account.
  else config.loadFromDefault();
  if (options.context) config.setCurrentContext(options.context);
  return new KubeClient(config);
}

interface KubeStatus {
  kind?: string;
  reason?: string;
  message?: string;
  code?: number;
}

export class KubeClient {
  private agent: http.Agent | undefined;

  constructor(readonly config: k8s.KubeConfig) {}

  /** The API server URL of the current context. */
  get server(): string {
    const cluster = this.config.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    return cluster.server;
  }

  /** Sends one request; resolves with the parsed JSON body, rejects with a `KubeApiError`. */
  async request<T>(options: RequestOptions): Promise<T> {
    const url = new URL(this.server.replace(/\/$/, '') + options.path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const auth: https.RequestOptions = {};
    // Credentials are applied per request (tokens rotate); the TLS agent is kept for keep-alive.
    await this.config.applyToHTTPSOptions(auth);
    const agent = this.agentFor(url, auth);
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { Accept: 'application/json' };
    for (const [key, value] of Object.entries(auth.headers ?? {})) {
      if (typeof value === 'string' || typeof value === 'number') headers[key] = String(value);
    }
    if (auth.auth) headers.Authorization = `Basic ${Buffer.from(auth.auth).toString('base64')}`;
    if (payload !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const subject = options.subject ?? `${options.method} ${options.path}`;
    const { status, text } = await send(url, { method: options.method, headers, agent }, payload);
    if (status >= 200 && status < 300) return (text ? JSON.parse(text) : {}) as T;
    throw errorFromResponse(status, text, subject, options.redact === true);
  }

  private agentFor(url: URL, auth: https.RequestOptions): http.Agent {
    if (this.agent) return this.agent;
    const cluster = this.config.getCurrentCluster();
    this.agent =
      url.protocol === 'http:'
        ? new http.Agent({ keepAlive: true })
        : new https.Agent({
            keepAlive: true,
            ca: auth.ca,
            cert: auth.cert,
            key: auth.key,
            pfx: auth.pfx,
            passphrase: auth.passphrase,
            servername: cluster?.tlsServerName,
            ...(cluster?.skipTLSVerify ? { rejectUnauthorized: false } : {}),
          });
    return this.agent;
  }

  /** Frees the keep-alive sockets (tests, shutdown). */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }
}

function send(
  url: URL,
  options: http.RequestOptions,
  payload: string | undefined,
): Promise<{ status: number; text: string }> {
  const transport = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, options, res => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', err =>
      reject(new KubeApiError(`${url.host}: ${err.message}`, 0, 'ConnectionError')),
    );
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

function errorFromResponse(
  status: number,
  text: string,
  subject: string,
  redact: boolean,
): KubeApiError {
  let parsed: KubeStatus = {};
  try {
    parsed = JSON.parse(text) as KubeStatus;
  } catch {
    // Not a Status object (a proxy's error page): the status code says enough.
  }
  const reason = parsed.reason ?? http.STATUS_CODES[status] ?? 'Unknown';
  const detail = redact ? reason : (parsed.message ?? reason);
  return apiError(status, reason, `${subject}: ${detail} (${status})`);
}
