#!/usr/bin/env node
/** `aviary-playground`: the local stand-in for a cluster. */
import { startKubeEmulator } from './kube/emulator.js';

const USAGE = `Usage:
  aviary-playground kube [--port PORT] [--kubeconfig FILE] [--rollout-delay-ms MS]
      Serve the Kubernetes API emulator on 127.0.0.1:PORT and write a kubeconfig for it.
  aviary-playground up
      Start the whole demo (not available yet: the emulator is what exists today).
`;

function parseFlags(args: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
    const [key, inline] = arg.slice(2).split('=', 2);
    const value = inline ?? args[++i];
    if (value === undefined) throw new Error(`--${key} needs a value`);
    flags.set(key ?? '', value);
  }
  return flags;
}

function intFlag(flags: Map<string, string>, name: string, fallback: number): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

async function kube(args: string[]): Promise<void> {
  const flags = parseFlags(args);
  for (const key of flags.keys()) {
    if (!['port', 'kubeconfig', 'rollout-delay-ms'].includes(key))
      throw new Error(`unknown flag --${key}`);
  }
  const port = intFlag(flags, 'port', 0);
  if (port > 65535) throw new Error(`--port must be at most 65535, got ${port}`);
  const emulator = await startKubeEmulator({
    port,
    rolloutDelayMs: intFlag(flags, 'rollout-delay-ms', 500),
  });
  const kubeconfig = flags.get('kubeconfig');
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

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'kube':
      await kube(rest);
      return -1;
    case 'up':
      console.error(
        'aviary-playground up: the full demo is not built yet. Run `aviary-playground kube --kubeconfig FILE` to start the Kubernetes API emulator.',
      );
      return 3;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      console.error(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  code => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    console.error(`aviary-playground: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
