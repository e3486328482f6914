// Posting alerts to chat webhooks, away from ingestion: each post retries on its own timer with
// exponential backoff, so a sink that is down delays nothing else. The number of posts in flight
// is bounded; beyond it new alerts are dropped with a warning. Logs name the channel key, never
// its URL (the URL is the channel's secret).
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { AlertChannelConfig } from '../config/types';

export interface AlertDeliveryOptions {
  logger: LoggerService;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Posts waiting or retrying at once. */
  maxInFlight?: number;
  timeoutMs?: number;
}

export type DeliveryResult = 'delivered' | 'gave-up' | 'stopped';

export class AlertDelivery {
  private readonly jobs = new Set<Promise<DeliveryResult>>();
  private readonly stopping = new AbortController();
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxInFlight: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: AlertDeliveryOptions) {
    this.maxAttempts = options.maxAttempts ?? 6;
    this.baseDelayMs = options.baseDelayMs ?? 2_000;
    this.maxDelayMs = options.maxDelayMs ?? 120_000;
    this.maxInFlight = options.maxInFlight ?? 200;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Starts delivering in the background; false when the queue is full or delivery stopped. */
  enqueue(channel: AlertChannelConfig, payload: unknown, what: string): boolean {
    if (this.stopping.signal.aborted) return false;
    if (this.jobs.size >= this.maxInFlight) {
      this.options.logger.warn(
        `canary: alert queue full (${this.maxInFlight}); dropped ${what} for channel "${channel.key}"`,
      );
      return false;
    }
    const job = this.deliver(channel, JSON.stringify(payload), what).finally(() => {
      this.jobs.delete(job);
    });
    this.jobs.add(job);
    return true;
  }

  /** Resolves when every post started so far has finished (delivered or given up). */
  async idle(): Promise<void> {
    while (this.jobs.size > 0) await Promise.all([...this.jobs]);
  }

  /** Cancels pending retries (backend shutdown). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.idle();
  }

  get inFlight(): number {
    return this.jobs.size;
  }

  private async deliver(
    channel: AlertChannelConfig,
    body: string,
    what: string,
  ): Promise<DeliveryResult> {
    let lastProblem = '';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (this.stopping.signal.aborted) return 'stopped';
      const outcome = await this.post(channel.url, body);
      if (outcome.ok) return 'delivered';
      if (this.stopping.signal.aborted) return 'stopped';
      lastProblem = outcome.problem;
      if (!outcome.retry || attempt === this.maxAttempts) break;
      const delay = this.delay(attempt);
      this.options.logger.debug(
        `canary: posting ${what} to alert channel "${channel.key}" failed (attempt ${attempt}: ${lastProblem}); retrying in ${delay} ms`,
      );
      if (!(await this.wait(delay))) return 'stopped';
    }
    this.options.logger.warn(
      `canary: gave up posting ${what} to alert channel "${channel.key}" (${channel.type}): ${lastProblem}`,
    );
    return 'gave-up';
  }

  private async post(
    url: string,
    body: string,
  ): Promise<{ ok: true } | { ok: false; retry: boolean; problem: string }> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.timeoutMs)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { ok: true };
      // 4xx other than 408/429 will not change by retrying (bad URL, revoked hook, bad payload).
      const retry = response.status >= 500 || response.status === 408 || response.status === 429;
      return { ok: false, retry, problem: `HTTP ${response.status}` };
    } catch (error) {
      return { ok: false, retry: true, problem: networkProblem(error) };
    }
  }

  private delay(attempt: number): number {
    const exponential = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    // Jitter spreads retries of many alerts to one sink.
    return Math.round(exponential * (0.75 + Math.random() * 0.5));
  }

  /** False when stopped while waiting. */
  private wait(ms: number): Promise<boolean> {
    const signal = this.stopping.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise(resolve => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** A network failure described by its code only: error messages of fetch can quote the URL. */
function networkProblem(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; name?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return `connection failed (${cause.code})`;
  const name = (error as { name?: unknown }).name;
  if (name === 'TimeoutError') return 'timed out';
  if (name === 'AbortError') return 'aborted';
  return 'connection failed';
}
