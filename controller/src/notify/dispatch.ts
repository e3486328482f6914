// Which sinks get a canary's alert (spec 1.6 alerts, 5.1): per-alert severity routing to
// AlertProviders, or the global notifier when the canary lists no alerts. Never throws.
import type { AlertProviderSpec, Canary, CanaryAlertSeverity } from '../api/types.js';
import { createNotifier } from './notifier.js';
import type { NotifierOptions, ProviderSecret } from './notifier.js';
import type { AlertField, Notifier, NotifyResult, Severity } from './types.js';

/**
 * info receives everything, warn receives warn and error, error only error. QUIRK fixed: an
 * empty severity counts as info (the CRD's documented default); Flagger delivered nothing.
 */
export function severityAccepts(
  entry: CanaryAlertSeverity | undefined,
  message: Severity,
): boolean {
  switch (entry || 'info') {
    case 'info':
      return true;
    case 'warn':
      return message === 'warn' || message === 'error';
    default:
      return message === 'error';
  }
}

export interface ResolvedProvider {
  spec: AlertProviderSpec;
  /** Decoded data of spec.secretRef's Secret, when it has one. */
  secret?: ProviderSecret;
}

export interface AlertDeps {
  /** Looks up an AlertProvider (and its Secret); an `error` when either is missing. */
  resolveProvider(ref: {
    name: string;
    namespace: string;
  }): Promise<ResolvedProvider | { error: string }>;
  /** Used only when the canary lists no alerts (Flagger's -slack-url / -msteams-url). */
  globalNotifier?: Notifier;
  /** Added as the first field, `Cluster`, of every message. */
  clusterName?: string;
  notifierOptions?: NotifierOptions;
}

export interface AlertRequest {
  severity: Severity;
  message: string;
  fields?: AlertField[];
}

export interface Delivery {
  /** The alert entry's name, or `global`. */
  alert: string;
  /** `<namespace>/<name>` of the AlertProvider, or the global notifier's type. */
  provider: string;
  result: NotifyResult;
}

export async function dispatchAlert(
  canary: Canary,
  request: AlertRequest,
  deps: AlertDeps,
): Promise<Delivery[]> {
  const namespace = canary.metadata.namespace ?? 'default';
  const message = {
    canaryName: canary.metadata.name ?? '',
    namespace,
    message: request.message,
    severity: request.severity,
    fields: [
      ...(deps.clusterName ? [{ title: 'Cluster', value: deps.clusterName }] : []),
      ...(request.fields ?? []),
    ],
  };
  const alerts = (canary.spec.analysis ?? canary.spec.canaryAnalysis)?.alerts ?? [];
  if (alerts.length === 0) {
    if (!deps.globalNotifier) return [];
    const notifier = deps.globalNotifier;
    return [
      { alert: 'global', provider: notifier.type, result: await safePost(notifier, message) },
    ];
  }
  const wanted = alerts.filter(alert => severityAccepts(alert.severity, request.severity));
  return Promise.all(
    wanted.map(async alert => {
      const ref = {
        name: alert.providerRef.name,
        namespace: alert.providerRef.namespace || namespace,
      };
      const provider = `${ref.namespace}/${ref.name}`;
      const result = await deliver(ref, deps, message);
      return { alert: alert.name, provider, result };
    }),
  );
}

async function deliver(
  ref: { name: string; namespace: string },
  deps: AlertDeps,
  message: Parameters<Notifier['post']>[0],
): Promise<NotifyResult> {
  let resolved: ResolvedProvider | { error: string };
  try {
    resolved = await deps.resolveProvider(ref);
  } catch {
    return { ok: false, error: `alert provider ${ref.namespace}/${ref.name} lookup failed` };
  }
  if ('error' in resolved) return { ok: false, error: resolved.error };
  if (resolved.spec.secretRef && !resolved.secret?.address) {
    return {
      ok: false,
      error: `alert provider ${ref.namespace}/${ref.name} secret does not contain an address`,
    };
  }
  const built = createNotifier(resolved.spec, resolved.secret, deps.notifierOptions);
  if (!built.ok)
    return { ok: false, error: `alert provider ${ref.namespace}/${ref.name}: ${built.error}` };
  return safePost(built.notifier, message);
}

/** Belt and braces: an injected notifier that throws still yields a result. */
async function safePost(
  notifier: Notifier,
  message: Parameters<Notifier['post']>[0],
): Promise<NotifyResult> {
  try {
    return await notifier.post(message);
  } catch {
    return { ok: false, error: `${notifier.type}: notifier failed` };
  }
}

export interface GlobalNotifierConfig {
  slackUrl?: string;
  slackToken?: string;
  slackUser?: string;
  slackChannel?: string;
  slackProxy?: string;
  msteamsUrl?: string;
  msteamsProxy?: string;
}

/** The controller-wide notifier: MS Teams when its URL is set, else Slack; none without a URL. */
export function createGlobalNotifier(
  config: GlobalNotifierConfig,
): Notifier | { error: string } | undefined {
  const spec: AlertProviderSpec | undefined = config.msteamsUrl
    ? {
        type: 'msteams',
        address: config.msteamsUrl,
        ...(config.msteamsProxy ? { proxy: config.msteamsProxy } : {}),
      }
    : config.slackUrl
      ? {
          type: 'slack',
          address: config.slackUrl,
          ...(config.slackUser ? { username: config.slackUser } : {}),
          ...(config.slackChannel ? { channel: config.slackChannel } : {}),
          ...(config.slackProxy ? { proxy: config.slackProxy } : {}),
        }
      : undefined;
  if (!spec) return undefined;
  const secret =
    config.slackToken && spec.type === 'slack' ? { token: config.slackToken } : undefined;
  const built = createNotifier(spec, secret);
  return built.ok ? built.notifier : { error: built.error };
}
