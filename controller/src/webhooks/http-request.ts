// One small HTTP client for the controller's outbound calls (webhooks, Prometheus, alert sinks).
// Built on node:http/https rather than global fetch because webhooks (disableTLS) and metric
// templates (insecureSkipVerify) must be able to skip certificate checks, which fetch cannot do
// without undici's Agent.
import http from 'node:http';
import https from 'node:https';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string | URL;
  headers?: Record<string, string>;
  body?: string;
  /** Whole-request deadline (connect + response body). */
  timeoutMs: number;
  /** Accept any TLS certificate (webhook disableTLS, template insecureSkipVerify). */
  insecureSkipVerify?: boolean;
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

export function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const url = parseUrl(request.url);
  const transport = url.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = { ...(request.headers ?? {}) };
  if (request.body !== undefined)
    headers['content-length'] = String(Buffer.byteLength(request.body));

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
      {
        method: request.method,
        headers,
        ...(url.protocol === 'https:' ? { rejectUnauthorized: !request.insecureSkipVerify } : {}),
      },
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
      finish(() =>
        reject(new HttpRequestError('timeout', `timed out after ${request.timeoutMs}ms`)),
      );
      req.destroy();
    }, request.timeoutMs);
    req.on('error', err => finish(() => reject(networkError(err))));
    req.end(request.body);
  });
}

/** Only the error code and a generic text: Node's messages can embed the host and port. */
function networkError(err: Error & { code?: string }): HttpRequestError {
  return new HttpRequestError('network', `request failed: ${err.code ?? 'connection error'}`);
}
