// Controller-side defaults of MetricTemplates and AlertProviders (validate them first).
import type {
  AlertProviderSpec,
  AlertProviderType,
  MetricTemplateSpec,
} from './types.generated.js';

export const DEFAULT_ALERT_CHANNEL = 'general';
/** Flagger posts as "flagger"; Aviary posts under its own name. */
export const DEFAULT_ALERT_USERNAME = 'aviary';

export interface ResolvedAlertProvider {
  type: AlertProviderType;
  /** Webhook URL from the spec; a Secret's `address` key (see secretName) overrides it. */
  address?: string;
  /** Secret (in the provider's namespace) with keys address and, optionally, token. */
  secretName?: string;
  channel: string;
  username: string;
  proxy?: string;
}

export interface ResolvedMetricTemplate {
  type: 'prometheus';
  address: string;
  /** Header name to values, sent with every query. */
  headers: Record<string, string[]>;
  /** Secret (in the template's namespace) with token, or username and password. */
  secretName?: string;
  insecureSkipVerify: boolean;
  query: string;
}

export function resolveAlertProvider(spec: AlertProviderSpec): ResolvedAlertProvider {
  const out: ResolvedAlertProvider = {
    type: spec.type,
    channel: spec.channel || DEFAULT_ALERT_CHANNEL,
    username: spec.username || DEFAULT_ALERT_USERNAME,
  };
  if (spec.address) out.address = spec.address;
  if (spec.secretRef?.name) out.secretName = spec.secretRef.name;
  if (spec.proxy) out.proxy = spec.proxy;
  return out;
}

export function resolveMetricTemplate(spec: MetricTemplateSpec): ResolvedMetricTemplate {
  const provider = spec.provider;
  const out: ResolvedMetricTemplate = {
    type: 'prometheus',
    address: provider.address ?? '',
    headers: Object.fromEntries(
      Object.entries(provider.headers ?? {}).map(([name, values]) => [name, [...values]]),
    ),
    insecureSkipVerify: provider.insecureSkipVerify ?? false,
    query: spec.query,
  };
  if (provider.secretRef?.name) out.secretName = provider.secretRef.name;
  return out;
}
