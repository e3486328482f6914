// Talking to Aviary controllers over their HTTP API (/api/v1).
import type {
  ActionRequest,
  CanaryDetail,
  CanarySummary,
} from '@aviary/backstage-plugin-canary-common';

/** A controller did not answer, or answered with an error; `status` is what the plugin's route returns. */
export class ControllerError extends Error {
  constructor(
    readonly cluster: string,
    /** 503 when unreachable; the controller's 4xx passed through; 502 for other upstream failures. */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ControllerError';
  }
}

/** One message of the controller's SSE stream (`GET /api/v1/stream`). */
export type ControllerStreamMessage =
  | { kind: 'hello'; id?: string }
  /** The controller lost track (restart, ring overflow): re-list everything. */
  | { kind: 'reset'; id?: string }
  | { kind: 'canary'; id?: string; type: 'add' | 'update' | 'delete'; canary: CanarySummary };

export interface StreamHandle {
  close(): void;
}

/** Client for one controller. Summaries and details carry `cluster` = the controller's name. */
export interface ControllerClient {
  readonly cluster: string;
  list(filter?: { namespace?: string }): Promise<CanarySummary[]>;
  /** undefined when the controller says 404. */
  get(namespace: string, name: string): Promise<CanaryDetail | undefined>;
  /** Returns the controller's request id. `onBehalfOf` is the Backstage user entity ref. */
  act(
    namespace: string,
    name: string,
    request: ActionRequest & { onBehalfOf: string },
  ): Promise<{ requestId: string }>;
  /**
   * Follows the live stream, reconnecting with Last-Event-ID after disconnects (with backoff) until
   * closed. `onMessage` is awaited before the next message is handled, so consumers see order.
   */
  stream(options: {
    lastEventId?: string;
    onMessage(message: ControllerStreamMessage): Promise<void>;
    onError?(error: Error): void;
  }): StreamHandle;
}

export interface ControllerRegistry {
  clusters(): string[];
  /** Throws ControllerError(404) for an unknown cluster name. */
  get(cluster: string): ControllerClient;
  /** The cluster an annotation without `cluster:` means. */
  defaultCluster(): string;
}
