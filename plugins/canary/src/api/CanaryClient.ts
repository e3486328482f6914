import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError, toError } from '@backstage/errors';
import type {
  ActionRequest,
  ActionResponse,
  CanaryDetail,
  CanaryRef,
  CanaryStreamMessage,
  EntityCanariesResponse,
  OverviewResponse,
  RolloutPage,
  RolloutWithChecks,
} from '@aviary/backstage-plugin-canary-common';
import { SseParser } from '@aviary/backstage-plugin-canary-common';
import type { CanaryApi, OverviewFilter, StreamHandlers, StreamSubscription } from './CanaryApi';

export interface CanaryClientOptions {
  discoveryApi: Pick<DiscoveryApi, 'getBaseUrl'>;
  fetchApi: Pick<FetchApi, 'fetch'>;
  /** Reconnect delays of the stream: doubling from `initialMs` up to `maxMs`. */
  retry?: { initialMs?: number; maxMs?: number };
}

const enc = encodeURIComponent;

function canaryPath(ref: CanaryRef): string {
  return `/clusters/${enc(ref.cluster)}/namespaces/${enc(ref.namespace)}/canaries/${enc(ref.name)}`;
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function isStreamMessage(value: unknown): value is CanaryStreamMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; canary?: unknown; rollout?: unknown };
  return (
    (message.type === 'canary' && typeof message.canary === 'object') ||
    (message.type === 'rollout' && typeof message.rollout === 'object')
  );
}

/** The canary backend over HTTP, with the user's Backstage token (through `fetchApi`). */
export class CanaryClient implements CanaryApi {
  private readonly discoveryApi: CanaryClientOptions['discoveryApi'];
  private readonly fetchApi: CanaryClientOptions['fetchApi'];
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(options: CanaryClientOptions) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
    this.initialDelayMs = options.retry?.initialMs ?? 1000;
    this.maxDelayMs = options.retry?.maxMs ?? 30_000;
  }

  getEntityCanaries(entity: CompoundEntityRef): Promise<EntityCanariesResponse> {
    const { kind, namespace, name } = entity;
    return this.get(`/entity/${enc(kind)}/${enc(namespace)}/${enc(name)}/canaries`);
  }

  getCanary(ref: CanaryRef): Promise<CanaryDetail> {
    return this.get(canaryPath(ref));
  }

  listRollouts(
    ref: CanaryRef,
    page: { limit?: number; before?: string } = {},
  ): Promise<RolloutPage> {
    return this.get(`${canaryPath(ref)}/rollouts${query(page)}`);
  }

  getRollout(id: string): Promise<RolloutWithChecks> {
    return this.get(`/rollouts/${enc(id)}`);
  }

  getOverview(filter: OverviewFilter = {}): Promise<OverviewResponse> {
    return this.get(`/canaries${query({ ...filter })}`);
  }

  async requestAction(ref: CanaryRef, request: ActionRequest): Promise<ActionResponse> {
    const response = await this.fetchApi.fetch(await this.url(`${canaryPath(ref)}/actions`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as ActionResponse;
  }

  subscribe(handlers: StreamHandlers): StreamSubscription {
    const controller = new AbortController();
    void this.streamLoop(handlers, controller.signal);
    return { close: () => controller.abort() };
  }

  private async url(path: string): Promise<string> {
    return `${await this.discoveryApi.getBaseUrl('canary')}${path}`;
  }

  private async get<T>(path: string): Promise<T> {
    const response = await this.fetchApi.fetch(await this.url(path));
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }

  /** Reads the stream until aborted; reconnects with a doubling delay after a drop or a 5xx. */
  private async streamLoop(handlers: StreamHandlers, signal: AbortSignal): Promise<void> {
    const parser = new SseParser();
    let delay = this.initialDelayMs;
    while (!signal.aborted) {
      handlers.onState?.('connecting');
      try {
        const headers: Record<string, string> = { Accept: 'text/event-stream' };
        if (parser.lastEventId !== undefined) headers['Last-Event-ID'] = parser.lastEventId;
        const response = await this.fetchApi.fetch(await this.url('/stream'), {
          headers,
          signal,
        });
        if (!response.ok) {
          const error = await ResponseError.fromResponse(response);
          // A refusal (bad token, no permission) will not heal by retrying; 408/429 may.
          if (
            response.status >= 400 &&
            response.status < 500 &&
            ![408, 429].includes(response.status)
          ) {
            handlers.onState?.('failed', error);
            return;
          }
          throw error;
        }
        if (!response.body) throw new Error('The canary stream response has no body');
        handlers.onState?.('open');
        delay = this.initialDelayMs;
        await this.read(response.body, parser, handlers, signal);
        if (signal.aborted) return;
        handlers.onState?.('retrying', new Error('The canary stream ended'));
      } catch (error) {
        if (signal.aborted) return;
        handlers.onState?.('retrying', toError(error));
      }
      await sleep(delay, signal);
      delay = Math.min(delay * 2, this.maxDelayMs);
    }
  }

  private async read(
    body: ReadableStream<Uint8Array>,
    parser: SseParser,
    handlers: StreamHandlers,
    signal: AbortSignal,
  ): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const cancel = () => void reader.cancel().catch(() => undefined);
    signal.addEventListener('abort', cancel);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || signal.aborted) return;
        for (const event of parser.push(decoder.decode(value, { stream: true }))) {
          if (event.event !== 'canary' && event.event !== 'rollout') continue;
          let message: unknown;
          try {
            message = JSON.parse(event.data);
          } catch {
            continue; // one garbled event must not end the stream
          }
          if (isStreamMessage(message)) handlers.onMessage(message);
        }
      }
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
