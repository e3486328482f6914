// `aviary-playground up`: the whole loop on one machine. This process runs the Kubernetes API
// emulator, the mesh emulator (with the demo workloads) and the load generator; the real
// Prometheus and aviary-controller run as child processes. A state file lets the companion
// commands (separate invocations) find everything.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join, resolve } from 'node:path';
import yaml from 'js-yaml';
import { startKubeEmulator } from '../kube/emulator.js';
import { ISTIO_CRDS } from '../kube/istio-crds.js';
import type { KubeObject } from '../kube/types.js';
import { startLoad } from '../load/load.js';
import { kubeRequest } from '../mesh/kube-client.js';
import type { KubeAccess } from '../mesh/kube-client.js';
import { startMesh } from '../mesh/mesh.js';
import {
  DEMO_NAMESPACE,
  SAMPLE_NAMES,
  abCanary,
  demoDeployment,
  loadTargets,
  progressiveCanary,
} from './samples.js';
import {
  canaryTabUrl,
  missingPortalPrerequisites,
  portalLaunch,
  portalPaths,
  portalReady,
  portalUrl,
} from './portal.js';
import { STATE_FILE, isAlive, readState, writeState } from './state.js';
import type { PlaygroundState } from './state.js';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
/** The repository root (this file is src/up or dist/up of the playground package). */
const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const CONTROLLER_BIN = join(REPO_ROOT, 'controller', 'dist', 'cli', 'controller.js');
const CONTROLLER_CRDS = join(REPO_ROOT, 'controller', 'crds');

export interface UpOptions {
  stateDir: string;
  /** Emulator port (0: free). */
  port: number;
  /** Mesh entry port (0: free). */
  meshPort: number;
  rolloutDelayMs?: number;
  /** Start the Backstage portal (default true). */
  portal?: boolean;
  /** The portal's port (0: free; default 7007). */
  portalPort?: number;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>(r => server.close(() => r()));
  return port;
}

const PORTAL = portalPaths(REPO_ROOT);

/** Fails with EADDRINUSE (as a server would) when PORT is taken. */
async function ensurePortFree(port: number): Promise<void> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  await new Promise<void>(r => server.close(() => r()));
}

/** What is missing to run `up`, with how to install it. */
export function missingPrerequisites(withPortal = false): string[] {
  const missing: string[] = [];
  if (!existsSync(PROMETHEUS_BIN)) {
    missing.push(
      `Prometheus is not installed at ${PROMETHEUS_BIN}: run \`bash scripts/setup.sh\` or \`sudo apt-get install -y prometheus\` (or set PROMETHEUS_BIN to its path).`,
    );
  }
  if (!existsSync(CONTROLLER_BIN)) {
    missing.push(
      `The controller is not built (${CONTROLLER_BIN} is missing): run \`npm run build\` at the repository root.`,
    );
  }
  if (withPortal) missing.push(...missingPortalPrerequisites(PORTAL));
  return missing;
}

async function controllerCrds(): Promise<KubeObject[]> {
  const files = (await readdir(CONTROLLER_CRDS)).filter(f => f.endsWith('.yaml')).sort();
  const crds: KubeObject[] = [];
  for (const f of files) {
    for (const doc of yaml.loadAll(await readFile(join(CONTROLLER_CRDS, f), 'utf8'))) {
      if (doc && typeof doc === 'object') crds.push(doc as KubeObject);
    }
  }
  return crds;
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  child?: { process: ChildProcess; log: string },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    if (child && child.process.exitCode !== null) {
      throw new Error(`${what}: the process exited (${child.process.exitCode}); see ${child.log}`);
    }
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what} not ready after ${timeoutMs / 1000}s${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    }
    await sleep(200);
  }
}

function spawnLogged(
  cmd: string,
  args: string[],
  log: string,
  env?: Record<string, string>,
  options: { cwd?: string; ownGroup?: boolean } = {},
): ChildProcess {
  const out = createWriteStream(log, { flags: 'a' });
  const child = spawn(cmd, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(env ? { env: { ...process.env, ...env } } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    // its own process group: a signal to -pid reaches whatever it starts, too
    ...(options.ownGroup ? { detached: true } : {}),
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return child;
}

function prometheusConfig(target: string): string {
  return [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: istio-mesh',
    '    scrape_interval: 1s',
    '    scrape_timeout: 1s',
    '    static_configs:',
    `      - targets: ['${target}']`,
    '',
  ].join('\n');
}

async function httpOk(url: string): Promise<true | undefined> {
  const res = await fetch(url);
  return res.ok ? true : undefined;
}

async function apply(access: KubeAccess, path: string, object: { metadata: { name: string } }) {
  await kubeRequest(access, 'POST', path, object);
}

/** Starts everything; resolves once the sample canaries are initialised. Runs until signalled. */
export async function up(options: UpOptions): Promise<void> {
  const withPortal = options.portal ?? true;
  const missing = missingPrerequisites(withPortal);
  if (missing.length > 0) {
    throw new Error(`cannot start the playground:\n  - ${missing.join('\n  - ')}`);
  }
  const dir = resolve(options.stateDir);
  const previous = await readState(dir);
  if (previous && isAlive(previous.pid)) {
    throw new Error(
      `the playground already runs (pid ${previous.pid}, state in ${dir}): \`npx aviary-playground status\` or \`down\``,
    );
  }
  await mkdir(dir, { recursive: true });
  const kubeconfig = join(dir, 'kubeconfig');
  const children: ChildProcess[] = [];
  /** Children started in their own process group (signalled as a group). */
  const groups = new Set<ChildProcess>();
  const signalChild = (child: ChildProcess, sig: NodeJS.Signals) => {
    if (!groups.has(child) || !child.pid) return void child.kill(sig);
    try {
      process.kill(-child.pid, sig);
    } catch {
      // the group is gone
    }
  };
  const stops: Array<() => Promise<void> | void> = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null) signalChild(child, 'SIGTERM');
    await Promise.race([
      Promise.all(
        children.map(c =>
          c.exitCode === null || c.signalCode === null
            ? new Promise(r => c.once('exit', r))
            : undefined,
        ),
      ),
      sleep(8000),
    ]);
    for (const child of children) if (child.exitCode === null) signalChild(child, 'SIGKILL');
    // what a group leader left behind
    for (const child of groups) signalChild(child, 'SIGKILL');
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => undefined);
    await rm(join(dir, STATE_FILE), { force: true });
    process.exit(code);
  };
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGINT', () => void shutdown(0));
  process.on('exit', () => {
    for (const child of children) if (child.exitCode === null) signalChild(child, 'SIGKILL');
    for (const child of groups) signalChild(child, 'SIGKILL');
  });

  const steps = withPortal ? 8 : 7;
  let step = 0;
  const progress = (msg: string) => console.log(`[${++step}/${steps}] ${msg}`);
  try {
    progress('Kubernetes API emulator (Istio and Aviary CRDs) ...');
    const emulator = await startKubeEmulator({
      port: options.port,
      rolloutDelayMs: options.rolloutDelayMs ?? 500,
      crds: [...ISTIO_CRDS, ...(await controllerCrds())],
      namespaces: ['default', 'kube-system', 'kube-public', 'kube-node-lease', DEMO_NAMESPACE],
    });
    stops.push(() => emulator.stop());
    await emulator.writeKubeconfig(kubeconfig);
    const access: KubeAccess = { url: emulator.url, caPem: emulator.caPem, token: emulator.token };
    const state: PlaygroundState = {
      pid: process.pid,
      kubeconfig,
      emulatorUrl: emulator.url,
      meshPort: 0,
      meshAdminPort: 0,
      prometheus: undefined,
      controller: undefined,
      portal: undefined,
      startedAt: new Date().toISOString(),
      ready: false,
    };
    await writeState(dir, state);

    progress('demo workloads podinfo and abtest (podinfo 6.0.0) ...');
    for (const name of SAMPLE_NAMES) {
      await apply(
        access,
        `/apis/apps/v1/namespaces/${DEMO_NAMESPACE}/deployments`,
        demoDeployment(name),
      );
    }

    progress('mesh emulator ...');
    const mesh = await startMesh({ kube: access, port: options.meshPort, adminPort: 0 });
    stops.push(() => mesh.stop());
    state.meshPort = mesh.port;
    state.meshAdminPort = mesh.adminPort;
    await writeState(dir, state);

    progress('Prometheus (scraping the mesh every second) ...');
    const promDir = join(dir, 'prometheus');
    await rm(promDir, { recursive: true, force: true });
    await mkdir(promDir, { recursive: true });
    await writeFile(
      join(promDir, 'prometheus.yml'),
      prometheusConfig(`127.0.0.1:${mesh.adminPort}`),
    );
    const promPort = await freePort();
    const promLog = join(dir, 'prometheus.log');
    const prometheus = spawnLogged(
      PROMETHEUS_BIN,
      [
        `--config.file=${join(promDir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(promDir, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--log.level=warn',
      ],
      promLog,
    );
    children.push(prometheus);
    const promUrl = `http://127.0.0.1:${promPort}`;
    state.prometheus = { pid: prometheus.pid ?? 0, url: promUrl };
    await writeState(dir, state);
    await waitFor('Prometheus', () => httpOk(`${promUrl}/-/ready`), 30_000, {
      process: prometheus,
      log: promLog,
    });

    progress('aviary-controller ...');
    const controllerPort = await freePort();
    const controllerLog = join(dir, 'controller.log');
    // The portal's backend calls the controller API with this token; it travels in the environment
    // (not argv, which `ps` shows) and is kept only in the state file (mode 0600).
    const apiToken = randomBytes(24).toString('base64url');
    const controller = spawnLogged(
      process.execPath,
      [
        CONTROLLER_BIN,
        '--kubeconfig',
        kubeconfig,
        '--metrics-server',
        promUrl,
        '--port',
        String(controllerPort),
      ],
      controllerLog,
      { AVIARY_API_TOKEN: apiToken },
    );
    children.push(controller);
    state.controller = {
      pid: controller.pid ?? 0,
      port: controllerPort,
      url: `http://127.0.0.1:${controllerPort}`,
      apiToken,
    };
    await writeState(dir, state);
    await waitFor(
      'aviary-controller',
      () => httpOk(`http://127.0.0.1:${controllerPort}/readyz`),
      30_000,
      { process: controller, log: controllerLog },
    );

    // The portal starts while the canaries initialise; it is awaited at the end.
    let portal: { process: ChildProcess; url: string; log: string } | undefined;
    if (withPortal) {
      const port = options.portalPort === 0 ? await freePort() : (options.portalPort ?? 7007);
      await ensurePortFree(port);
      const log = join(dir, 'portal.log');
      progress(`Backstage portal (packages/backend serving packages/app; log: ${log}) ...`);
      const launch = portalLaunch(PORTAL, port, state.controller);
      const child = spawnLogged(launch.command, launch.args, log, launch.env, {
        cwd: launch.cwd,
        ownGroup: true,
      });
      children.push(child);
      groups.add(child);
      portal = { process: child, url: portalUrl(port), log };
      state.portal = { pid: child.pid ?? 0, url: portal.url, log };
      await writeState(dir, state);
    }

    progress('sample Canaries: podinfo (progressive) and abtest (A/B testing) ...');
    for (const canary of [progressiveCanary(), abCanary()]) {
      await apply(access, `/apis/aviary.dev/v1beta1/namespaces/${DEMO_NAMESPACE}/canaries`, canary);
    }
    const load = startLoad({ port: mesh.port, targets: loadTargets() });
    stops.push(() => load.stop());

    progress(`waiting for the canaries${portal ? ' and the portal' : ''} to initialise ...`);
    for (const name of SAMPLE_NAMES) {
      await waitFor(
        `canary ${name}`,
        async () => {
          const c = await kubeRequest<{ status?: { phase?: string } }>(
            access,
            'GET',
            `/apis/aviary.dev/v1beta1/namespaces/${DEMO_NAMESPACE}/canaries/${name}`,
          );
          return c.status?.phase === 'Initialized' ? true : undefined;
        },
        60_000,
        { process: controller, log: controllerLog },
      );
    }
    if (portal) {
      await waitFor('the Backstage portal', () => portalReady(portal.url), 180_000, portal);
    }
    state.ready = true;
    await writeState(dir, state);
    console.log(`
Aviary playground is up.

  Kubernetes API   ${emulator.url}   (export KUBECONFIG=${kubeconfig})
  Mesh entry       http://127.0.0.1:${mesh.port}   (curl -H 'Host: podinfo.${DEMO_NAMESPACE}' http://127.0.0.1:${mesh.port}/version)
  Istio metrics    http://127.0.0.1:${mesh.adminPort}/metrics
  Prometheus       ${promUrl}
  Controller       http://127.0.0.1:${controllerPort}/metrics   (log: ${controllerLog})
${
  portal
    ? `  Portal           ${portal.url}   (sign in as guest; log: ${portal.log})
  Canary tabs      ${canaryTabUrl(portal.url, 'podinfo')}
                   ${canaryTabUrl(portal.url, 'abtest')}`
    : '  Portal           not started (--no-portal)'
}

Try (in another terminal, from the repository):
  npx aviary-playground release podinfo 6.0.1      # a progressive canary, promoted in ~1-2 min
  npx aviary-playground status
  npx aviary-playground release podinfo 6.0.2 && npx aviary-playground inject podinfo --errors 30
                                                   # analysis fails: rolled back
  npx aviary-playground down

Press Ctrl-C (or run \`npx aviary-playground down\`) to stop.`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const hint =
      (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
        ? ' (a port is taken: pick others with --port, --mesh-port and --portal-port, 0 for any free port)'
        : '';
    console.error(`aviary-playground: ${message}${hint}`);
    await shutdown(1);
  }
}
