/**
 * Benchmark of the Kubernetes API emulator (`npm run bench -w playground`).
 *
 * The emulator runs in this process's main thread, alone on its event loop; a worker thread plays
 * the clients over real HTTPS: it preloads ConfigMaps with bounded concurrency, opens raw watch
 * streams, then keeps a fixed number of merge-patch updates in flight on keep-alive connections
 * for a fixed time. Reported: sustained writes/s, write latency, watch fan-out (events delivered
 * per second across all watchers, lost or duplicated events) and the delivery lag from a write's
 * acknowledgement to its event's receipt, plus how busy the emulator's thread was (event-loop
 * utilisation), which turns writes/s into writes per core-second.
 *
 * Settings (environment): BENCH_OBJECTS (20000), BENCH_NAMESPACES (20), BENCH_WATCHERS (10),
 * BENCH_WRITE_SECONDS (15), BENCH_WRITE_CONCURRENCY (32), BENCH_PRELOAD_CONCURRENCY (64),
 * BENCH_INLINE=1 runs the clients on the emulator's thread too (one core for everything).
 */
import { Agent, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startKubeEmulator } from '../index.js';

const TARGET_WRITES_PER_SECOND = 1000;

interface Settings {
  objects: number;
  namespaces: number;
  watchers: number;
  writeSeconds: number;
  writeConcurrency: number;
  preloadConcurrency: number;
}

interface Target {
  url: string;
  token: string;
  caPem: string;
}

interface Distribution {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

interface LoadReport {
  preload: { objects: number; seconds: number };
  writes: { ok: number; failed: number; seconds: number; latencyMs: Distribution };
  watch: {
    watchers: number;
    expected: number;
    delivered: number;
    duplicated: number;
    /** From the first write to the last event received. */
    seconds: number;
    lagMs: Distribution;
    /** Events that arrived before their write's response had been read by the client. */
    beforeAck: number;
  };
}

type Phase = 'writes-start' | 'writes-end';
type Message = { phase: Phase } | { report: LoadReport } | { error: string };

function settingsFromEnv(): Settings {
  const int = (name: string, fallback: number) => {
    const v = Number(process.env[name]);
    return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
  };
  return {
    objects: int('BENCH_OBJECTS', 20_000),
    namespaces: int('BENCH_NAMESPACES', 20),
    watchers: int('BENCH_WATCHERS', 10),
    writeSeconds: int('BENCH_WRITE_SECONDS', 15),
    writeConcurrency: int('BENCH_WRITE_CONCURRENCY', 32),
    preloadConcurrency: int('BENCH_PRELOAD_CONCURRENCY', 64),
  };
}

function distribution(values: Float64Array | number[]): Distribution {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) =>
    sorted.length
      ? (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0)
      : 0;
  return {
    count: sorted.length,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    max: sorted.length ? (sorted[sorted.length - 1] ?? 0) : 0,
  };
}

// ---------------------------------------------------------------- clients (the load generator)

function send(
  t: Target,
  agent: Agent,
  method: string,
  path: string,
  body?: string,
  contentType = 'application/json',
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${t.url}${path}`,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${t.token}`,
          ...(body === undefined
            ? {}
            : { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)) }),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `task(0..total-1)` with at most `concurrency` in flight. */
async function pool(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) await task(next++);
    }),
  );
}

const RV = /"resourceVersion":"(\d+)"/;

interface Watcher {
  /** resourceVersion → receipt time (ms), MODIFIED events only. */
  received: Map<number, number>;
  duplicated: number;
  close(): void;
}

function openWatcher(t: Target, path: string): Promise<Watcher> {
  return new Promise((resolve, reject) => {
    const received = new Map<number, number>();
    const watcher: Watcher = { received, duplicated: 0, close: () => req.destroy() };
    const req = request(
      `${t.url}${path}`,
      { method: 'GET', agent: false, ca: t.caPem, headers: { authorization: `Bearer ${t.token}` } },
      (res: IncomingMessage) => {
        if (res.statusCode !== 200) {
          reject(new Error(`watch ${path} answered ${res.statusCode ?? 0}`));
          return;
        }
        let pending = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const now = performance.now();
          pending += chunk;
          let nl: number;
          while ((nl = pending.indexOf('\n')) >= 0) {
            const line = pending.slice(0, nl);
            pending = pending.slice(nl + 1);
            if (!line.startsWith('{"type":"MODIFIED"')) continue;
            const rv = Number(RV.exec(line)?.[1]);
            if (received.has(rv)) watcher.duplicated++;
            else received.set(rv, now);
          }
        });
        resolve(watcher);
      },
    );
    req.on('error', err => {
      if (!req.destroyed) reject(err);
    });
    req.end();
  });
}

async function runLoad(t: Target, s: Settings, phase: (p: Phase) => void): Promise<LoadReport> {
  const preloadAgent = new Agent({
    keepAlive: true,
    maxSockets: s.preloadConcurrency,
    ca: t.caPem,
  });
  const writeAgent = new Agent({ keepAlive: true, maxSockets: s.writeConcurrency, ca: t.caPem });
  const ns = (i: number) => `bench-${String(i % s.namespaces).padStart(2, '0')}`;
  const name = (i: number) => `cm-${String(i).padStart(6, '0')}`;

  for (let n = 0; n < s.namespaces; n++) {
    const r = await send(
      t,
      preloadAgent,
      'POST',
      '/api/v1/namespaces',
      JSON.stringify({ metadata: { name: ns(n) } }),
    );
    if (r.status !== 201) throw new Error(`creating namespace ${ns(n)}: ${r.status} ${r.text}`);
  }
  const preloadStart = performance.now();
  await pool(s.objects, s.preloadConcurrency, async i => {
    const body = JSON.stringify({
      metadata: { name: name(i), labels: { app: 'bench', shard: String(i % 16) } },
      data: { n: '0', payload: 'x'.repeat(64) },
    });
    const r = await send(t, preloadAgent, 'POST', `/api/v1/namespaces/${ns(i)}/configmaps`, body);
    if (r.status !== 201) throw new Error(`creating ${name(i)}: ${r.status} ${r.text}`);
  });
  const preloadSeconds = (performance.now() - preloadStart) / 1000;
  preloadAgent.destroy();

  const list = await send(t, writeAgent, 'GET', '/api/v1/namespaces/default/configmaps');
  const startRv = (JSON.parse(list.text) as { metadata: { resourceVersion: string } }).metadata
    .resourceVersion;
  const watchers = await Promise.all(
    Array.from({ length: s.watchers }, () =>
      openWatcher(t, `/api/v1/configmaps?watch=1&resourceVersion=${startRv}`),
    ),
  );

  const acked = new Map<number, number>();
  const latencies: number[] = [];
  let failed = 0;
  phase('writes-start');
  const writeStart = performance.now();
  const deadline = writeStart + s.writeSeconds * 1000;
  let counter = 0;
  await Promise.all(
    Array.from({ length: s.writeConcurrency }, async (_, worker) => {
      // Each worker updates its own slice of objects, so writes never contend on one object.
      for (let k = 0; performance.now() < deadline; k++) {
        const i = (worker + k * s.writeConcurrency) % s.objects;
        const body = JSON.stringify({ data: { n: String(++counter) } });
        const started = performance.now();
        const r = await send(
          t,
          writeAgent,
          'PATCH',
          `/api/v1/namespaces/${ns(i)}/configmaps/${name(i)}`,
          body,
          'application/merge-patch+json',
        );
        const done = performance.now();
        if (r.status !== 200) {
          failed++;
          continue;
        }
        latencies.push(done - started);
        acked.set(Number(RV.exec(r.text)?.[1]), done);
      }
    }),
  );
  const writeSeconds = (performance.now() - writeStart) / 1000;
  phase('writes-end');

  // Let the watchers drain (bounded), then compare what each received with what was acknowledged.
  const drainDeadline = performance.now() + 10_000;
  while (performance.now() < drainDeadline && watchers.some(w => w.received.size < acked.size)) {
    await new Promise(r => setTimeout(r, 20));
  }
  let delivered = 0;
  let duplicated = 0;
  let beforeAck = 0;
  let lastReceipt = writeStart;
  const lags = new Float64Array(acked.size * watchers.length);
  let lagCount = 0;
  for (const w of watchers) {
    duplicated += w.duplicated;
    for (const [rv, at] of w.received) {
      const ack = acked.get(rv);
      if (ack === undefined) continue;
      delivered++;
      lastReceipt = Math.max(lastReceipt, at);
      if (at < ack) beforeAck++;
      lags[lagCount++] = Math.max(0, at - ack);
    }
    w.close();
  }
  writeAgent.destroy();
  return {
    preload: { objects: s.objects, seconds: preloadSeconds },
    writes: {
      ok: latencies.length,
      failed,
      seconds: writeSeconds,
      latencyMs: distribution(latencies),
    },
    watch: {
      watchers: watchers.length,
      expected: acked.size * watchers.length,
      delivered,
      duplicated,
      seconds: (lastReceipt - writeStart) / 1000,
      lagMs: distribution(lags.subarray(0, lagCount)),
      beforeAck,
    },
  };
}

// ---------------------------------------------------------------- report

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function printReport(s: Settings, r: LoadReport, elu: number, inline: boolean): void {
  const writesPerSecond = r.writes.ok / r.writes.seconds;
  const perCore = elu > 0 ? writesPerSecond / elu : 0;
  const eventsPerSecond = r.watch.delivered / r.watch.seconds;
  const rows: Array<[string, string, string, string]> = [
    [
      'Preload',
      `${fmt(r.preload.objects)} ConfigMaps / ${s.namespaces} ns in ${fmt(r.preload.seconds, 1)} s`,
      '',
      '',
    ],
    ['  create rate', `${fmt(r.preload.objects / r.preload.seconds)} /s`, '', ''],
    [
      'Writes (merge patch)',
      `${fmt(r.writes.ok)} ok, ${fmt(r.writes.failed)} failed in ${fmt(r.writes.seconds, 1)} s, ${s.writeConcurrency} in flight`,
      '',
      '',
    ],
    [
      '  sustained writes/s',
      fmt(writesPerSecond),
      `≥ ${fmt(TARGET_WRITES_PER_SECOND)}`,
      `${fmt(writesPerSecond / TARGET_WRITES_PER_SECOND, 2)}×`,
    ],
    ['  latency p50', `${fmt(r.writes.latencyMs.p50, 2)} ms`, '', ''],
    ['  latency p90', `${fmt(r.writes.latencyMs.p90, 2)} ms`, '', ''],
    ['  latency p99', `${fmt(r.writes.latencyMs.p99, 2)} ms`, '', ''],
    ['  latency max', `${fmt(r.writes.latencyMs.max, 2)} ms`, '', ''],
    [
      `Watch fan-out (${r.watch.watchers} watchers)`,
      `${fmt(r.watch.delivered)} of ${fmt(r.watch.expected)} events, ${fmt(r.watch.expected - r.watch.delivered)} lost, ${fmt(r.watch.duplicated)} duplicated`,
      '',
      '',
    ],
    [
      '  events delivered/s',
      fmt(eventsPerSecond),
      `≥ ${fmt(TARGET_WRITES_PER_SECOND * r.watch.watchers)}`,
      `${fmt(eventsPerSecond / (TARGET_WRITES_PER_SECOND * r.watch.watchers), 2)}×`,
    ],
    ['  lag ack→event p50', `${fmt(r.watch.lagMs.p50, 2)} ms`, '', ''],
    ['  lag ack→event p99', `${fmt(r.watch.lagMs.p99, 2)} ms`, '', ''],
    [
      '  events before ack',
      `${fmt((100 * r.watch.beforeAck) / Math.max(1, r.watch.delivered), 1)} % (lag counted as 0)`,
      '',
      '',
    ],
    [
      inline ? 'Process thread (emulator + clients)' : 'Emulator thread',
      `event-loop utilisation ${fmt(elu * 100, 1)} %`,
      '',
      '',
    ],
    [
      '  writes per core-second',
      inline ? 'n/a (clients share the thread)' : fmt(perCore),
      inline ? '' : `≥ ${fmt(TARGET_WRITES_PER_SECOND)}`,
      inline ? '' : `${fmt(perCore / TARGET_WRITES_PER_SECOND, 2)}×`,
    ],
  ];
  const widths = [0, 1, 2, 3].map(i =>
    Math.max(
      ...rows.map(row => row[i]?.length ?? 0),
      ['Metric', 'Value', 'Target', 'Ratio'][i]?.length ?? 0,
    ),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  console.log('');
  console.log(
    `Kubernetes API emulator benchmark — node ${process.version}, ${inline ? 'clients on the emulator thread' : 'emulator on the main thread, clients in a worker thread'}`,
  );
  console.log(line(['Metric', 'Value', 'Target', 'Ratio']));
  console.log(widths.map(w => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  console.log('');
  const pass =
    writesPerSecond >= TARGET_WRITES_PER_SECOND && r.watch.delivered === r.watch.expected;
  console.log(pass ? 'Target met.' : 'Target NOT met.');
}

// ---------------------------------------------------------------- entry points

async function main(): Promise<void> {
  const settings = settingsFromEnv();
  const inline = process.env.BENCH_INLINE === '1';
  const emulator = await startKubeEmulator({ rolloutDelayMs: 500 });
  const target: Target = { url: emulator.url, token: emulator.token, caPem: emulator.caPem };
  console.log(
    `Emulator at ${emulator.url}: ${fmt(settings.objects)} objects, ${settings.watchers} watchers, ${settings.writeSeconds} s of writes at concurrency ${settings.writeConcurrency}…`,
  );
  let eluStart = performance.eventLoopUtilization();
  let elu = 0;
  const onPhase = (p: Phase) => {
    if (p === 'writes-start') eluStart = performance.eventLoopUtilization();
    else elu = performance.eventLoopUtilization(eluStart).utilization;
  };
  let report: LoadReport;
  try {
    if (inline) {
      report = await runLoad(target, settings, onPhase);
    } else {
      report = await new Promise<LoadReport>((resolve, reject) => {
        const worker = new Worker(__filename, { workerData: { target, settings } });
        worker.on('message', (m: Message) => {
          if ('phase' in m) onPhase(m.phase);
          else if ('report' in m) resolve(m.report);
          else reject(new Error(m.error));
        });
        worker.on('error', reject);
        worker.on('exit', code => {
          if (code !== 0) reject(new Error(`load worker exited with ${code}`));
        });
      });
    }
  } finally {
    await emulator.stop();
  }
  printReport(settings, report, elu, inline);
}

if (isMainThread) {
  main().catch(err => {
    console.error(err);
    process.exit(1);
  });
} else {
  const { target, settings } = workerData as { target: Target; settings: Settings };
  const post = (m: Message) => parentPort?.postMessage(m);
  runLoad(target, settings, phase => post({ phase }))
    .then(report => post({ report }))
    .catch((err: unknown) =>
      post({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    );
}
