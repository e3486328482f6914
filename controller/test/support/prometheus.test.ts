// The built-in and template metric queries against the real Prometheus, scraping the in-process
// Istio exporter. Each workload below is one scenario; all are scraped from the first scrape on.
import { DateTime } from 'luxon';
import type { Canary } from '../../src/api/types.js';
import {
  PrometheusClient,
  createMetricsProvider,
  fetchBuiltinMetric,
  renderQuery,
  runBuiltinMetric,
  templateVariables,
} from '../../src/metrics/index.js';
import type {
  BatchTarget,
  BatchValue,
  BuiltinMetricName,
  MetricsError,
} from '../../src/metrics/index.js';
import { IstioExporter, expectedQuantile } from './istio-exporter.js';
import { startPrometheus } from './prometheus.js';
import type { PrometheusServer } from './prometheus.js';

const WINDOW = '10s';

const workloads = [
  { namespace: 'test', workload: 'podinfo', rps: 20, errorRatio: 0.05, latencyMs: 120 },
  { namespace: 'test', workload: 'podinfo-primary', rps: 100, errorRatio: 0, latencyMs: 7 },
  { namespace: 'test', workload: 'frontend', rps: 10, errorRatio: 0, latencyMs: 30 },
  { namespace: 'prod', workload: 'api', rps: 5, errorRatio: 0.5, latencyMs: 700 },
  { namespace: 'test', workload: 'idle', rps: 0 },
];

const targets: BatchTarget[] = [
  { key: 'podinfo.test', namespace: 'test', target: 'podinfo', interval: WINDOW },
  { key: 'frontend.test', namespace: 'test', target: 'frontend', interval: WINDOW },
  { key: 'api.prod', namespace: 'prod', target: 'api', interval: WINDOW },
  { key: 'idle.test', namespace: 'test', target: 'idle', interval: WINDOW },
  { key: 'ghost.test', namespace: 'test', target: 'ghost', interval: WINDOW },
];

let exporter: IstioExporter;
let prometheus: PrometheusServer;
let client: PrometheusClient;

beforeAll(async () => {
  exporter = await IstioExporter.start();
  for (const w of workloads) exporter.setTraffic(w);
  // The source-side report of podinfo says everything failed: the queries must ignore it.
  exporter.setTraffic({
    namespace: 'test',
    workload: 'podinfo',
    rps: 20,
    errorRatio: 1,
    reporter: 'source',
  });
  prometheus = await startPrometheus({ targets: [exporter.target] });
  // Enough scrapes inside the window for rate() on every series.
  await prometheus.waitFor(
    `min(count_over_time(istio_requests_total{reporter="destination"}[${WINDOW}]))`,
    samples => (samples[0]?.value ?? 0) >= 4,
    30_000,
  );
  client = new PrometheusClient({ address: prometheus.url });
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  await exporter?.close();
});

async function perCanary(
  metric: BuiltinMetricName,
  time: DateTime,
): Promise<Map<string, BatchValue>> {
  const values = new Map<string, BatchValue>();
  for (const t of targets) {
    try {
      values.set(t.key, { ok: true, value: await runBuiltinMetric(client, metric, t, { time }) });
    } catch (err) {
      values.set(t.key, { ok: false, error: err as MetricsError });
    }
  }
  return values;
}

const valueOf = (values: Map<string, BatchValue>, key: string) => {
  const v = values.get(key);
  return v?.ok ? v.value : v?.error.kind;
};

describe('test harness', () => {
  it('Prometheus scrapes the exporter and the counters advance', async () => {
    const up = await prometheus.query('up{job="test"}');
    expect(up.map(s => s.value)).toEqual([1]);
    expect(exporter.scrapes).toBeGreaterThanOrEqual(4);
    const query =
      'sum(istio_requests_total{reporter="destination",destination_workload="podinfo"})';
    const [before] = await prometheus.query(query);
    await prometheus.waitFor(query, ([now]) => (now?.value ?? 0) > (before?.value ?? 0), 10_000);
  });

  it('the client passes the vector(1) availability check', async () => {
    await expect(client.isOnline()).resolves.toBeUndefined();
  });

  it('a query Prometheus rejects is a bad-query error', async () => {
    await expect(client.runQuery('sum(rate(istio_requests_total[1m])')).rejects.toMatchObject({
      kind: 'bad-query',
      status: 400,
    });
  });
});

describe('built-in metrics against the real Prometheus', () => {
  it('request-success-rate per canary: destination reports only, canary workload only', async () => {
    const values = await perCanary('request-success-rate', DateTime.now());
    expect(valueOf(values, 'podinfo.test')).toBeCloseTo(95, 6);
    expect(valueOf(values, 'frontend.test')).toBeCloseTo(100, 6);
    expect(valueOf(values, 'api.prod')).toBeCloseTo(50, 6);
    expect(valueOf(values, 'idle.test')).toBe('no-data');
    expect(valueOf(values, 'ghost.test')).toBe('no-data');
  });

  it('request-duration per canary: P99 in whole milliseconds', async () => {
    const values = await perCanary('request-duration', DateTime.now());
    expect(valueOf(values, 'podinfo.test')).toBe(Math.trunc(expectedQuantile(120)));
    expect(valueOf(values, 'frontend.test')).toBe(Math.trunc(expectedQuantile(30)));
    expect(valueOf(values, 'api.prod')).toBe(Math.trunc(expectedQuantile(700)));
    expect(valueOf(values, 'idle.test')).toBe('no-data');
    expect(valueOf(values, 'ghost.test')).toBe('no-data');
  });

  it.each(['request-success-rate', 'request-duration'] as const)(
    'batched %s: one query, and every canary gets exactly its per-canary value',
    async metric => {
      const time = DateTime.now().minus({ seconds: 1 });
      const queries: string[] = [];
      const counting = {
        instantQuery: (q: string, o?: { time?: DateTime }) => {
          queries.push(q);
          return client.instantQuery(q, o);
        },
      };
      const batched = await fetchBuiltinMetric(counting, metric, targets, { time });
      expect(queries).toHaveLength(1);
      const single = await perCanary(metric, time);
      for (const t of targets) {
        const a = batched.get(t.key);
        const b = single.get(t.key);
        if (b?.ok) expect(a).toEqual({ ok: true, value: b.value });
        else expect(a).toMatchObject({ ok: false, error: { kind: b?.error.kind } });
      }
    },
  );
});

describe('MetricTemplate queries against the real Prometheus', () => {
  const canary: Canary = {
    apiVersion: 'aviary.dev/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898 },
    },
  };
  // The e2e `latency` template (spec 4.1): the duration query with a templated reporter.
  const latencyTemplate = `
    histogram_quantile(0.99,
      sum(rate(istio_request_duration_milliseconds_bucket{
        reporter="{{ variables.reporter }}",
        destination_workload_namespace="{{ namespace }}",
        destination_workload=~"{{ target }}"
      }[{{ interval }}])) by (le))`;

  it('renders with the canary and metric variables and returns the raw value', async () => {
    const metric = {
      name: 'latency',
      interval: WINDOW,
      templateVariables: { reporter: 'destination' },
    };
    const query = renderQuery(latencyTemplate, templateVariables(canary, metric));
    const provider = createMetricsProvider({ type: 'prometheus', address: prometheus.url });
    await expect(provider.runQuery(query)).resolves.toBeCloseTo(expectedQuantile(120), 6);
  });

  it('a template error-rate query sees the source-side failures the built-ins ignore', async () => {
    const template = `sum(rate(istio_requests_total{reporter="{{ variables.reporter }}",
      destination_workload=~"{{ target }}", response_code=~"5.*"}[{{ interval }}]))
      / sum(rate(istio_requests_total{reporter="{{ variables.reporter }}", destination_workload=~"{{ target }}"}[{{ interval }}]))`;
    const metric = { name: 'errors', interval: WINDOW, templateVariables: { reporter: 'source' } };
    await expect(
      client.runQuery(renderQuery(template, templateVariables(canary, metric))),
    ).resolves.toBeCloseTo(1, 6);
  });
});
