// The demo app: a small HTTP service in the spirit of podinfo. One server runs per Deployment
// revision (version = the image tag); its behaviour can be degraded through a fault setting.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Faults {
  /** Fraction of requests answered 500 (0..1). */
  errorRatio: number;
  /** Extra latency added to every request, in ms. */
  latencyMs: number;
}

export const NO_FAULTS: Faults = { errorRatio: 0, latencyMs: 0 };

export interface DemoAppOptions {
  version: string;
  /** Who this instance is (shown in responses), e.g. `demo/podinfo-primary`. */
  hostname?: string;
  /** Read on every request, so faults can change while the app runs. */
  faults?: () => Faults;
  random?: () => number;
  port?: number;
}

export interface DemoApp {
  readonly port: number;
  readonly url: string;
  readonly version: string;
  stop(): Promise<void>;
}

/** The version in an image reference: its tag (`ghcr.io/x/podinfo:6.0.1` → `6.0.1`). */
export function versionOfImage(image: string): string {
  const lastSegment = image.split('/').at(-1) ?? image;
  const withoutDigest = lastSegment.split('@')[0] ?? lastSegment;
  const colon = withoutDigest.lastIndexOf(':');
  return colon < 0 ? 'latest' : withoutDigest.slice(colon + 1);
}

const MAX_DELAY_SECONDS = 30;

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function demoHandler(options: DemoAppOptions): http.RequestListener {
  const random = options.random ?? Math.random;
  const faults = options.faults ?? (() => NO_FAULTS);
  const info = {
    hostname: options.hostname ?? 'podinfo',
    version: options.version,
    message: `greetings from podinfo v${options.version}`,
  };
  return (req, res) => {
    req.resume();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const health = path === '/healthz' || path === '/readyz';
    const respond = () => {
      if (health) return json(res, 200, { status: 'OK' });
      const f = faults();
      if (f.errorRatio > 0 && random() < f.errorRatio) {
        return json(res, 500, { ...info, error: 'injected failure' });
      }
      if (path === '/' || path === '/version') return json(res, 200, info);
      const status = /^\/status\/(\d{3})$/.exec(path);
      if (status) {
        const code = Number(status[1]);
        if (code < 200 || code > 599) return json(res, 400, { error: 'status must be 200-599' });
        return json(res, code, { status: code });
      }
      const delay = /^\/delay\/(\d+(?:\.\d+)?)$/.exec(path);
      if (delay) {
        const seconds = Math.min(Number(delay[1]), MAX_DELAY_SECONDS);
        setTimeout(() => json(res, 200, { delay: seconds }), seconds * 1000);
        return;
      }
      json(res, 404, { error: 'not found' });
    };
    const latency = health ? 0 : faults().latencyMs;
    if (latency > 0) setTimeout(respond, latency);
    else respond();
  };
}

export async function startDemoApp(options: DemoAppOptions): Promise<DemoApp> {
  const server = http.createServer(demoHandler(options));
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    version: options.version,
    stop: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
