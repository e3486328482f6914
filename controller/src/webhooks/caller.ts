// Calls one webhook: POST JSON, timeout, retries with backoff, TLS opt-out. Success means an
// HTTP status of 200-202 (spec 1.6); anything else, 204 included, is a failure whose text is the
// response body. Never throws: the result says what happened.
import { parseGoDuration } from '../api/duration.js';
import type { CanaryWebhook } from '../api/types.js';
import { HttpRequestError, httpRequest } from './http-request.js';
import type { HttpResponse } from './http-request.js';
import type { WebhookPayload } from './payload.js';

export type WebhookResult =
  | { ok: true; status: number; attempts: number }
  | { ok: false; status?: number; error: string; attempts: number };

/** What the engine's executor injects; tests pass a fake. */
export interface WebhookCaller {
  call(hook: CanaryWebhook, payload: WebhookPayload): Promise<WebhookResult>;
}

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/** Flagger's rule: a timeout shorter than 2 characters ("", "0", "5") means 10s. */
export function webhookTimeoutMs(hook: CanaryWebhook): number | undefined {
  const text = hook.timeout ?? '';
  if (text.length < 2) return DEFAULT_WEBHOOK_TIMEOUT_MS;
  const ms = parseGoDuration(text);
  return ms !== undefined && ms > 0 ? ms : undefined;
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status <= 202;
}

/** Worth another attempt: transport failures, 429 and 5xx except 501 (go-retryablehttp's rule). */
function retriable(outcome: HttpResponse | HttpRequestError): boolean {
  if (outcome instanceof HttpRequestError) return outcome.failure !== 'invalid-url';
  return outcome.status === 429 || (outcome.status >= 500 && outcome.status !== 501);
}

export interface HttpWebhookCallerOptions {
  /** Waits between attempts; injectable so tests do not sleep. */
  sleep?: (ms: number) => Promise<void>;
  /** Backoff before attempt n+1 (n ≥ 1): 1 s, 2 s, 4 s... capped at 30 s by default. */
  backoffMs?: (attempt: number) => number;
}

const realSleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));
const exponential = (attempt: number) => Math.min(30_000, 1000 * 2 ** (attempt - 1));

export class HttpWebhookCaller implements WebhookCaller {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly backoffMs: (attempt: number) => number;

  constructor(options: HttpWebhookCallerOptions = {}) {
    this.sleep = options.sleep ?? realSleep;
    this.backoffMs = options.backoffMs ?? exponential;
  }

  async call(hook: CanaryWebhook, payload: WebhookPayload): Promise<WebhookResult> {
    const timeoutMs = webhookTimeoutMs(hook);
    if (timeoutMs === undefined) {
      return { ok: false, error: `invalid timeout ${JSON.stringify(hook.timeout)}`, attempts: 0 };
    }
    const body = JSON.stringify(payload);
    const maxAttempts = 1 + Math.max(0, Math.floor(hook.retries ?? 0));
    let attempt = 0;
    for (;;) {
      attempt += 1;
      let outcome: HttpResponse | HttpRequestError;
      try {
        outcome = await httpRequest({
          method: 'POST',
          url: hook.url,
          headers: { 'content-type': 'application/json' },
          body,
          timeoutMs,
          insecureSkipVerify: hook.disableTLS ?? false,
        });
      } catch (err) {
        outcome =
          err instanceof HttpRequestError ? err : new HttpRequestError('network', String(err));
      }
      if (!(outcome instanceof HttpRequestError) && isSuccess(outcome.status)) {
        return { ok: true, status: outcome.status, attempts: attempt };
      }
      if (attempt >= maxAttempts || !retriable(outcome)) return failure(outcome, attempt);
      await this.sleep(this.backoffMs(attempt));
    }
  }
}

function failure(outcome: HttpResponse | HttpRequestError, attempts: number): WebhookResult {
  if (outcome instanceof HttpRequestError) return { ok: false, error: outcome.message, attempts };
  const text = outcome.body.trim().slice(0, 1000);
  return {
    ok: false,
    status: outcome.status,
    error: text || `status ${outcome.status} ${outcome.statusText}`.trim(),
    attempts,
  };
}
