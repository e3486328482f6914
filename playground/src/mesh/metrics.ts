// Istio's standard request metrics as the destination sidecar reports them, in the Prometheus
// text exposition format.

/** Istio's default buckets for istio_request_duration_milliseconds. */
export const ISTIO_DURATION_BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000,
  1800000, 3600000,
];

export interface RequestSample {
  namespace: string;
  workload: string;
  /** Canonical service name (the Deployment's `app` label, else its name). */
  service?: string;
  version?: string;
  responseCode: number;
  durationMs: number;
}

interface Series {
  labels: string;
  count: number;
  buckets: number[];
  sum: number;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelString(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',');
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  return String(n);
}

export class IstioMetrics {
  private readonly series = new Map<string, Series>();

  record(sample: RequestSample): void {
    const labels = labelString({
      reporter: 'destination',
      destination_workload: sample.workload,
      destination_workload_namespace: sample.namespace,
      destination_service_name: sample.service ?? sample.workload,
      destination_service_namespace: sample.namespace,
      destination_version: sample.version ?? 'unknown',
      request_protocol: 'http',
      response_code: String(sample.responseCode),
    });
    let s = this.series.get(labels);
    if (!s) {
      s = { labels, count: 0, buckets: ISTIO_DURATION_BUCKETS.map(() => 0), sum: 0 };
      this.series.set(labels, s);
    }
    s.count++;
    s.sum += sample.durationMs;
    ISTIO_DURATION_BUCKETS.forEach((bound, i) => {
      if (sample.durationMs <= bound && s) s.buckets[i] = (s.buckets[i] ?? 0) + 1;
    });
  }

  /** The exposition text (format 0.0.4). */
  expose(): string {
    const out: string[] = [
      '# HELP istio_requests_total Requests received by the destination workload.',
      '# TYPE istio_requests_total counter',
    ];
    for (const s of this.series.values()) out.push(`istio_requests_total{${s.labels}} ${s.count}`);
    out.push(
      '# HELP istio_request_duration_milliseconds Request duration at the destination.',
      '# TYPE istio_request_duration_milliseconds histogram',
    );
    for (const s of this.series.values()) {
      ISTIO_DURATION_BUCKETS.forEach((bound, i) => {
        out.push(
          `istio_request_duration_milliseconds_bucket{${s.labels},le="${formatNumber(bound)}"} ${s.buckets[i] ?? 0}`,
        );
      });
      out.push(`istio_request_duration_milliseconds_bucket{${s.labels},le="+Inf"} ${s.count}`);
      out.push(`istio_request_duration_milliseconds_sum{${s.labels}} ${formatNumber(s.sum)}`);
      out.push(`istio_request_duration_milliseconds_count{${s.labels}} ${s.count}`);
    }
    return `${out.join('\n')}\n`;
  }
}
