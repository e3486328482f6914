// AlertProvider → Notifier (spec 1.10, 5.1): the hook URL from the Secret's `address` (which
// wins) or spec.address, an optional bearer token, per-service payloads, POST with a 5 s timeout.
import type { AlertProviderSpec } from '../api/types.js';
import { HttpRequestError, httpRequest, maskSecrets } from '../webhooks/http-request.js';
import { ROCKET_COLORS, gchatPayload, msteamsPayload, slackPayload } from './payloads.js';
import type { ChatIdentity } from './payloads.js';
import type { AlertMessage, Notifier, NotifyResult } from './types.js';

export const DEFAULT_CHANNEL = 'general';
export const DEFAULT_USERNAME = 'aviary';
const TIMEOUT_MS = 5000;

export interface NotifierOptions {
  timeoutMs?: number;
}

/** Notifier for an empty URL: Flagger's no-op. */
export const noopNotifier: Notifier = { type: 'noop', post: async () => ({ ok: true }) };

class ChatNotifier implements Notifier {
  constructor(
    readonly type: string,
    private readonly url: string,
    private readonly body: (m: AlertMessage) => unknown,
    private readonly secrets: string[],
    private readonly options: { token?: string; proxy?: string; timeoutMs: number },
  ) {}

  async post(message: AlertMessage): Promise<NotifyResult> {
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
      const response = await httpRequest({
        method: 'POST',
        url: this.url,
        headers,
        body: JSON.stringify(this.body(message)),
        timeoutMs: this.options.timeoutMs,
        ...(this.options.proxy ? { proxy: this.options.proxy } : {}),
      });
      if (response.status >= 200 && response.status < 300) return { ok: true };
      const text = maskSecrets(response.body.trim().slice(0, 300), this.secrets);
      return { ok: false, error: `${this.type}: bad response ${response.status}: ${text}` };
    } catch (err) {
      const detail = err instanceof HttpRequestError ? err.message : 'unexpected error';
      return { ok: false, error: `${this.type}: ${maskSecrets(detail, this.secrets)}` };
    }
  }
}

/** The parts of a Secret's data the notifier uses (decoded). */
export interface ProviderSecret {
  address?: string;
  token?: string;
}

export type NotifierResult = { ok: true; notifier: Notifier } | { ok: false; error: string };

function secretsOf(url: string, token: string | undefined, proxy: string | undefined): string[] {
  const secrets = [url, token, proxy];
  try {
    const parsed = new URL(url);
    secrets.push(`${parsed.pathname}${parsed.search}`, parsed.password);
  } catch {
    // not a URL: only the raw values are masked
  }
  return secrets.filter((s): s is string => Boolean(s && s !== '/'));
}

/**
 * Builds the notifier of one AlertProvider. Errors (unknown type, invalid URL) are returned,
 * never thrown, and never quote the URL.
 */
export function createNotifier(
  spec: AlertProviderSpec,
  secret?: ProviderSecret,
  options: NotifierOptions = {},
): NotifierResult {
  const url = secret?.address || spec.address || '';
  if (!url) return { ok: true, notifier: noopNotifier };
  const type: string = spec.type;
  if (!BUILDERS[type]) return { ok: false, error: `provider ${type} not supported` };
  let parsed: URL;
  try {
    parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
  } catch {
    return { ok: false, error: `invalid ${type} hook URL` };
  }
  const who: ChatIdentity = {
    channel: spec.channel || DEFAULT_CHANNEL,
    username: spec.username || DEFAULT_USERNAME,
  };
  const { target, body, token } = BUILDERS[type]({ url: parsed, who, token: secret?.token });
  const secrets = secretsOf(target, secret?.token, spec.proxy);
  const notifier = new ChatNotifier(type, target, body, secrets, {
    ...(token ? { token } : {}),
    ...(spec.proxy ? { proxy: spec.proxy } : {}),
    timeoutMs: options.timeoutMs ?? TIMEOUT_MS,
  });
  return { ok: true, notifier };
}

type Builder = (input: { url: URL; who: ChatIdentity; token: string | undefined }) => {
  target: string;
  body: (m: AlertMessage) => unknown;
  token?: string;
};

const BUILDERS: Record<string, Builder> = {
  // Only Slack sends the Secret's token (as a bearer token), as in Flagger.
  slack: ({ url, who, token }) => ({
    target: url.href,
    body: m => slackPayload(m, who),
    ...(token ? { token } : {}),
  }),
  discord: ({ url, who }) => ({ target: discordUrl(url), body: m => slackPayload(m, who) }),
  rocket: ({ url, who }) => ({ target: url.href, body: m => slackPayload(m, who, ROCKET_COLORS) }),
  msteams: ({ url }) => ({ target: url.href, body: msteamsPayload }),
  gchat: ({ url }) => ({ target: url.href, body: gchatPayload }),
};

/** Discord accepts Slack payloads at `<webhook>/slack`. */
function discordUrl(url: URL): string {
  const copy = new URL(url.href);
  if (!copy.pathname.endsWith('/slack'))
    copy.pathname = `${copy.pathname.replace(/\/+$/, '')}/slack`;
  return copy.href;
}
