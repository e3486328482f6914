/** Runs the real kubectl binary against an emulator, with its own kubeconfig and cache. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeEmulator } from '../../src/index.js';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Kubectl {
  (args: string[], stdin?: string): Promise<KubectlResult>;
  /** Like the call, but fails the test with kubectl's stderr when it exits non-zero. */
  ok(args: string[], stdin?: string): Promise<string>;
  dir: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export function kubectlFor(emulator: KubeEmulator): Kubectl {
  const dir = mkdtempSync(join(tmpdir(), 'aviary-kubectl-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, emulator.kubeconfig());
  const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir };
  // Asynchronous on purpose: the emulator runs in this process and must keep answering.
  const run = ((args: string[], stdin?: string) =>
    new Promise<KubectlResult>(resolve => {
      const child = execFile(
        'kubectl',
        ['--cache-dir', join(dir, 'cache'), ...args],
        { env, timeout: 30_000 },
        (err, stdout, stderr) => {
          const code = err
            ? typeof (err as { code?: unknown }).code === 'number'
              ? (err as { code: number }).code
              : 1
            : 0;
          resolve({ code, stdout, stderr });
        },
      );
      if (stdin !== undefined) child.stdin?.end(stdin);
    })) as Kubectl;
  run.ok = async (args, stdin) => {
    const r = await run(args, stdin);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  run.dir = dir;
  run.env = env;
  run.cleanup = () => rmSync(dir, { recursive: true, force: true });
  return run;
}

/** Polls until `check` returns a truthy value, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise(r => setTimeout(r, 25));
  }
}
