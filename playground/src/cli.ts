#!/usr/bin/env node
/** `aviary-playground`: the local stand-in for a cluster. */
import { startKubeEmulator } from './kube/emulator.js';
import { down, inject, release, status } from './up/commands.js';
import { up } from './up/up.js';

const USAGE = `Usage:
  aviary-playground up [--port PORT] [--mesh-port PORT] [--portal-port PORT] [--no-portal]
                       [--state-dir DIR]
      Start the whole loop on this machine: the Kubernetes API emulator (port 6443 by default),
      the mesh emulator (entry port 8080 by default) with the demo workloads and a load
      generator, the real Prometheus, aviary-controller, two sample Canaries (podinfo:
      progressive, abtest: A/B testing) and the Backstage portal (port 7007 by default; needs
      the app built by \`npm run build\`). State, kubeconfig and logs go to DIR (.playground).
      Runs until Ctrl-C or \`down\`.
  aviary-playground release NAME VERSION [--namespace NS] [--state-dir DIR]
      Set the Deployment's image tag (ghcr.io/stefanprodan/podinfo:VERSION): a new revision.
  aviary-playground inject NAME [--errors PERCENT] [--latency MS] [--namespace NS] [--state-dir DIR]
      Make NAME's current version fail PERCENT % of requests and/or answer MS later
      (0 for both clears the faults).
  aviary-playground status [--state-dir DIR]
      What runs, where, and the canaries' state.
  aviary-playground down [--state-dir DIR]
      Stop everything up started.
  aviary-playground kube [--port PORT] [--kubeconfig FILE] [--rollout-delay-ms MS]
      Serve the Kubernetes API emulator on 127.0.0.1:PORT (0 or omitted: a free port) and
      write a kubeconfig for it. Runs until SIGTERM or Ctrl-C.
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

function positional(args: string[], count: number, names: string): [string[], string[]] {
  const values = args.slice(0, count);
  if (values.length < count || values.some(v => v.startsWith('--'))) {
    throw new UsageError(`expected ${names}`);
  }
  return [values, args.slice(count)];
}

function percentFlag(flags: Map<string, string>, name: string): number | undefined {
  const raw = flags.get(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || n > 100) {
    throw new UsageError(`--${name} must be a percentage from 0 to 100, got "${raw}"`);
  }
  return n;
}

async function run(command: string, args: string[]): Promise<number | 'serving'> {
  switch (command) {
    case 'up': {
      const noPortal = args.includes('--no-portal');
      const flags = parseFlags(
        args.filter(a => a !== '--no-portal'),
        ['port', 'mesh-port', 'portal-port', 'state-dir', 'rollout-delay-ms'],
      );
      if (noPortal && flags.has('portal-port')) {
        throw new UsageError('--portal-port and --no-portal exclude each other');
      }
      await up({
        stateDir: flags.get('state-dir') ?? '.playground',
        port: intFlag(flags, 'port', 6443, 65535),
        meshPort: intFlag(flags, 'mesh-port', 8080, 65535),
        rolloutDelayMs: intFlag(flags, 'rollout-delay-ms', 500),
        portal: !noPortal,
        portalPort: intFlag(flags, 'portal-port', 7007, 65535),
      });
      return 'serving';
    }
    case 'release': {
      const [[name = '', version = ''], rest] = positional(args, 2, 'NAME VERSION');
      const flags = parseFlags(rest, ['namespace', 'state-dir']);
      await release(flags.get('state-dir') ?? '.playground', name, version, flags.get('namespace'));
      return 0;
    }
    case 'inject': {
      const [[name = ''], rest] = positional(args, 1, 'NAME');
      const flags = parseFlags(rest, ['errors', 'latency', 'namespace', 'state-dir']);
      const errorPercent = percentFlag(flags, 'errors');
      const latencyMs = flags.has('latency') ? intFlag(flags, 'latency', 0, 60_000) : undefined;
      if (errorPercent === undefined && latencyMs === undefined) {
        throw new UsageError('inject needs --errors PERCENT and/or --latency MS');
      }
      await inject(
        flags.get('state-dir') ?? '.playground',
        name,
        { errorPercent, latencyMs },
        flags.get('namespace'),
      );
      return 0;
    }
    case 'status': {
      const flags = parseFlags(args, ['state-dir']);
      return status(flags.get('state-dir') ?? '.playground');
    }
    case 'down': {
      const flags = parseFlags(args, ['state-dir']);
      await down(flags.get('state-dir') ?? '.playground');
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function main(argv: string[]): Promise<number | 'serving'> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'kube':
      await kube(rest);
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
      return run(command, rest);
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
