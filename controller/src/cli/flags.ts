// Command-line flags of `aviary-controller`, parsed without a dependency. `--flag value`,
// `--flag=value` and Flagger's single-dash `-flag value` all work, so a Flagger Deployment's args
// carry over. Notifier settings can come from the environment, which wins over flags (Flagger's
// rule), so secrets need not sit in a Pod spec.
import { parseGoDuration } from '../api/index.js';
import { LOG_LEVELS, type LogLevel } from '../controller/log.js';

export interface ControllerFlags {
  kubeconfig?: string;
  metricsServer: string;
  namespace?: string;
  port: number;
  leaderElect: boolean;
  leaderElectionNamespace?: string;
  leaderElectionId: string;
  clusterName?: string;
  concurrency: number;
  /** 0: no cap. */
  maxProgressing: number;
  metricQueryConcurrency: number;
  metricsBatchWindowMs: number;
  logLevel: LogLevel;
  selectorLabels: string[];
  includeLabelPrefix: string[];
  enableConfigTracking: boolean;
  eventWebhook?: string;
  slackUrl?: string;
  slackToken?: string;
  slackUser?: string;
  slackChannel?: string;
  slackProxy?: string;
  msteamsUrl?: string;
  msteamsProxy?: string;
  /** Bearer tokens of the HTTP API (see src/http/api/auth.ts for the format). */
  apiTokenFile?: string;
  /** `NS/NAME` of a Secret whose `tokens` key holds the API tokens. */
  apiTokenSecret?: string;
  /** One more API token (identity `api-token`, role trusted): the chart's AVIARY_API_TOKEN. */
  apiToken?: string;
  /** API reads without a token. */
  apiOpenReads: boolean;
}

export type ParseResult =
  | { kind: 'run'; flags: ControllerFlags }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'error'; message: string };

type Kind = 'string' | 'int' | 'bool' | 'duration' | 'list' | 'level';

interface FlagSpec {
  key: keyof ControllerFlags;
  kind: Kind;
  help: string;
  /** Placeholder in the usage text. */
  value?: string;
  env?: string;
  min?: number;
}

const FLAGS: Record<string, FlagSpec> = {
  kubeconfig: {
    key: 'kubeconfig',
    kind: 'string',
    value: 'FILE',
    help: 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, then in-cluster config)',
  },
  'metrics-server': {
    key: 'metricsServer',
    kind: 'string',
    value: 'URL',
    help: 'Prometheus URL for built-in metrics (required)',
  },
  namespace: {
    key: 'namespace',
    kind: 'string',
    value: 'NS',
    help: 'watch only this namespace (default: all)',
  },
  port: {
    key: 'port',
    kind: 'int',
    value: 'N',
    min: 0,
    help: 'port of /metrics, /healthz, /readyz (default 8080)',
  },
  'leader-elect': {
    key: 'leaderElect',
    kind: 'bool',
    help: 'run only while holding the leader Lease',
  },
  'leader-election-namespace': {
    key: 'leaderElectionNamespace',
    kind: 'string',
    value: 'NS',
    help: 'namespace of the Lease (default: POD_NAMESPACE, --namespace, or default)',
  },
  'leader-election-id': {
    key: 'leaderElectionId',
    kind: 'string',
    value: 'NAME',
    help: 'name of the Lease (default aviary-controller)',
  },
  'cluster-name': {
    key: 'clusterName',
    kind: 'string',
    value: 'NAME',
    help: 'cluster name added to alerts',
  },
  concurrency: {
    key: 'concurrency',
    kind: 'int',
    value: 'N',
    min: 1,
    help: 'canaries ticked at once (default 8)',
  },
  'max-progressing': {
    key: 'maxProgressing',
    kind: 'int',
    value: 'N',
    min: 0,
    help: 'at most N canaries analysing at once; 0 = no cap (default 0)',
  },
  'metric-query-concurrency': {
    key: 'metricQueryConcurrency',
    kind: 'int',
    value: 'N',
    min: 1,
    help: 'template and inline queries run at once (default 4)',
  },
  'metrics-batch-window': {
    key: 'metricsBatchWindowMs',
    kind: 'duration',
    help: 'how long built-in metric checks wait to be grouped (default 100ms)',
  },
  'log-level': {
    key: 'logLevel',
    kind: 'level',
    help: 'debug, info, warn or error (default info)',
  },
  'selector-labels': {
    key: 'selectorLabels',
    kind: 'list',
    help: 'selector labels, first present wins (default app,name,app.kubernetes.io/name)',
  },
  'include-label-prefix': {
    key: 'includeLabelPrefix',
    kind: 'list',
    help: 'label/annotation prefixes copied to primary objects; * = all (default none)',
  },
  'enable-config-tracking': {
    key: 'enableConfigTracking',
    kind: 'bool',
    help: 'track ConfigMaps/Secrets of the target (default true)',
  },
  'event-webhook': {
    key: 'eventWebhook',
    kind: 'string',
    value: 'URL',
    env: 'EVENT_WEBHOOK_URL',
    help: 'URL receiving every event of canaries without event hooks',
  },
  'slack-url': {
    key: 'slackUrl',
    kind: 'string',
    value: 'URL',
    env: 'SLACK_URL',
    help: 'global Slack webhook URL',
  },
  'slack-token': {
    key: 'slackToken',
    kind: 'string',
    value: 'TOKEN',
    env: 'SLACK_TOKEN',
    help: 'Slack bearer token',
  },
  'slack-user': {
    key: 'slackUser',
    kind: 'string',
    value: 'NAME',
    env: 'SLACK_USER',
    help: 'Slack user name',
  },
  'slack-channel': {
    key: 'slackChannel',
    kind: 'string',
    value: 'NAME',
    env: 'SLACK_CHANNEL',
    help: 'Slack channel',
  },
  'slack-proxy-url': {
    key: 'slackProxy',
    kind: 'string',
    value: 'URL',
    env: 'SLACK_PROXY_URL',
    help: 'proxy for Slack',
  },
  'msteams-url': {
    key: 'msteamsUrl',
    kind: 'string',
    value: 'URL',
    env: 'MSTEAMS_URL',
    help: 'global MS Teams webhook URL (wins over Slack)',
  },
  'msteams-proxy-url': {
    key: 'msteamsProxy',
    kind: 'string',
    value: 'URL',
    env: 'MSTEAMS_PROXY_URL',
    help: 'proxy for MS Teams',
  },
  'api-token-file': {
    key: 'apiTokenFile',
    kind: 'string',
    value: 'FILE',
    help: 'HTTP API bearer tokens, lines token[:identity[:read|write|trusted]] or a JSON map (re-read when it changes)',
  },
  'api-token-secret': {
    key: 'apiTokenSecret',
    kind: 'string',
    value: 'NS/NAME',
    help: 'Secret whose "tokens" key holds the HTTP API tokens (same format; in a watched namespace)',
  },
  'api-token': {
    key: 'apiToken',
    kind: 'string',
    value: 'TOKEN',
    env: 'AVIARY_API_TOKEN',
    help: 'one HTTP API token, identity "api-token", role trusted (the Backstage backend\'s; added to the file/Secret ones)',
  },
  'api-open-reads': {
    key: 'apiOpenReads',
    kind: 'bool',
    help: 'HTTP API reads need no token (actions always do; default false)',
  },
};

const DEFAULTS: Omit<ControllerFlags, 'metricsServer'> = {
  port: 8080,
  leaderElect: false,
  leaderElectionId: 'aviary-controller',
  concurrency: 8,
  maxProgressing: 0,
  metricQueryConcurrency: 4,
  metricsBatchWindowMs: 100,
  logLevel: 'info',
  selectorLabels: ['app', 'name', 'app.kubernetes.io/name'],
  includeLabelPrefix: [],
  enableConfigTracking: true,
  apiOpenReads: false,
};

export function parseFlags(argv: readonly string[], env: NodeJS.ProcessEnv = {}): ParseResult {
  const values: Partial<Record<keyof ControllerFlags, unknown>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h' || arg === '-help') return { kind: 'help' };
    if (arg === '--version' || arg === '-version') return { kind: 'version' };
    const match = /^--?([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(arg);
    if (!match) return { kind: 'error', message: `unexpected argument ${JSON.stringify(arg)}` };
    const name = match[1] ?? '';
    const spec = FLAGS[name];
    if (!spec) return { kind: 'error', message: `unknown flag --${name}` };
    let raw = match[2];
    if (raw === undefined && spec.kind === 'bool') raw = 'true';
    if (raw === undefined) {
      const next = argv[i + 1];
      if (next === undefined) return { kind: 'error', message: `flag --${name} needs a value` };
      raw = next;
      i++;
    }
    const parsed = convert(name, spec, raw);
    if (typeof parsed === 'object' && !Array.isArray(parsed)) {
      return { kind: 'error', message: parsed.error };
    }
    values[spec.key] = parsed;
  }
  for (const spec of Object.values(FLAGS)) {
    const fromEnv = spec.env ? env[spec.env] : undefined;
    if (fromEnv) values[spec.key] = fromEnv;
  }
  const metricsServer = values.metricsServer;
  if (typeof metricsServer !== 'string' || metricsServer === '') {
    return { kind: 'error', message: 'flag --metrics-server is required' };
  }
  try {
    const url = new URL(metricsServer);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    return { kind: 'error', message: '--metrics-server must be an http(s) URL' };
  }
  if (values.apiTokenFile !== undefined && values.apiTokenSecret !== undefined) {
    return { kind: 'error', message: '--api-token-file and --api-token-secret exclude each other' };
  }
  if (
    values.apiTokenSecret !== undefined &&
    !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(
      String(values.apiTokenSecret),
    )
  ) {
    return { kind: 'error', message: '--api-token-secret must be NS/NAME' };
  }
  return { kind: 'run', flags: { ...DEFAULTS, ...values, metricsServer } as ControllerFlags };
}

type Converted = string | number | boolean | string[] | { error: string };

function convert(name: string, spec: FlagSpec, raw: string): Converted {
  switch (spec.kind) {
    case 'string':
      return raw;
    case 'int': {
      if (!/^\d+$/.test(raw))
        return { error: `--${name} must be a whole number, got ${JSON.stringify(raw)}` };
      const value = Number(raw);
      if (spec.min !== undefined && value < spec.min)
        return { error: `--${name} must be at least ${spec.min}` };
      if (name === 'port' && value > 65535) return { error: '--port must be at most 65535' };
      return value;
    }
    case 'bool':
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      return { error: `--${name} must be true or false, got ${JSON.stringify(raw)}` };
    case 'duration': {
      const ms = parseGoDuration(raw);
      if (ms === undefined || ms < 0)
        return { error: `--${name} must be a duration like 100ms, got ${JSON.stringify(raw)}` };
      return ms;
    }
    case 'list':
      return raw
        .split(',')
        .map(s => s.trim())
        .filter(Boolean);
    case 'level':
      if ((LOG_LEVELS as readonly string[]).includes(raw)) return raw;
      return { error: `--${name} must be one of ${LOG_LEVELS.join(', ')}` };
  }
}

export function usage(): string {
  const lines = Object.entries(FLAGS).map(([name, spec]) => {
    const placeholder = spec.value ?? (spec.kind === 'list' ? 'A,B' : spec.kind.toUpperCase());
    const value = spec.kind === 'bool' ? '' : ` ${placeholder}`;
    const env = spec.env ? ` [env ${spec.env}]` : '';
    return `  --${name}${value}\n      ${spec.help}${env}`;
  });
  return [
    'Usage: aviary-controller --metrics-server URL [--kubeconfig FILE] [--namespace NS] [--port 8080] [--leader-elect] [--cluster-name NAME] [flags]',
    '',
    'Flags:',
    ...lines,
    '  --help, --version',
    '',
  ].join('\n');
}
