// Where `aviary` reads canaries and requests actions: the controller HTTP API (bearer token; the
// live stream for `wait`), or straight against the cluster with a kubeconfig (the same merge patch
// on spec.manualAction the API writes; `wait` polls).
import { randomUUID } from 'node:crypto';
import type { Canary } from '../api/types.js';
import type { ManualActionStatus } from '../http/api/view.js';
import { detail, summarize, type CanarySummary } from '../http/api/view.js';
import {
  CANARIES,
  DEPLOYMENTS,
  VIRTUAL_SERVICES,
  connect,
  createObjectWriter,
  type KubeClient,
  type ObjectWriter,
} from '../kube/index.js';
import type { VirtualService } from '../router/istio/types.js';
import type { Deployment } from '../workload/types.js';
import { readSse } from './sse-client.js';

export type CanaryDetail = ReturnType<typeof detail>;

export interface ListFilter {
  namespace?: string;
  labelSelector?: string;
  phase?: string;
}

export interface ActionRequest {
  action: string;
  revision?: string;
  reason?: string;
  onBehalfOf?: string;
}

export interface ActionAccepted {
  id: string;
  action: string;
  revision: string;
  requestedBy: string;
}

export class CliError extends Error {}

export interface Backend {
  list(filter: ListFilter): Promise<CanarySummary[]>;
  get(namespace: string, name: string): Promise<CanaryDetail | undefined>;
  act(namespace: string, name: string, request: ActionRequest): Promise<ActionAccepted>;
  /** Calls `onChange` with the canary now and at every change until `signal` aborts. */
  follow(
    namespace: string,
    name: string,
    onChange: (canary: CanarySummary, manualAction?: ManualActionStatus) => void,
    signal: AbortSignal,
  ): Promise<void>;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>(resolve => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

export class ApiBackend implements Backend {
  constructor(
    private readonly server: string,
    private readonly token: string | undefined,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  private url(path: string): string {
    return `${this.server.replace(/\/$/, '')}/api/v1${path}`;
  }

  private async call<T>(path: string, init: RequestInit = {}): Promise<T | undefined> {
    const res = await fetch(this.url(path), {
      ...init,
      headers: this.headers(init.headers as Record<string, string>),
    });
    if (res.status === 404 && !init.method) return undefined;
    const text = await res.text();
    if (!res.ok) {
      let message = text.trim();
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? message;
      } catch {
        // not JSON: keep the text
      }
      throw new CliError(`${res.status}: ${message}`);
    }
    return JSON.parse(text) as T;
  }

  async list(filter: ListFilter): Promise<CanarySummary[]> {
    const query = new URLSearchParams(
      Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    const q = query.size ? `?${query.toString()}` : '';
    return (await this.call<{ items: CanarySummary[] }>(`/canaries${q}`))?.items ?? [];
  }

  get(namespace: string, name: string): Promise<CanaryDetail | undefined> {
    return this.call<CanaryDetail>(`/namespaces/${namespace}/canaries/${name}`);
  }

  async act(namespace: string, name: string, request: ActionRequest): Promise<ActionAccepted> {
    const accepted = await this.call<ActionAccepted>(
      `/namespaces/${namespace}/canaries/${name}/actions`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
      },
    );
    if (!accepted) throw new CliError('no answer');
    return accepted;
  }

  async follow(
    namespace: string,
    name: string,
    onChange: (canary: CanarySummary, manualAction?: ManualActionStatus) => void,
    signal: AbortSignal,
  ): Promise<void> {
    let lastEventId: string | undefined;
    const refresh = async () => {
      const current = await this.get(namespace, name);
      if (!current) throw new CliError(`canary ${namespace}/${name} not found`);
      onChange(current, current.manualAction);
    };
    while (!signal.aborted) {
      try {
        const res = await fetch(this.url(`/stream?namespace=${encodeURIComponent(namespace)}`), {
          headers: this.headers(lastEventId ? { 'last-event-id': lastEventId } : {}),
          signal,
        });
        if (res.status >= 400 && res.status < 500) {
          throw new CliError(`${res.status}: ${await res.text().catch(() => '')}`.trim());
        }
        if (!res.ok || !res.body) throw new CliError(`stream: ${res.status}`);
        // Read the canary after subscribing, so no change falls between the read and the stream.
        if (!lastEventId) await refresh();
        for await (const event of readSse(res.body)) {
          if (event.id) lastEventId = event.id;
          if (event.event === 'reset') await refresh();
          if (event.event !== 'canary') continue;
          const data = JSON.parse(event.data) as { type: string; canary: CanarySummary };
          if (data.canary.namespace !== namespace || data.canary.name !== name) continue;
          if (data.type === 'delete') throw new CliError(`canary ${namespace}/${name} was deleted`);
          // The summary has no manual action; read it when the caller may need it.
          onChange(data.canary);
        }
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof CliError && !err.message.startsWith('stream:')) throw err;
        await sleep(1000, signal);
      }
    }
  }
}

export class ClusterBackend implements Backend {
  private readonly client: KubeClient;
  private readonly writer: ObjectWriter;

  constructor(
    kubeconfig: string | undefined,
    private readonly identity: string,
    private readonly pollMs = 2000,
  ) {
    this.client = connect(kubeconfig ? { kubeconfig } : {});
    this.writer = createObjectWriter(this.client);
  }

  close(): void {
    this.client.close();
  }

  async list(filter: ListFilter): Promise<CanarySummary[]> {
    const path = filter.namespace
      ? `/apis/${CANARIES.group}/${CANARIES.version}/namespaces/${filter.namespace}/${CANARIES.plural}`
      : `/apis/${CANARIES.group}/${CANARIES.version}/${CANARIES.plural}`;
    const list = await this.client.request<{ items: Canary[] }>({
      method: 'GET',
      path,
      query: { labelSelector: filter.labelSelector },
    });
    return list.items
      .map(summarize)
      .filter(s => !filter.phase || s.phase === filter.phase)
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  }

  async get(namespace: string, name: string): Promise<CanaryDetail | undefined> {
    const canary = await this.writer.read<Canary>(CANARIES, namespace, name);
    if (!canary) return undefined;
    const target = canary.spec?.targetRef?.name ?? '';
    const apex = canary.spec?.service?.name || target;
    const [vs, dep, primary] = await Promise.all([
      apex
        ? this.writer.read<VirtualService>(VIRTUAL_SERVICES, namespace, apex).catch(() => undefined)
        : undefined,
      this.writer.read<Deployment>(DEPLOYMENTS, namespace, target).catch(() => undefined),
      this.writer
        .read<Deployment>(DEPLOYMENTS, namespace, `${target}-primary`)
        .catch(() => undefined),
    ]);
    return detail(canary, {
      virtualService: () => vs,
      deployment: (_ns, n) => (n === target ? dep : primary),
      changes: () => [],
    });
  }

  async act(namespace: string, name: string, request: ActionRequest): Promise<ActionAccepted> {
    const canary = await this.writer.read<Canary>(CANARIES, namespace, name);
    if (!canary) throw new CliError(`canary ${namespace}/${name} not found`);
    const revision = request.revision ?? canary.status?.lastAppliedSpec;
    if (!revision)
      throw new CliError(
        'the canary has no revision yet (status.lastAppliedSpec); pass --revision',
      );
    const manualAction = {
      id: randomUUID(),
      action: request.action,
      revision,
      requestedBy: request.onBehalfOf ?? this.identity,
      reason: request.reason ?? '',
      requestedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    await this.writer.mergePatch(CANARIES, namespace, name, { spec: { manualAction } });
    return manualAction;
  }

  async follow(
    namespace: string,
    name: string,
    onChange: (canary: CanarySummary, manualAction?: ManualActionStatus) => void,
    signal: AbortSignal,
  ): Promise<void> {
    let last = '';
    while (!signal.aborted) {
      const canary = await this.writer.read<Canary>(CANARIES, namespace, name);
      if (!canary) throw new CliError(`canary ${namespace}/${name} not found`);
      const summary = summarize(canary);
      const manualAction = (canary.status as { manualAction?: ManualActionStatus } | undefined)
        ?.manualAction;
      const key = JSON.stringify([summary, manualAction]);
      if (key !== last) {
        last = key;
        onChange(summary, manualAction);
      }
      await sleep(this.pollMs, signal);
    }
  }
}
