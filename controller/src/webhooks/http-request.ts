// One small HTTP client for the controller's outbound calls (webhooks, Prometheus, alert sinks).
// Built on node:http/https rather than global fetch because webhooks (disableTLS) and metric
// templates (insecureSkipVerify) must be able to skip certificate checks, which fetch cannot do
// without undici's Agent.
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import tls from 'node:tls';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string | URL;
  headers?: Record<string, string>;
  body?: string;
  /** Whole-request deadline (connect + response body). */
  timeoutMs: number;
  /** Accept any TLS certificate (webhook disableTLS, template insecureSkipVerify). */
  insecureSkipVerify?: boolean;
  /** HTTP proxy (`http://[user:pass@]host:port`); the request goes through a CONNECT tunnel. */
  proxy?: string;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  /** Response body, cut at MAX_BODY_BYTES. */
  body: string;
}

export type HttpFailure = 'invalid-url' | 'timeout' | 'network';

/** Transport failure (no HTTP status). The message never contains the URL. */
export class HttpRequestError extends Error {
  override readonly name = 'HttpRequestError';
  constructor(
    readonly failure: HttpFailure,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 1024 * 1024;

/** `scheme://host/***`: enough to tell sinks apart, without paths or credentials (secrets). */
export function redactUrl(url: string | URL): string {
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return `${parsed.protocol}//${parsed.host}/***`;
  } catch {
    return '<invalid URL>';
  }
}

/** Replaces every occurrence of the given secrets (and their URL-encoded forms) with ***. */
export function maskSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  const values = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  for (const secret of values.sort((a, b) => b.length - a.length)) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      result = result.split(form).join('***');
    }
  }
  return result;
}

function parseUrl(url: string | URL): URL {
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
    return parsed;
  } catch {
    throw new HttpRequestError('invalid-url', 'invalid URL (expected http:// or https://)');
  }
}

export async function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const url = parseUrl(request.url);
  const deadline = Date.now() + request.timeoutMs;
  const socket = request.proxy
    ? await openTunnel(request.proxy, url, request.timeoutMs)
    : undefined;
  return send(request, url, socket, Math.max(1, deadline - Date.now()));
}

function send(
  request: HttpRequest,
  url: URL,
  tunnel: Socket | undefined,
  timeoutMs: number,
): Promise<HttpResponse> {
  const secure = url.protocol === 'https:';
  const transport = secure ? https : http;
  const headers: Record<string, string> = { ...(request.headers ?? {}) };
  if (request.body !== undefined)
    headers['content-length'] = String(Buffer.byteLength(request.body));
  const tlsOptions = secure ? { rejectUnauthorized: !request.insecureSkipVerify } : {};
  const viaTunnel = tunnel
    ? {
        createConnection: () =>
          secure
            ? tls.connect({ socket: tunnel, servername: url.hostname, ...tlsOptions })
            : tunnel,
      }
    : {};

  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const req = transport.request(
      url,
      { method: request.method, headers, ...tlsOptions, ...viaTunnel },
      res => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY_BYTES) chunks.push(chunk.subarray(0, MAX_BODY_BYTES - size));
          size += chunk.length;
        });
        res.on('end', () =>
          finish(() =>
            resolve({
              status: res.statusCode ?? 0,
              statusText: res.statusMessage ?? '',
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          ),
        );
        res.on('error', err => finish(() => reject(networkError(err))));
      },
    );
    const timer = setTimeout(() => {
      finish(() => reject(timeoutError(request.timeoutMs)));
      req.destroy();
      tunnel?.destroy();
    }, timeoutMs);
    req.on('error', err => finish(() => reject(networkError(err))));
    req.end(request.body);
  });
}

/** A raw socket to `target` through an HTTP proxy's CONNECT method. */
function openTunnel(proxy: string, target: URL, timeoutMs: number): Promise<Socket> {
  let proxyUrl: URL;
  try {
    proxyUrl = new URL(proxy);
  } catch {
    return Promise.reject(new HttpRequestError('invalid-url', 'invalid proxy URL'));
  }
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const authority = `${target.hostname}:${port}`;
  const headers: Record<string, string> = { host: authority };
  if (proxyUrl.username) {
    const user = `${decodeURIComponent(proxyUrl.username)}:${decodeURIComponent(proxyUrl.password)}`;
    headers['proxy-authorization'] = `Basic ${Buffer.from(user).toString('base64')}`;
  }
  return new Promise<Socket>((resolve, reject) => {
    const req = http.request({
      host: proxyUrl.hostname,
      port: proxyUrl.port || 80,
      method: 'CONNECT',
      path: authority,
      headers,
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(timeoutError(timeoutMs));
    }, timeoutMs);
    req.on('connect', (res, socket) => {
      clearTimeout(timer);
      if (res.statusCode === 200) return resolve(socket);
      socket.destroy();
      reject(new HttpRequestError('network', `proxy refused the tunnel: ${res.statusCode}`));
    });
    req.on('error', err => {
      clearTimeout(timer);
      reject(networkError(err));
    });
    req.end();
  });
}

function timeoutError(ms: number): HttpRequestError {
  return new HttpRequestError('timeout', `timed out after ${ms}ms`);
}

/** Only the error code and a generic text: Node's messages can embed the host and port. */
function networkError(err: Error & { code?: string }): HttpRequestError {
  return new HttpRequestError('network', `request failed: ${err.code ?? 'connection error'}`);
}
