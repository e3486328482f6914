#!/usr/bin/env node
/** `aviary-playground`: the local stand-in for a cluster. */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startKubeEmulator } from './kube/emulator.js';

const USAGE = `Usage:
  aviary-playground kube [--port PORT] [--kubeconfig FILE] [--rollout-delay-ms MS]
      Serve the Kubernetes API emulator on 127.0.0.1:PORT (0 or omitted: a free port) and
      write a kubeconfig for it. Runs until SIGTERM or Ctrl-C.
  aviary-playground up [--port PORT]
      Start the local demo. Today this starts the Kubernetes API emulator (port 6443 by
      default) with a kubeconfig in .playground/kubeconfig; the mesh, Prometheus, the
      controller and the portal join it as they are built.
`;

/** A mistake in the command line: printed with the usage, exit code 2. */
class UsageError extends Error {}

function parseFlags(args: string[], allowed: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const [key = '', inline] = arg.slice(2).split('=', 2);
    if (!allowed.includes(key)) {
      throw new UsageError(
        `unknown flag --${key} (allowed: ${allowed.map(a => `--${a}`).join(', ')})`,
      );
    }
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`--${key} needs a value`);
    flags.set(key, value);
  }
  return flags;
}

function intFlag(
  flags: Map<string, string>,
  name: string,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > max)
    throw new UsageError(`--${name} must be an integer from 0 to ${max}, got "${raw}"`);
  return n;
}

async function serveEmulator(
  port: number,
  kubeconfig: string | undefined,
  rolloutDelayMs: number,
): Promise<void> {
  const emulator = await startKubeEmulator({ port, rolloutDelayMs });
  if (kubeconfig) await emulator.writeKubeconfig(kubeconfig);
  console.log(
    `Kubernetes API emulator ready at ${emulator.url}${kubeconfig ? ` (kubeconfig: ${kubeconfig})` : ''}`,
  );
  const shutdown = () => {
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

async function kube(args: string[]): Promise<void> {
  const flags = parseFlags(args, ['port', 'kubeconfig', 'rollout-delay-ms']);
  await serveEmulator(
    intFlag(flags, 'port', 0, 65535),
    flags.get('kubeconfig'),
    intFlag(flags, 'rollout-delay-ms', 500),
  );
}

async function up(args: string[]): Promise<void> {
  const flags = parseFlags(args, ['port']);
  const dir = resolve('.playground');
  await mkdir(dir, { recursive: true });
  const kubeconfig = join(dir, 'kubeconfig');
  console.log('[1/1] starting the Kubernetes API emulator ...');
  await serveEmulator(intFlag(flags, 'port', 6443, 65535), kubeconfig, 500);
  console.log(`
The playground currently runs the Kubernetes API emulator only; the mesh, Prometheus, the
controller and the Backstage portal join it in later releases. Try it:

  export KUBECONFIG=${kubeconfig}
  kubectl get namespaces
  kubectl apply -f <your manifests>

Press Ctrl-C to stop.`);
}

async function main(argv: string[]): Promise<number | 'serving'> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'kube':
      await kube(rest);
      return 'serving';
    case 'up':
      await up(rest);
      return 'serving';
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    case undefined:
      console.error(USAGE);
      return 2;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  result => {
    if (result !== 'serving') process.exit(result);
  },
  (err: unknown) => {
    const usage = err instanceof UsageError;
    console.error(
      `aviary-playground: ${err instanceof Error ? err.message : String(err)}${usage ? `\n\n${USAGE}` : ''}`,
    );
    process.exit(usage ? 2 : 1);
  },
);
