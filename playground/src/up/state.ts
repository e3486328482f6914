// The state file `up` writes so that `status`, `release`, `inject` and `down` (separate
// invocations) find the running playground.
import { readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

export interface PlaygroundState {
  /** PID of the `up` process (emulator, mesh, workloads, load generator live in it). */
  pid: number;
  kubeconfig: string;
  emulatorUrl: string;
  meshPort: number;
  meshAdminPort: number;
  prometheus: { pid: number; url: string } | undefined;
  /** `url` serves the controller's HTTP API; `apiToken` is its trusted bearer token. */
  controller: { pid: number; port: number; url: string; apiToken: string } | undefined;
  /**
   * The Backstage portal (packages/backend serving packages/app), leader of its own process
   * group (`pid` is the group id); undefined with --no-portal.
   */
  portal?: { pid: number; url: string; log: string } | undefined;
  startedAt: string;
  /** False while starting, true once every part is up. */
  ready: boolean;
}

export const STATE_FILE = 'state.json';

export async function writeState(dir: string, state: PlaygroundState): Promise<void> {
  const file = join(dir, STATE_FILE);
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

export async function readState(dir: string): Promise<PlaygroundState | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as PlaygroundState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
