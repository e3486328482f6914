// A bounded-rate load generator on loopback: keeps realistic traffic flowing through the mesh
// so the canary analysis has requests to measure.
import http from 'node:http';

export interface LoadTarget {
  /** Host header, e.g. `podinfo.demo`. */
  host: string;
  /** Requests per second for this host. */
  rps: number;
  /** Paths to cycle through. */
  paths?: string[];
  /** Headers sent on a share of the requests (A/B testing users). */
  segment?: { share: number; headers: Record<string, string> };
}

export interface LoadOptions {
  /** Mesh entry port on 127.0.0.1 (loopback only). */
  port: number;
  targets: LoadTarget[];
  /** At most this many requests in flight; ticks skip requests beyond it. */
  maxInFlight?: number;
  tickMs?: number;
  random?: () => number;
}

export interface LoadGenerator {
  /** Requests sent and completed by status class so far. */
  stats(): { sent: number; ok: number; failed: number };
  stop(): void;
}

const MAX_RPS = 500;

export function startLoad(options: LoadOptions): LoadGenerator {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const maxInFlight = options.maxInFlight ?? 50;
  const tickMs = options.tickMs ?? 100;
  const random = options.random ?? Math.random;
  const stats = { sent: 0, ok: 0, failed: 0 };
  let inFlight = 0;
  const carry = new Map<string, number>();
  let counter = 0;

  const send = (target: LoadTarget) => {
    const paths = target.paths ?? ['/'];
    const path = paths[counter++ % paths.length] ?? '/';
    const segment = target.segment && random() < target.segment.share ? target.segment.headers : {};
    inFlight++;
    stats.sent++;
    const req = http.request(
      {
        host: '127.0.0.1',
        port: options.port,
        path,
        agent,
        headers: { host: target.host, 'user-agent': 'aviary-playground-load', ...segment },
      },
      res => {
        res.resume();
        res.on('end', () => {
          inFlight--;
          if ((res.statusCode ?? 500) < 500) stats.ok++;
          else stats.failed++;
        });
      },
    );
    req.setTimeout(10_000, () => req.destroy());
    req.on('error', () => {
      inFlight--;
      stats.failed++;
    });
    req.end();
  };

  const timer = setInterval(() => {
    for (const target of options.targets) {
      const due = (carry.get(target.host) ?? 0) + (Math.min(target.rps, MAX_RPS) * tickMs) / 1000;
      const whole = Math.floor(due);
      carry.set(target.host, due - whole);
      for (let i = 0; i < whole && inFlight < maxInFlight; i++) send(target);
    }
  }, tickMs);

  return {
    stats: () => ({ ...stats }),
    stop: () => {
      clearInterval(timer);
      agent.destroy();
    },
  };
}
