// A tiny in-process exporter of Istio's standard request metrics, for the real Prometheus to
// scrape in tests. The test sets each workload's traffic (request rate, 5xx ratio, latency);
// every scrape advances the counters by what that traffic would have produced since the last.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WorkloadTraffic {
  namespace: string;
  workload: string;
  /** Requests per second (0 keeps the series but adds nothing: rate 0, success rate NaN). */
  rps: number;
  /** Fraction of requests answered 503 (0..1). */
  errorRatio?: number;
  /** Every request takes this long, in ms (pick a value between bucket bounds). */
  latencyMs?: number;
  /** Istio reporter label; the built-in queries only read "destination". */
  reporter?: 'destination' | 'source';
}

/** Istio's default buckets for istio_request_duration_milliseconds. */
export const ISTIO_DURATION_BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000,
  1800000, 3600000,
];

/** What histogram_quantile(q) returns when every observation equals `latencyMs`. */
export function expectedQuantile(latencyMs: number, q = 0.99): number {
  const upperIndex = ISTIO_DURATION_BUCKETS.findIndex(b => latencyMs <= b);
  if (upperIndex < 0) return ISTIO_DURATION_BUCKETS.at(-1) ?? Number.NaN;
  const upper = ISTIO_DURATION_BUCKETS[upperIndex] ?? 0;
  const lower = upperIndex === 0 ? 0 : (ISTIO_DURATION_BUCKETS[upperIndex - 1] ?? 0);
  return lower + (upper - lower) * q;
}

interface Series {
  traffic: WorkloadTraffic;
  requests: Map<string, number>;
  buckets: Map<string, number[]>;
  sum: Map<string, number>;
}

const CODES = ['200', '503'];

export class IstioExporter {
  private readonly series = new Map<string, Series>();
  private lastScrape: number | undefined;
  /** Number of scrapes served so far. */
  scrapes = 0;

  private constructor(
    private readonly server: http.Server,
    /** `host:port` to put in a scrape config. */
    readonly target: string,
  ) {}

  static async start(): Promise<IstioExporter> {
    const ref: { exporter?: IstioExporter } = {};
    const server = http.createServer((req, res) => {
      const exporter = ref.exporter;
      if (req.url !== '/metrics' || !exporter) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(exporter.scrape(Date.now()));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    ref.exporter = new IstioExporter(server, `127.0.0.1:${port}`);
    return ref.exporter;
  }

  /** Adds or changes a workload's traffic from the next scrape on. */
  setTraffic(traffic: WorkloadTraffic): void {
    const key = `${traffic.reporter ?? 'destination'}/${traffic.namespace}/${traffic.workload}`;
    const existing = this.series.get(key);
    if (existing) {
      existing.traffic = traffic;
      return;
    }
    const zeros = () => new Map(CODES.map(c => [c, 0]));
    this.series.set(key, {
      traffic,
      requests: zeros(),
      buckets: new Map(CODES.map(c => [c, ISTIO_DURATION_BUCKETS.map(() => 0)])),
      sum: zeros(),
    });
  }

  close(): Promise<void> {
    return new Promise(resolve => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  /** Advances every counter by the traffic since the previous scrape, then renders them. */
  private scrape(now: number): string {
    const seconds = this.lastScrape === undefined ? 0 : (now - this.lastScrape) / 1000;
    this.lastScrape = now;
    this.scrapes += 1;
    for (const s of this.series.values()) advance(s, seconds);
    return render([...this.series.values()]);
  }
}

function advance(s: Series, seconds: number) {
  const total = s.traffic.rps * seconds;
  const errors = total * (s.traffic.errorRatio ?? 0);
  const latency = s.traffic.latencyMs ?? 10;
  for (const [code, count] of [
    ['200', total - errors],
    ['503', errors],
  ] as const) {
    s.requests.set(code, (s.requests.get(code) ?? 0) + count);
    s.sum.set(code, (s.sum.get(code) ?? 0) + count * latency);
    const buckets = s.buckets.get(code) ?? [];
    ISTIO_DURATION_BUCKETS.forEach((bound, i) => {
      if (latency <= bound) buckets[i] = (buckets[i] ?? 0) + count;
    });
  }
}

function labels(s: Series, code: string, extra: Record<string, string> = {}): string {
  const t = s.traffic;
  const all: Record<string, string> = {
    reporter: t.reporter ?? 'destination',
    source_workload: 'loadtester',
    source_workload_namespace: 'test',
    destination_workload: t.workload,
    destination_workload_namespace: t.namespace,
    destination_service: `${t.workload}.${t.namespace}.svc.cluster.local`,
    request_protocol: 'http',
    response_code: code,
    ...extra,
  };
  return `{${Object.entries(all)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;
}

function render(series: Series[]): string {
  const lines = [
    '# TYPE istio_requests_total counter',
    ...series.flatMap(s =>
      CODES.map(c => `istio_requests_total${labels(s, c)} ${s.requests.get(c)}`),
    ),
    '# TYPE istio_request_duration_milliseconds histogram',
  ];
  for (const s of series) {
    for (const code of CODES) {
      const buckets = s.buckets.get(code) ?? [];
      ISTIO_DURATION_BUCKETS.forEach((bound, i) => {
        lines.push(
          `istio_request_duration_milliseconds_bucket${labels(s, code, { le: String(bound) })} ${buckets[i]}`,
        );
      });
      const count = s.requests.get(code) ?? 0;
      lines.push(
        `istio_request_duration_milliseconds_bucket${labels(s, code, { le: '+Inf' })} ${count}`,
      );
      lines.push(`istio_request_duration_milliseconds_sum${labels(s, code)} ${s.sum.get(code)}`);
      lines.push(`istio_request_duration_milliseconds_count${labels(s, code)} ${count}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
