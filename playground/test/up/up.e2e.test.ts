// The one-command demo end to end, as a person runs it: `aviary-playground up` (a child process
// with a temporary state dir and free ports; without the portal, which packages/app's browser
// test covers), a release promoted by the real aviary-controller against the real Prometheus
// scraping the mesh, a bad release rolled back after injected errors, an A/B release that only
// the matching users see until its promotion, and `down` leaving no process behind. Needs
// `npm run build` (playground and controller dist).
import { execFile, spawn } from 'node:child_process';
import http from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { accessFromKubeconfig, kubeRequest } from '../../src/mesh/kube-client.js';
import type { KubeAccess } from '../../src/mesh/kube-client.js';
import { isAlive, readState } from '../../src/up/state.js';
import type { PlaygroundState } from '../../src/up/state.js';
import { CONTROLLER_BIN, PROMETHEUS_BIN } from '../../src/up/up.js';

const run = promisify(execFile);
const cli = join(__dirname, '../../dist/cli.js');
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

let dir: string;
let upProcess: ChildProcess | undefined;
let output = '';
let state: PlaygroundState;
let access: KubeAccess;

jest.setTimeout(300_000);

beforeAll(() => {
  for (const [file, hint] of [
    [cli, 'run "npm run build" at the repository root first'],
    [CONTROLLER_BIN, 'run "npm run build" at the repository root first (the controller binary)'],
    [
      PROMETHEUS_BIN,
      'install Prometheus (bash scripts/setup.sh, or apt-get install -y prometheus)',
    ],
  ] as const) {
    if (!existsSync(file)) throw new Error(`${file} is missing: ${hint}`);
  }
  dir = mkdtempSync(join(tmpdir(), 'aviary-up-'));
});

afterAll(async () => {
  if (upProcess && upProcess.exitCode === null) {
    await run(process.execPath, [cli, 'down', '--state-dir', dir]).catch(() => undefined);
    upProcess.kill('SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
});

async function playground(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [cli, ...args, '--state-dir', dir]);
  return stdout;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`${what}: not reached in ${timeoutMs / 1000}s\n--- up output ---\n${output}`);
    }
    await sleep(250);
  }
}

interface CanaryStatus {
  phase?: string;
  lastAppliedSpec?: string;
  conditions?: Array<{ type: string; reason?: string; message?: string }>;
}

async function canary(name: string): Promise<CanaryStatus> {
  const c = await kubeRequest<{ status?: CanaryStatus }>(
    access,
    'GET',
    `/apis/aviary.dev/v1beta1/namespaces/demo/canaries/${name}`,
  );
  return c.status ?? {};
}

async function primaryImage(): Promise<string | undefined> {
  const d = await kubeRequest<{
    spec?: { template?: { spec?: { containers?: Array<{ image?: string }> } } };
  }>(access, 'GET', '/apis/apps/v1/namespaces/demo/deployments/podinfo-primary');
  return d.spec?.template?.spec?.containers?.[0]?.image;
}

/** GET /version through the mesh entry as HOST with HEADERS; the version that answered. */
function meshVersion(host: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port: state.meshPort, path: '/version', headers: { host, ...headers } },
      res => {
        let body = '';
        res.on('data', (b: Buffer) => (body += b.toString()));
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`${host}: HTTP ${res.statusCode} ${body}`));
          else resolve((JSON.parse(body) as { version: string }).version);
        });
      },
    );
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error(`${host}: no answer in 5s`)));
  });
}

/** The versions that answered COUNT requests (as a sorted set). */
async function versionsSeen(headers: Record<string, string>, count = 20): Promise<string[]> {
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) seen.add(await meshVersion('abtest.demo', headers));
  return [...seen].sort();
}

const INSIDER = { 'x-canary': 'insider' };
const COOKIE = { cookie: 'theme=dark; canary=always' };

it('up → release promoted → bad release rolled back → A/B release → down leaves no process', async () => {
  upProcess = spawn(process.execPath, [
    cli,
    'up',
    '--no-portal',
    '--port',
    '0',
    '--mesh-port',
    '0',
    '--state-dir',
    dir,
  ]);
  upProcess.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  upProcess.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  await until(
    'up ready',
    async () => (output.includes('Aviary playground is up') ? true : undefined),
    90_000,
  );
  expect(output).toMatch(/\[1\/7\] Kubernetes API emulator/);
  expect(output).toMatch(/Prometheus\s+http:\/\/127\.0\.0\.1:\d+/);
  expect(output).toMatch(/Portal\s+not started \(--no-portal\)/);

  state = (await readState(dir)) as PlaygroundState;
  expect(state.ready).toBe(true);
  access = await accessFromKubeconfig(state.kubeconfig);
  expect((await canary('abtest')).phase).toBe('Initialized');
  const status = await playground('status');
  expect(status).toMatch(/demo\s+podinfo\s+Initialized/);
  expect(status).toMatch(/demo\s+abtest\s+Initialized/);

  // a good release: analysed on live traffic, then promoted
  expect(await playground('release', 'podinfo', '6.0.1')).toContain('podinfo:6.0.1');
  await until(
    '6.0.1 analysis starts',
    async () => ((await canary('podinfo')).phase === 'Progressing' ? true : undefined),
    60_000,
  );
  await until(
    '6.0.1 promoted',
    async () => ((await canary('podinfo')).phase === 'Succeeded' ? true : undefined),
    150_000,
  );
  expect(await primaryImage()).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');

  // a bad release: 30 % errors on the new version, rolled back
  await playground('release', 'podinfo', '6.0.2');
  expect(await playground('inject', 'podinfo', '--errors', '30')).toContain('6.0.2: 30% errors');
  const failed = await until(
    '6.0.2 rolled back',
    async () => {
      const s = await canary('podinfo');
      return s.phase === 'Failed' ? s : undefined;
    },
    150_000,
  );
  expect(failed.conditions?.find(c => c.type === 'Promoted')?.message).toMatch(/failed/i);
  expect(await primaryImage()).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
  const events = await until(
    'rollback events',
    async () => {
      const list = await kubeRequest<{ items?: Array<{ message?: string }> }>(
        access,
        'GET',
        '/api/v1/namespaces/demo/events?fieldSelector=involvedObject.name%3Dpodinfo',
      );
      const messages = (list.items ?? []).map(e => e.message ?? '');
      return messages.some(m => m.startsWith('Rolling back')) ? messages : undefined;
    },
    30_000,
  );
  expect(events.join('\n')).toMatch(/success rate \d+(\.\d+)?% < 99%/);
  expect(events.join('\n')).toMatch(/Rolling back podinfo\.demo failed checks threshold reached 2/);
  await until(
    'status shows the rollback',
    async () =>
      (await playground('status')).match(/demo\/podinfo: Warning Rolling back podinfo\.demo/)
        ? true
        : undefined,
    30_000,
  );

  // A/B testing: while abtest 6.1.0 is analysed, only the matching users (header or cookie)
  // reach it; everyone else stays on the primary; after promotion everyone gets 6.1.0.
  expect(await versionsSeen({})).toEqual(['6.0.0']);
  await playground('release', 'abtest', '6.1.0');
  await until(
    'abtest analysis starts',
    async () => ((await canary('abtest')).phase === 'Progressing' ? true : undefined),
    60_000,
  );
  // the route for the matching users lands with the first analysis step
  await until(
    'insiders routed to the canary',
    async () => ((await meshVersion('abtest.demo', INSIDER)) === '6.1.0' ? true : undefined),
    30_000,
  );
  const during = {
    insider: await versionsSeen(INSIDER),
    cookie: await versionsSeen(COOKIE),
    others: await versionsSeen({}),
    otherCookie: await versionsSeen({ cookie: 'canary=never' }),
  };
  // all of it was observed during the analysis, not after the promotion
  expect((await canary('abtest')).phase).toBe('Progressing');
  expect(during).toEqual({
    insider: ['6.1.0'],
    cookie: ['6.1.0'],
    others: ['6.0.0'],
    otherCookie: ['6.0.0'],
  });
  await until(
    'abtest promoted',
    async () => ((await canary('abtest')).phase === 'Succeeded' ? true : undefined),
    150_000,
  );
  expect(await versionsSeen({})).toEqual(['6.1.0']);
  expect(await versionsSeen(INSIDER)).toEqual(['6.1.0']);

  // down: every process up started is gone
  const pids = [state.pid, state.prometheus?.pid, state.controller?.pid].filter(
    (p): p is number => typeof p === 'number' && p > 0,
  );
  expect(pids).toHaveLength(3);
  const exited = new Promise(r => upProcess?.once('exit', r));
  expect(await playground('down')).toContain('stopped');
  await exited;
  for (const pid of pids) expect(isAlive(pid)).toBe(false);
  expect(await readState(dir)).toBeUndefined();
});
