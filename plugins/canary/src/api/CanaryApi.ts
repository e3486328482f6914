import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  ActionRequest,
  ActionResponse,
  CanaryDetail,
  CanaryPhase,
  CanaryRef,
  CanaryStreamMessage,
  EntityCanariesResponse,
  OverviewResponse,
  RolloutPage,
  RolloutWithChecks,
} from '@aviary/backstage-plugin-canary-common';

/** Filters of the org-wide overview; an absent field does not filter. */
export interface OverviewFilter {
  owner?: string;
  phase?: CanaryPhase;
  cluster?: string;
}

/** The state of the live stream, for a "live" / "reconnecting" hint. */
/** `failed`: the backend refused the stream (4xx); it is not retried. */
export type StreamState = 'connecting' | 'open' | 'retrying' | 'failed';

export interface StreamHandlers {
  onMessage(message: CanaryStreamMessage): void;
  onState?(state: StreamState, error?: Error): void;
}

/** A live subscription; `close` stops reading and any pending reconnect. */
export interface StreamSubscription {
  close(): void;
}

/** What the canary frontend needs from the canary backend (`/api/canary`). */
export interface CanaryApi {
  getEntityCanaries(entity: CompoundEntityRef): Promise<EntityCanariesResponse>;
  getCanary(ref: CanaryRef): Promise<CanaryDetail>;
  listRollouts(ref: CanaryRef, page?: { limit?: number; before?: string }): Promise<RolloutPage>;
  getRollout(id: string): Promise<RolloutWithChecks>;
  getOverview(filter?: OverviewFilter): Promise<OverviewResponse>;
  requestAction(ref: CanaryRef, request: ActionRequest): Promise<ActionResponse>;
  /** Subscribes to canary and rollout changes; reconnects by itself until closed. */
  subscribe(handlers: StreamHandlers): StreamSubscription;
}

export const canaryApiRef = createApiRef<CanaryApi>({ id: 'plugin.canary.service' });
