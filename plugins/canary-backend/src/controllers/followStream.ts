// Follows a controller's SSE stream until closed: reconnects after any failure with capped
// exponential backoff, resumes with Last-Event-ID from the last message its consumer finished
// handling (a message whose handler threw is delivered again), and drops a connection that has
// been silent for longer than a few heartbeats (a half-open TCP connection never errors).
import { SseParser, type SseEvent } from '@aviary/backstage-plugin-canary-common';
import { ControllerError, type ControllerStreamMessage, type StreamHandle } from './types';
import { isObject, toSummary } from './wire';

export interface StreamTiming {
  /** First reconnect delay; the server's `retry:` replaces it. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** No bytes (not even a heartbeat) for this long: reconnect. */
  idleTimeoutMs: number;
}

const DEFAULT_TIMING: StreamTiming = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  idleTimeoutMs: 45_000,
};

export interface FollowOptions {
  cluster: string;
  url: string;
  headers: Record<string, string>;
  timing?: Partial<StreamTiming>;
  lastEventId?: string;
  onMessage(message: ControllerStreamMessage): Promise<void>;
  onError?(error: Error): void;
}

/** Capped exponential backoff with jitter in [delay/2, delay]. */
export function backoffDelay(attempt: number, timing: StreamTiming, random = Math.random): number {
  const delay = Math.min(timing.maxDelayMs, timing.initialDelayMs * 2 ** Math.min(attempt, 20));
  return Math.round(delay / 2 + (delay / 2) * random());
}

class StreamFailure extends Error {}

// fetch's errors come from another realm under test runners: compare names, not classes.
export const errorName = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null ? (error as { name?: string }).name : undefined;

const asError = (error: unknown): Error =>
  typeof error === 'object' && error !== null && typeof (error as Error).message === 'string'
    ? (error as Error)
    : new Error(String(error));

/** Turns one SSE event into a stream message; undefined for events this client does not know. */
export function toStreamMessage(
  event: SseEvent,
  cluster: string,
): ControllerStreamMessage | undefined {
  const id = event.id !== undefined ? { id: event.id } : {};
  switch (event.event) {
    case 'hello':
      return { kind: 'hello', ...id };
    case 'reset':
      return { kind: 'reset', ...id };
    case 'canary': {
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        throw new StreamFailure(`controller ${cluster} sent a canary event that is not JSON`);
      }
      const type = isObject(data) ? data.type : undefined;
      if (type !== 'add' && type !== 'update' && type !== 'delete') {
        throw new StreamFailure(`controller ${cluster} sent a canary event without a valid type`);
      }
      try {
        return {
          kind: 'canary',
          ...id,
          type,
          canary: toSummary((data as { canary: unknown }).canary, cluster),
        };
      } catch {
        throw new StreamFailure(`controller ${cluster} sent a canary event without a canary`);
      }
    }
    default:
      return undefined;
  }
}

export function followStream(options: FollowOptions): StreamHandle {
  const timing = { ...DEFAULT_TIMING, ...options.timing };
  const { cluster } = options;
  let closed = false;
  let current: AbortController | undefined;
  let wake: (() => void) | undefined;
  let lastEventId = options.lastEventId;
  let baseDelay = timing.initialDelayMs;
  const report = (error: Error) => {
    if (!closed) options.onError?.(error);
  };

  const connectOnce = async (): Promise<boolean> => {
    const abort = new AbortController();
    current = abort;
    let idle: NodeJS.Timeout | undefined;
    const touch = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => abort.abort(new StreamFailure('idle')), timing.idleTimeoutMs);
    };
    let received = false;
    try {
      touch();
      const response = await fetch(options.url, {
        headers: {
          ...options.headers,
          accept: 'text/event-stream',
          ...(lastEventId !== undefined ? { 'last-event-id': lastEventId } : {}),
        },
        signal: abort.signal,
      });
      if (!response.ok || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        throw new ControllerError(
          cluster,
          502,
          `controller ${cluster} refused the stream (${response.status})`,
        );
      }
      const parser = new SseParser();
      const decoder = new TextDecoder();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        touch();
        const events = parser.push(decoder.decode(chunk, { stream: true }));
        if (parser.retryMs !== undefined) {
          baseDelay = Math.min(parser.retryMs, timing.maxDelayMs);
        }
        for (const event of events) {
          if (closed) return received;
          let message: ControllerStreamMessage | undefined;
          try {
            message = toStreamMessage(event, cluster);
          } catch (error) {
            // A malformed message cannot be handled; skip it rather than loop on it forever.
            report(error as Error);
          }
          if (message) {
            // A slow handler (a re-list after reset) is not a silent server.
            if (idle) clearTimeout(idle);
            await options.onMessage(message);
            touch();
          }
          if (event.id !== undefined) lastEventId = event.id;
          received = true;
        }
      }
      if (!closed)
        report(new ControllerError(cluster, 503, `controller ${cluster} closed the stream`));
    } catch (error) {
      if (!closed) {
        const idleAbort = abort.signal.aborted && abort.signal.reason instanceof StreamFailure;
        if (idleAbort) {
          report(
            new ControllerError(
              cluster,
              503,
              `controller ${cluster} stream went silent; reconnecting`,
            ),
          );
        } else if (error instanceof ControllerError) {
          report(error);
        } else if (errorName(error) === 'TypeError') {
          // fetch's network failures (refused, reset, terminated mid-body) are TypeErrors.
          const what = received ? 'stream was interrupted' : 'is unreachable';
          report(new ControllerError(cluster, 503, `controller ${cluster} ${what}`));
        } else {
          report(asError(error));
        }
      }
    } finally {
      if (idle) clearTimeout(idle);
      abort.abort();
    }
    return received;
  };

  const run = async () => {
    let attempt = 0;
    while (!closed) {
      const received = await connectOnce();
      if (closed) break;
      attempt = received ? 0 : attempt + 1;
      const delay = backoffDelay(attempt, { ...timing, initialDelayMs: baseDelay });
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, delay);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  };
  void run();

  return {
    close() {
      closed = true;
      current?.abort();
      wake?.();
    },
  };
}
