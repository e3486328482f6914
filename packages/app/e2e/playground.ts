// Drives `aviary-playground` (the built CLI) for the browser test: `up` with the portal as a
// child process in a temporary state dir on free ports, the companion commands, and `down`.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const CLI = join(REPO_ROOT, 'playground', 'dist', 'cli.js');

/** The part of the playground's state file the test reads. */
export interface PlaygroundState {
  pid: number;
  prometheus?: { pid: number };
  controller?: { pid: number; url: string; apiToken: string };
  portal?: { pid: number; url: string; log: string };
}

/** Files the test needs, with how to get each. */
export function missingForPortalTest(): string[] {
  const needs: Array<[string, string]> = [
    [CLI, 'run `npm run build` at the repository root'],
    [join(REPO_ROOT, 'controller', 'dist', 'cli', 'controller.js'), 'run `npm run build`'],
    [join(REPO_ROOT, 'packages', 'app', 'dist', 'index.html'), 'run `npm run build`'],
    [process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus', 'run `bash scripts/setup.sh`'],
    ['/usr/bin/chromium', 'apt-get install -y chromium fonts-liberation'],
  ];
  return needs.filter(([file]) => !existsSync(file)).map(([f, hint]) => `${f} (${hint})`);
}

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Polls PROBE until it yields a value; fails after TIMEOUTMS with WHAT and DETAIL(). */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  detail: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const cause = last instanceof Error ? ` (last error: ${last.message})` : '';
      throw new Error(`${what}: not reached in ${timeoutMs / 1000}s${cause}\n${detail()}`);
    }
    await sleep(500);
  }
}

export class Playground {
  private process: ChildProcess | undefined;
  output = '';

  constructor(readonly stateDir: string) {}

  /** Starts `up` (with the portal) and resolves once it reports ready. */
  async up(): Promise<PlaygroundState> {
    const args = ['up', '--port', '0', '--mesh-port', '0', '--portal-port', '0'];
    const child = spawn(process.execPath, [CLI, ...args, '--state-dir', this.stateDir]);
    this.process = child;
    child.stdout?.on('data', (b: Buffer) => (this.output += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (this.output += b.toString()));
    await until(
      'playground up',
      async () => {
        if (child.exitCode !== null) throw new Error(`up exited (${child.exitCode})`);
        return this.output.includes('Aviary playground is up') ? true : undefined;
      },
      300_000,
      () => this.output,
    );
    return this.state();
  }

  state(): PlaygroundState {
    return JSON.parse(readFileSync(join(this.stateDir, 'state.json'), 'utf8')) as PlaygroundState;
  }

  async command(...args: string[]): Promise<string> {
    const { stdout } = await run(process.execPath, [CLI, ...args, '--state-dir', this.stateDir]);
    return stdout;
  }

  /** `down`, then waits for the `up` process itself to exit. */
  async down(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise(r => child.once('exit', r));
    await this.command('down').catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise(r => (timer = setTimeout(r, 20_000)))]);
    clearTimeout(timer);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** GETs a canary's detail from the controller's HTTP API (one connection, closed after). */
export function controllerCanary(state: PlaygroundState, name: string): Promise<ControllerCanary> {
  const controller = state.controller;
  if (!controller) return Promise.reject(new Error('the state file names no controller'));
  const url = new URL(`/api/v1/namespaces/demo/canaries/${name}`, controller.url);
  return new Promise((resolvePromise, reject) => {
    const req = http.get(
      url,
      { agent: false, headers: { authorization: `Bearer ${controller.apiToken}` } },
      res => {
        let body = '';
        res.on('data', (b: Buffer) => (body += b.toString()));
        res.on('end', () => {
          if (res.statusCode !== 200)
            reject(new Error(`controller API: ${res.statusCode} ${body}`));
          else resolvePromise(JSON.parse(body) as ControllerCanary);
        });
      },
    );
    req.on('error', reject);
  });
}

export interface ControllerCanary {
  phase: string;
  weight: number;
  message?: string;
  manualAction?: { action?: string; requestedBy?: string; outcome?: string };
  events: Array<{ type: string; reason: string; message: string }>;
}
