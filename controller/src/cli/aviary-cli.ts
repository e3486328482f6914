// `aviary`: read canaries and request manual actions through the controller HTTP API (--server /
// AVIARY_SERVER with --token, --token-file / AVIARY_TOKEN) or straight against the cluster
// (--kubeconfig, used when no server is given). Exit codes: 0 ok (for `wait`: promoted), 1 failed
// (for `wait`: the canary failed), 2 `wait` timed out, 3 usage or request errors.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parseGoDuration } from '../api/index.js';
import type { CanarySummary, ManualActionStatus } from '../http/api/view.js';
import { ACTIONS } from '../http/api/openapi.js';
import {
  ApiBackend,
  ClusterBackend,
  CliError,
  type Backend,
  type CanaryDetail,
} from './backends.js';

export const EXIT = { ok: 0, failed: 1, timeout: 2, error: 3 } as const;

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const AVIARY_USAGE = `Usage: aviary <command> [flags]

Commands:
  list [-n NS] [-l SELECTOR] [--phase PHASE]   canaries (all namespaces unless -n)
  get NS/NAME                                  one line about a canary
  describe NS/NAME                             spec, status, weights, images, checks, changes
  promote|abort|retry|pause|resume NS/NAME [--reason TEXT] [--revision R] [--on-behalf-of WHO]
                   [--wait-ack D]              request a manual action (spec.manualAction); with
                                               --wait-ack, wait for the controller's answer:
                                               exit 0 Applied, 1 Refused, 2 no answer in time
  wait NS/NAME [--revision R] [--timeout 30m]  follow the canary until it is promoted (exit 0),
                                               fails (exit 1) or the timeout passes (exit 2)

Flags:
  --server URL        controller API (env AVIARY_SERVER); without it, talk to the cluster
  --token TOKEN       bearer token (env AVIARY_TOKEN); --token-file FILE reads it from a file
  --kubeconfig FILE   cluster mode: kubeconfig (default: $KUBECONFIG, ~/.kube/config, in-cluster)
  --as NAME           cluster mode: requestedBy of actions (default: the OS user)
  -o json|table       output (default table)
`;

interface Args {
  command: string;
  positional: string[];
  flags: Map<string, string>;
}

const VALUE_FLAGS = new Set([
  'server',
  'token',
  'token-file',
  'kubeconfig',
  'as',
  'o',
  'output',
  'n',
  'namespace',
  'l',
  'selector',
  'phase',
  'reason',
  'revision',
  'timeout',
  'on-behalf-of',
  'wait-ack',
]);

function parseArgs(argv: readonly string[]): Args | string {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const m = /^--?([a-z][a-z-]*)(?:=(.*))?$/s.exec(arg);
    if (!m) {
      positional.push(arg);
      continue;
    }
    const name = m[1] ?? '';
    if (name === 'help' || name === 'h') return 'help';
    if (!VALUE_FLAGS.has(name)) return `unknown flag ${arg}`;
    let value = m[2];
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) return `flag ${arg} needs a value`;
    }
    const canonical = { o: 'output', n: 'namespace', l: 'selector' }[name] ?? name;
    flags.set(canonical, value);
  }
  const [command = '', ...rest] = positional;
  return { command, positional: rest, flags };
}

function target(args: Args): { namespace: string; name: string } {
  const ref = args.positional[0];
  const m = ref ? /^([a-z0-9][-a-z0-9]*)\/([a-z0-9][-a-z0-9.]*)$/.exec(ref) : null;
  if (!m || args.positional.length !== 1) throw new CliError(`${args.command} needs NS/NAME`);
  return { namespace: m[1] ?? '', name: m[2] ?? '' };
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map(r => (r[i] ?? '').length))) ?? [];
  return (
    rows
      .map(r =>
        r
          .map((c, i) => c.padEnd(widths[i] ?? 0))
          .join('   ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

const short = (revision?: string) => (revision ? revision.slice(0, 12) : '-');

function summaryRows(items: CanarySummary[]): string {
  return table([
    ['NAMESPACE', 'NAME', 'PHASE', 'WEIGHT', 'FAILED', 'REVISION', 'PAUSED', 'LAST TRANSITION'],
    ...items.map(c => [
      c.namespace,
      c.name,
      c.phase || '-',
      String(c.weight),
      String(c.failedChecks),
      short(c.revision),
      c.paused ? 'yes' : 'no',
      c.lastTransitionTime ?? '-',
    ]),
  ]);
}

function describe(d: CanaryDetail): string {
  const lines = [
    `Name:          ${d.namespace}/${d.name}`,
    `Target:        ${d.target}`,
    `Phase:         ${d.phase || '-'}${d.paused ? ' (paused)' : ''}`,
    `Weight:        ${d.weight}${d.weights ? ` (VirtualService ${d.weights.virtualService}: primary ${d.weights.primary}, canary ${d.weights.canary})` : ''}`,
    `Failed checks: ${d.failedChecks}   Iterations: ${d.iterations}`,
    `Revision:      ${d.revision ?? '-'}   Promoted: ${d.promotedRevision ?? '-'}`,
    `Images:        canary ${d.images.canary.join(', ') || '-'}; primary ${d.images.primary.join(', ') || '-'}`,
  ];
  if (d.message) lines.push(`Message:       ${d.message}`);
  const a = d.spec.analysis;
  if (a) {
    lines.push(
      `Analysis:      interval ${a.interval ?? '-'}, threshold ${a.threshold ?? '-'}, ${a.iterations ? `iterations ${a.iterations}` : `step ${a.stepWeight ?? a.stepWeights?.join('/') ?? '-'} up to ${a.maxWeight ?? '-'}`}; metrics ${a.metrics.join(', ') || '-'}`,
    );
  }
  if (d.manualAction) {
    const m = d.manualAction;
    lines.push(
      `Last action:   ${m.action ?? '?'} by ${m.requestedBy ?? '?'}: ${m.outcome ?? 'pending'}${m.message ? ` (${m.message})` : ''}`,
    );
  }
  if (d.checks.length) {
    lines.push('', 'Checks:');
    lines.push(
      table([
        ['TIME', 'METRIC', 'VALUE', 'RANGE', 'VERDICT'],
        ...d.checks.map(c => [
          c.time,
          c.metric,
          c.value === null ? '-' : String(c.value),
          `${c.thresholdRange.min ?? '-'}..${c.thresholdRange.max ?? '-'}`,
          c.verdict,
        ]),
      ]).trimEnd(),
    );
  }
  if (d.changes.length) {
    lines.push('', 'Recent changes:');
    lines.push(
      table([
        ['AT', 'PHASE', 'WEIGHT', 'REVISION'],
        ...d.changes
          .slice(-10)
          .map(c => [c.at, c.phase || '-', String(c.weight), short(c.revision)]),
      ]).trimEnd(),
    );
  }
  return `${lines.join('\n')}\n`;
}

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  io: Io;
  /** For tests: replaces the backend choice. */
  backend?: Backend;
}

export async function runAviary(argv: readonly string[], options: RunOptions): Promise<number> {
  const { io, env } = options;
  const args = parseArgs(argv);
  if (args === 'help') {
    io.out(AVIARY_USAGE);
    return EXIT.ok;
  }
  if (typeof args === 'string' || !args.command) {
    io.err(`aviary: ${typeof args === 'string' ? args : 'a command is needed'}\n\n${AVIARY_USAGE}`);
    return EXIT.error;
  }
  const output = args.flags.get('output') ?? 'table';
  if (output !== 'json' && output !== 'table') {
    io.err('aviary: -o must be json or table\n');
    return EXIT.error;
  }
  let backend = options.backend;
  let cluster: ClusterBackend | undefined;
  try {
    if (!backend) {
      const server = args.flags.get('server') ?? env.AVIARY_SERVER;
      const tokenFile = args.flags.get('token-file');
      const token = tokenFile
        ? readFileSync(tokenFile, 'utf8').trim()
        : (args.flags.get('token') ?? env.AVIARY_TOKEN);
      if (server) backend = new ApiBackend(server, token || undefined);
      else {
        cluster = new ClusterBackend(
          args.flags.get('kubeconfig'),
          args.flags.get('as') ?? os.userInfo().username,
        );
        backend = cluster;
      }
    }
    return await dispatch(args, output, backend, io);
  } catch (err) {
    io.err(`aviary: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.error;
  } finally {
    cluster?.close();
  }
}

async function dispatch(args: Args, output: string, backend: Backend, io: Io): Promise<number> {
  const json = (value: unknown) => io.out(`${JSON.stringify(value, null, 2)}\n`);
  switch (args.command) {
    case 'list': {
      const namespace = args.flags.get('namespace');
      const labelSelector = args.flags.get('selector');
      const phase = args.flags.get('phase');
      const items = await backend.list({
        ...(namespace ? { namespace } : {}),
        ...(labelSelector ? { labelSelector } : {}),
        ...(phase ? { phase } : {}),
      });
      if (output === 'json') json({ items });
      else io.out(items.length ? summaryRows(items) : 'No canaries.\n');
      return EXIT.ok;
    }
    case 'get':
    case 'describe': {
      const { namespace, name } = target(args);
      const found = await backend.get(namespace, name);
      if (!found) throw new CliError(`canary ${namespace}/${name} not found`);
      if (output === 'json') json(found);
      else io.out(args.command === 'get' ? summaryRows([found]) : describe(found));
      return EXIT.ok;
    }
    case 'wait':
      return wait(args, output, backend, io);
    default: {
      if (!(ACTIONS as readonly string[]).includes(args.command))
        throw new CliError(`unknown command ${args.command}`);
      const { namespace, name } = target(args);
      const revision = args.flags.get('revision');
      const reason = args.flags.get('reason');
      const onBehalfOf = args.flags.get('on-behalf-of');
      const accepted = await backend.act(namespace, name, {
        action: args.command,
        ...(revision ? { revision } : {}),
        ...(reason ? { reason } : {}),
        ...(onBehalfOf ? { onBehalfOf } : {}),
      });
      const waitAck = args.flags.get('wait-ack');
      if (waitAck) return acknowledgement(accepted, namespace, name, waitAck, output, backend, io);
      if (output === 'json') json(accepted);
      else
        io.out(
          `${accepted.action} of ${namespace}/${name} revision ${short(accepted.revision)} requested (id ${accepted.id}, by ${accepted.requestedBy})\n`,
        );
      return EXIT.ok;
    }
  }
}

async function wait(args: Args, output: string, backend: Backend, io: Io): Promise<number> {
  const { namespace, name } = target(args);
  const revision = args.flags.get('revision');
  const timeoutText = args.flags.get('timeout') ?? '30m';
  const timeoutMs = parseGoDuration(timeoutText);
  if (timeoutMs === undefined || timeoutMs <= 0)
    throw new CliError(`--timeout must be a duration like 10m, got ${timeoutText}`);
  const abort = new AbortController();
  let result: number = EXIT.timeout;
  let last = '';
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const onChange = (c: CanarySummary, action?: ManualActionStatus) => {
    const line =
      output === 'json'
        ? JSON.stringify({ ...c, ...(action ? { manualAction: action } : {}) })
        : `${new Date().toISOString()}  ${c.phase || '-'}  weight ${c.weight}  iteration ${c.iterations}  failed checks ${c.failedChecks}  revision ${short(c.revision)}${c.paused ? '  paused' : ''}${c.message ? `  ${c.message}` : ''}`;
    if (line !== last) io.out(`${line}\n`);
    last = line;
    const forUs = !revision || c.revision === revision;
    if (forUs && c.phase === 'Succeeded') result = EXIT.ok;
    else if (forUs && c.phase === 'Failed') result = EXIT.failed;
    else return;
    abort.abort();
  };
  try {
    await backend.follow(namespace, name, onChange, abort.signal);
  } finally {
    clearTimeout(timer);
  }
  if (result === EXIT.timeout)
    io.err(`aviary: ${namespace}/${name} not finished after ${timeoutText}\n`);
  return result;
}

async function acknowledgement(
  accepted: { id: string; action: string; revision: string },
  namespace: string,
  name: string,
  timeoutText: string,
  output: string,
  backend: Backend,
  io: Io,
): Promise<number> {
  const timeoutMs = parseGoDuration(timeoutText);
  if (timeoutMs === undefined || timeoutMs <= 0)
    throw new CliError(`--wait-ack must be a duration like 30s, got ${timeoutText}`);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  let ack: ManualActionStatus | undefined;
  try {
    await backend.follow(
      namespace,
      name,
      (c, action) => {
        const seen = action ?? c.manualAction;
        if (seen?.id !== accepted.id) return;
        ack = seen;
        abort.abort();
      },
      abort.signal,
    );
  } finally {
    clearTimeout(timer);
  }
  if (!ack) {
    io.err(`aviary: request ${accepted.id} not acknowledged after ${timeoutText}\n`);
    return EXIT.timeout;
  }
  if (output === 'json') io.out(`${JSON.stringify(ack, null, 2)}\n`);
  else
    io.out(
      `${accepted.action} of ${namespace}/${name}: ${ack.outcome ?? '?'}${ack.message ? ` (${ack.message})` : ''}\n`,
    );
  return ack.outcome === 'Applied' ? EXIT.ok : EXIT.failed;
}
