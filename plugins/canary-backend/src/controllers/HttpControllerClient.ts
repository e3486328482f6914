// The client of one Aviary controller's HTTP API (/api/v1). Errors become ControllerError with the
// status the plugin's routes answer: 503 unreachable, the controller's 4xx with its message, 502
// for anything else. The bearer token goes only into the Authorization header, never into an
// error or a log line.
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ActionRequest,
  CanaryDetail,
  CanarySummary,
} from '@aviary/backstage-plugin-canary-common';
import type { ControllerConfig } from '../config/types';
import {
  ControllerError,
  type ControllerClient,
  type ControllerStreamMessage,
  type StreamHandle,
} from './types';
import { isObject, toDetail, toSummary, WireError } from './wire';
import { errorName, followStream, type StreamTiming } from './followStream';

export interface HttpControllerClientOptions {
  /** Per request (not for the stream), default 10 s. */
  timeoutMs?: number;
  stream?: Partial<StreamTiming>;
  logger?: LoggerService;
}

export class HttpControllerClient implements ControllerClient {
  readonly cluster: string;
  private readonly base: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;

  constructor(
    config: ControllerConfig,
    private readonly options: HttpControllerClientOptions = {},
  ) {
    this.cluster = config.name;
    this.base = `${config.url.replace(/\/+$/, '')}/api/v1`;
    this.token = config.token;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async list(filter: { namespace?: string } = {}): Promise<CanarySummary[]> {
    const query = filter.namespace ? `?namespace=${encodeURIComponent(filter.namespace)}` : '';
    const body = await this.request('GET', `/canaries${query}`);
    if (!isObject(body) || !Array.isArray(body.items))
      throw this.malformed('the canary list has no items');
    return this.wire(() => (body.items as unknown[]).map(item => toSummary(item, this.cluster)));
  }

  async get(namespace: string, name: string): Promise<CanaryDetail | undefined> {
    try {
      const body = await this.request('GET', this.path(namespace, name));
      return this.wire(() => toDetail(body, this.cluster));
    } catch (error) {
      if (error instanceof ControllerError && error.status === 404) return undefined;
      throw error;
    }
  }

  async act(
    namespace: string,
    name: string,
    request: ActionRequest & { onBehalfOf: string },
  ): Promise<{ requestId: string }> {
    const body = await this.request('POST', `${this.path(namespace, name)}/actions`, {
      action: request.action,
      reason: request.reason,
      ...(request.revision !== undefined ? { revision: request.revision } : {}),
      onBehalfOf: request.onBehalfOf,
    });
    if (!isObject(body) || typeof body.id !== 'string')
      throw this.malformed('the action answer has no request id');
    return { requestId: body.id };
  }

  stream(options: {
    lastEventId?: string;
    onMessage(message: ControllerStreamMessage): Promise<void>;
    onError?(error: Error): void;
  }): StreamHandle {
    return followStream({
      cluster: this.cluster,
      url: `${this.base}/stream`,
      headers: this.headers(),
      timing: this.options.stream,
      ...options,
    });
  }

  private path(namespace: string, name: string): string {
    return `/namespaces/${encodeURIComponent(namespace)}/canaries/${encodeURIComponent(name)}`;
  }

  private headers(): Record<string, string> {
    return {
      accept: 'application/json',
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
    };
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          ...this.headers(),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw this.unreachable(error);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw this.unreachable(error);
    }
    if (!response.ok) throw this.httpError(response.status, text);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw this.malformed('the answer is not JSON');
    }
  }

  private unreachable(error: unknown): ControllerError {
    const timedOut = errorName(error) === 'TimeoutError';
    const detail = timedOut ? ` (no answer within ${this.timeoutMs} ms)` : '';
    this.options.logger?.warn(`controller ${this.cluster} is unreachable${detail}`);
    return new ControllerError(
      this.cluster,
      503,
      `controller ${this.cluster} is unreachable${detail}`,
    );
  }

  private httpError(status: number, text: string): ControllerError {
    let message = '';
    try {
      const parsed = JSON.parse(text) as unknown;
      if (isObject(parsed) && typeof parsed.error === 'string') message = parsed.error;
    } catch {
      // Not the controller's JSON error body (a proxy's page, say): say only the status.
    }
    // 401 means the backend's configured token is wrong: the user's request is fine, ours is not.
    if (status === 401) {
      return new ControllerError(
        this.cluster,
        502,
        `controller ${this.cluster} refused the backend's token (401${message ? `: ${message}` : ''})`,
      );
    }
    if (status >= 400 && status < 500) {
      return new ControllerError(
        this.cluster,
        status,
        message || `controller ${this.cluster} answered ${status}`,
      );
    }
    return new ControllerError(
      this.cluster,
      502,
      `controller ${this.cluster} failed (${status}${message ? `: ${message}` : ''})`,
    );
  }

  private malformed(what: string): ControllerError {
    return new ControllerError(
      this.cluster,
      502,
      `controller ${this.cluster} sent an unexpected answer: ${what}`,
    );
  }

  private wire<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (error instanceof WireError) throw this.malformed(error.message);
      throw error;
    }
  }
}
