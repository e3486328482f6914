// A CanaryApi for tests and the dev app: canned answers, recorded calls, and a stream the test drives.
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
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  CanaryApi,
  OverviewFilter,
  StreamHandlers,
  StreamState,
  StreamSubscription,
} from '../api/CanaryApi';

type Answer<T> = T | Error | ((...args: never[]) => Promise<T>);

function answer<T>(value: Answer<T>, ...args: unknown[]): Promise<T> {
  if (value instanceof Error) return Promise.reject(value);
  if (typeof value === 'function') return (value as (...a: unknown[]) => Promise<T>)(...args);
  return Promise.resolve(value);
}

export interface FakeCanaryApiOptions {
  entityCanaries?: Answer<EntityCanariesResponse>;
  canary?: Answer<CanaryDetail>;
  rollouts?: Answer<RolloutPage>;
  rollout?: Answer<RolloutWithChecks>;
  overview?: Answer<OverviewResponse>;
  action?: Answer<ActionResponse>;
}

export class FakeCanaryApi implements CanaryApi {
  readonly calls = {
    getCanary: [] as CanaryRef[],
    listRollouts: [] as Array<{ ref: CanaryRef; page?: { limit?: number; before?: string } }>,
    getRollout: [] as string[],
    getOverview: [] as OverviewFilter[],
    requestAction: [] as Array<{ ref: CanaryRef; request: ActionRequest }>,
  };
  private readonly subscribers = new Set<StreamHandlers>();

  constructor(private readonly options: FakeCanaryApiOptions = {}) {}

  getEntityCanaries(entity: CompoundEntityRef): Promise<EntityCanariesResponse> {
    return answer(this.options.entityCanaries ?? { entityRef: '', canaries: [] }, entity);
  }

  getCanary(ref: CanaryRef): Promise<CanaryDetail> {
    this.calls.getCanary.push(ref);
    if (!this.options.canary) return Promise.reject(new Error(`no canary ${ref.name}`));
    return answer(this.options.canary, ref);
  }

  listRollouts(ref: CanaryRef, page?: { limit?: number; before?: string }): Promise<RolloutPage> {
    this.calls.listRollouts.push({ ref, page });
    return answer(this.options.rollouts ?? { items: [] }, ref, page);
  }

  getRollout(id: string): Promise<RolloutWithChecks> {
    this.calls.getRollout.push(id);
    if (!this.options.rollout) return Promise.reject(new Error(`no rollout ${id}`));
    return answer(this.options.rollout, id);
  }

  getOverview(filter: OverviewFilter = {}): Promise<OverviewResponse> {
    this.calls.getOverview.push(filter);
    return answer(this.options.overview ?? { items: [], unreachable: [] }, filter);
  }

  requestAction(ref: CanaryRef, request: ActionRequest): Promise<ActionResponse> {
    this.calls.requestAction.push({ ref, request });
    return answer(
      this.options.action ?? { requestId: 'req-1', action: request.action, ref },
      ref,
      request,
    );
  }

  subscribe(handlers: StreamHandlers): StreamSubscription {
    this.subscribers.add(handlers);
    handlers.onState?.('open');
    return { close: () => this.subscribers.delete(handlers) };
  }

  /** How many components listen to the stream now. */
  get subscriberCount(): number {
    return this.subscribers.size;
  }

  emit(message: CanaryStreamMessage): void {
    for (const handlers of [...this.subscribers]) handlers.onMessage(message);
  }

  emitState(state: StreamState, error?: Error): void {
    for (const handlers of [...this.subscribers]) handlers.onState?.(state, error);
  }
}
