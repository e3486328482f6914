// Starts the real Prometheus binary for tests: a free loopback port, a temporary TSDB directory,
// a 1 s scrape interval over the given targets. Waits for readiness and for data by polling,
// and always cleans up (process killed, directory removed), even if a test forgets to.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

export interface PrometheusOptions {
  /** `host:port` targets scraped at /metrics. */
  targets: string[];
  scrapeInterval?: string;
  /** How long to wait for the server to become ready. */
  startTimeoutMs?: number;
}

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

export interface PrometheusServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Instant query straight against the HTTP API (independent of the code under test). */
  query(promql: string): Promise<PromSample[]>;
  /** Polls `promql` until `accept` is true for its samples; rejects after `timeoutMs`. */
  waitFor(
    promql: string,
    accept: (samples: PromSample[]) => boolean,
    timeoutMs?: number,
  ): Promise<PromSample[]>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function config(options: PrometheusOptions): string {
  const interval = options.scrapeInterval ?? '1s';
  const targets = options.targets.map(t => `'${t}'`).join(', ');
  return [
    'global:',
    `  scrape_interval: ${interval}`,
    `  evaluation_interval: ${interval}`,
    'scrape_configs:',
    '  - job_name: test',
    `    scrape_interval: ${interval}`,
    `    scrape_timeout: ${interval}`,
    '    static_configs:',
    `      - targets: [${targets}]`,
    '',
  ].join('\n');
}

async function instantQuery(url: string, promql: string): Promise<PromSample[]> {
  const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`);
  const json = (await res.json()) as {
    status: string;
    error?: string;
    data?: {
      resultType: string;
      result: Array<{ metric: Record<string, string>; value: [number, string] }>;
    };
  };
  if (json.status !== 'success' || json.data?.resultType !== 'vector') {
    throw new Error(`query failed: ${json.error ?? json.data?.resultType}`);
  }
  return json.data.result.map(r => ({ metric: r.metric, value: Number(r.value[1]) }));
}

export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusServer> {
  if (!existsSync(PROMETHEUS_BIN)) {
    throw new Error(
      `Prometheus not found at ${PROMETHEUS_BIN} (apt-get install -y prometheus, or set PROMETHEUS_BIN)`,
    );
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aviary-prom-'));
  const configFile = path.join(dir, 'prometheus.yml');
  await writeFile(configFile, config(options));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    running.delete(child);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`prometheus exited early (${child.exitCode}): ${stderr}`);
      const ready = await fetch(`${url}/-/ready`).then(
        r => r.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`prometheus not ready after timeout: ${stderr}`);
      await sleep(100);
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    url,
    query: promql => instantQuery(url, promql),
    async waitFor(promql, accept, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      let last: unknown;
      for (;;) {
        try {
          const samples = await instantQuery(url, promql);
          if (accept(samples)) return samples;
          last = samples;
        } catch (err) {
          last = err;
        }
        if (Date.now() > deadline) {
          throw new Error(`timed out waiting for ${promql}; last: ${JSON.stringify(last)}`);
        }
        await sleep(200);
      }
    },
    stop,
  };
}
