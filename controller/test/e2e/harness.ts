// End-to-end harness: the Kubernetes API emulator (in process), the real Prometheus scraping the
// Istio exporter, local webhook and Slack servers, and the REAL built controller binary spawned
// as a child process. Everything is polled for; nothing sleeps blindly.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import {
  ISTIO_CRDS,
  startKubeEmulator,
  type KubeEmulator,
  type KubeObject as StoredObject,
} from '@aviary/playground';
import {
  connect,
  createObjectWriter,
  retryOnConflict,
  type KubeClient,
  type KubeObject,
  type ObjectWriter,
  type ResourceType,
} from '../../src/kube/index.js';
import { IstioExporter } from '../support/istio-exporter.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { HookServer, SlackSink } from './servers.js';

export const CONTROLLER_DIR = path.resolve(__dirname, '..', '..');
export const CONTROLLER_BIN = path.join(CONTROLLER_DIR, 'dist', 'cli', 'controller.js');

/** The e2e tests run the built binary: fail early and say how to get it. */
export function requireBuiltController(): void {
  if (!existsSync(CONTROLLER_BIN)) {
    throw new Error(
      `${CONTROLLER_BIN} is missing: run \`npm run build\` (or \`npx tsc -b controller\`) at the repository root before the e2e tests`,
    );
  }
}

export async function aviaryCrds(): Promise<StoredObject[]> {
  const dir = path.join(CONTROLLER_DIR, 'crds');
  const files = (await readdir(dir)).filter(f => f.endsWith('.yaml')).sort();
  return Promise.all(
    files.map(async f => yaml.load(await readFile(path.join(dir, f), 'utf8')) as StoredObject),
  );
}

/** Reads, writes and lists against the emulator (through the controller's own kube client). */
export class Kube {
  readonly writer: ObjectWriter;

  constructor(
    readonly client: KubeClient,
    private readonly emulator: KubeEmulator,
  ) {
    this.writer = createObjectWriter(client);
  }

  /** The stored object, read synchronously from the emulator (cheap enough to poll). */
  peek<T extends KubeObject>(type: ResourceType, namespace: string, name: string): T | undefined {
    return this.emulator.peek(type.group, type.plural, namespace, name) as T | undefined;
  }

  create<T extends KubeObject>(type: ResourceType, object: T): Promise<T> {
    return this.writer.create(type, object);
  }

  /** Read-modify-write with retry on conflict (what `kubectl edit` does). */
  update<T extends KubeObject>(
    type: ResourceType,
    namespace: string,
    name: string,
    mutate: (object: T) => void,
  ): Promise<T> {
    return retryOnConflict(async () => {
      const live = await this.writer.read<T>(type, namespace, name);
      if (!live) throw new Error(`${type.kind} ${namespace}/${name} not found`);
      mutate(live);
      return this.writer.replace(type, live);
    }, 20);
  }

  delete(type: ResourceType, namespace: string, name: string): Promise<boolean> {
    return this.writer.delete(type, namespace, name);
  }

  async list<T extends KubeObject>(type: ResourceType, namespace: string): Promise<T[]> {
    const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
    const list = await this.client.request<{ items: T[] }>({
      method: 'GET',
      path: `${base}/namespaces/${namespace}/${type.plural}`,
    });
    return list.items;
  }
}

export interface Environment {
  emulator: KubeEmulator;
  kubeconfigFile: string;
  kube: Kube;
  prometheus: PrometheusServer;
  exporter: IstioExporter;
  hooks: HookServer;
  slack: SlackSink;
  tmp: string;
  stop(): Promise<void>;
}

export async function startEnvironment(namespaces: string[]): Promise<Environment> {
  requireBuiltController();
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'aviary-e2e-'));
  const emulator = await startKubeEmulator({
    rolloutDelayMs: 20,
    crds: [...ISTIO_CRDS, ...(await aviaryCrds())],
    namespaces: ['default', 'kube-system', ...namespaces],
  });
  const kubeconfigFile = path.join(tmp, 'kubeconfig');
  await emulator.writeKubeconfig(kubeconfigFile);
  const client = connect({ kubeconfigData: emulator.kubeconfig() });
  const exporter = await IstioExporter.start();
  const prometheus = await startPrometheus({ targets: [exporter.target] });
  const hooks = await HookServer.start();
  const slack = await SlackSink.start();
  return {
    emulator,
    kubeconfigFile,
    kube: new Kube(client, emulator),
    prometheus,
    exporter,
    hooks,
    slack,
    tmp,
    async stop() {
      await Promise.allSettled([prometheus.stop(), exporter.close(), hooks.close(), slack.close()]);
      client.close();
      await emulator.stop();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

export interface LogLine {
  level: string;
  ts: string;
  msg: string;
  [field: string]: unknown;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** One `aviary-controller` process. */
export class ControllerProcess {
  readonly logs: LogLine[] = [];
  readonly rawStderr: string[] = [];
  private readonly exited: Promise<number | null>;
  port = 0;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    running.add(child);
    this.exited = new Promise(resolve =>
      child.once('exit', code => {
        running.delete(child);
        resolve(code);
      }),
    );
    let buffer = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        this.rawStderr.push(line);
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          // not JSON: kept in rawStderr only (the test on log format checks there)
        }
        newline = buffer.indexOf('\n');
      }
    });
  }

  /** Spawns `node dist/cli/controller.js` with the environment's kubeconfig and Prometheus. */
  static async start(
    env: Environment,
    name: string,
    args: string[],
    extraEnv: Record<string, string> = {},
  ): Promise<ControllerProcess> {
    requireBuiltController();
    const child = spawn(
      process.execPath,
      [
        CONTROLLER_BIN,
        '--kubeconfig',
        env.kubeconfigFile,
        '--metrics-server',
        env.prometheus.url,
        '--port',
        '0',
        '--log-level',
        'debug',
        '--metrics-batch-window',
        '200ms',
        ...args,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, POD_NAME: name, ...extraEnv } },
    );
    const controller = new ControllerProcess(name, child);
    const started = await waitFor(
      `${name} to log its port`,
      () => controller.logs.find(l => l.msg === 'aviary-controller starting'),
      20_000,
      () => controller.tail(),
    );
    controller.port = Number(started.port);
    await waitFor(
      `${name} to be ready`,
      () => controller.readyz().then(r => r.status === 200),
      30_000,
      () => controller.tail(),
    );
    return controller;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async readyz(): Promise<{ status: number; body: { ready?: boolean; role?: string } }> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}/readyz`);
      return { status: res.status, body: (await res.json()) as { ready?: boolean; role?: string } };
    } catch {
      return { status: 0, body: {} };
    }
  }

  async metrics(): Promise<string> {
    const res = await fetch(`http://127.0.0.1:${this.port}/metrics`);
    return res.text();
  }

  /** Graceful stop (SIGTERM); resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.alive) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  /** A crash: SIGKILL, no cleanup at all. */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  tail(lines = 40): string {
    return this.rawStderr.slice(-lines).join('\n');
  }
}

/**
 * Polls `probe` until it returns something other than undefined/false; rejects after
 * `timeoutMs` with what it was waiting for and the last diagnostics.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 60_000,
  diagnostics?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? `\nlast error: ${lastError.message}` : '';
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${detail}${diagnostics ? `\n${diagnostics()}` : ''}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}
