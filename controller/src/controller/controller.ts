// The running controller: caches, the work queue and tick runner, leader election, and the
// wiring from watch events to the queue. With leader election, every replica keeps its caches
// warm (so it is ready and takes over in seconds) but only the leader's queue runs.
import type { GlobalNotifierConfig } from '../notify/index.js';
import { createGlobalNotifier, type AlertDeps, type ResolvedProvider } from '../notify/index.js';
import { PrometheusClient, type MetricsProvider } from '../metrics/index.js';
import {
  LeaderElector,
  createEventRecorder,
  createObjectWriter,
  errorText,
  type KubeClient,
} from '../kube/index.js';
import { HttpWebhookCaller } from '../webhooks/index.js';
import type { WorkloadOptions } from '../workload/index.js';
import type { Readiness } from '../http/server.js';
import { BuiltinMetricBatcher } from './batcher.js';
import { CheckStore } from './check-store.js';
import { systemClock, type Clock } from './clock.js';
import { Cluster, canaryKey } from './cluster.js';
import { Limiter } from './limiter.js';
import type { ControllerLogger } from './log.js';
import { ProgressingSlots } from './progressing.js';
import { WorkQueue } from './queue.js';
import { SelfMetrics } from './self-metrics.js';
import { TickRunner, type TickDeps } from './tick-runner.js';

export interface ControllerConfig {
  version: string;
  /** This replica (pod name): Lease holder, Event source host. */
  identity: string;
  namespace?: string;
  metricsServer: string;
  concurrency: number;
  /** 0: no cap. */
  maxProgressing: number;
  metricQueryConcurrency: number;
  metricsBatchWindowMs: number;
  clusterName?: string;
  eventWebhook?: string;
  notifier: GlobalNotifierConfig;
  workload: WorkloadOptions;
  leaderElection?: {
    namespace: string;
    name: string;
    leaseDurationMs?: number;
    renewDeadlineMs?: number;
    retryPeriodMs?: number;
  };
}

interface Term {
  queue: WorkQueue;
  abort: AbortController;
}

export class Controller {
  readonly metrics: SelfMetrics;
  /** Metric check results of the running analyses (in memory), for the HTTP API. */
  readonly checkStore = new CheckStore();
  private readonly cluster: Cluster;
  private readonly clock: Clock;
  private readonly deps: Omit<TickDeps, 'wake' | 'slots'>;
  private readonly elector: LeaderElector | undefined;
  private runner: TickRunner | undefined;
  private slots: ProgressingSlots | undefined;
  private term: Term | undefined;
  private role: Readiness['role'];
  /** Leadership changes are applied one after the other. */
  private transitions: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly client: KubeClient,
    private readonly config: ControllerConfig,
    private readonly log: ControllerLogger,
    clock: Clock = systemClock,
  ) {
    this.clock = clock;
    this.metrics = new SelfMetrics({ version: config.version, processMetrics: true });
    this.cluster = new Cluster({
      client,
      logger: log,
      ...(config.namespace ? { namespace: config.namespace } : {}),
    });
    const writer = createObjectWriter(client);
    const jsClock = () => clock.now().toJSDate();
    const webhooks = new HttpWebhookCaller();
    const clients = new Map<string, PrometheusClient>();
    const prometheus = (server: string): PrometheusClient => {
      let found = clients.get(server);
      if (!found) clients.set(server, (found = new PrometheusClient({ address: server })));
      return found;
    };
    const batcher = new BuiltinMetricBatcher({
      clock,
      windowMs: config.metricsBatchWindowMs,
      apiFor: prometheus,
      onFlush: flush => this.metrics.builtinFlush(flush.metric, flush.targets),
    });
    const cluster = this.cluster;
    this.deps = {
      cluster,
      writer,
      workload: {
        writer,
        read: (type, namespace, name) => readCached(cluster, type.plural, namespace, name),
        options: config.workload,
      },
      workloadOptions: config.workload,
      checks: {
        webhooks,
        batcher,
        prometheus: (server: string): MetricsProvider => prometheus(server),
        defaultMetricsServer: config.metricsServer,
        template: (namespace, name) => cluster.metricTemplates.get(namespace, name),
        secretData: (namespace, name) => decodeSecret(cluster, namespace, name),
        queryLimiter: new Limiter(config.metricQueryConcurrency),
      },
      notify: {
        recorder: createEventRecorder({
          writer,
          host: config.identity,
          clock: jsClock,
          logger: log,
        }),
        webhooks,
        ...(config.eventWebhook ? { globalEventUrl: config.eventWebhook } : {}),
        alerts: this.alertDeps(),
        metrics: this.metrics,
        clock,
      },
      metrics: this.metrics,
      checkStore: this.checkStore,
      clock,
      log,
    };
    this.role = config.leaderElection ? 'follower' : 'standalone';
    this.metrics.setLeader(!config.leaderElection);
    this.elector = config.leaderElection
      ? new LeaderElector({
          writer,
          ...config.leaderElection,
          identity: config.identity,
          clock: jsClock,
          logger: log,
        })
      : undefined;
    this.subscribe();
  }

  /** Resolves once the caches are synced and the controller works (or campaigns). */
  async start(): Promise<void> {
    await this.cluster.start();
    this.log.info('caches synced', { canaries: this.cluster.canaries.list().length });
    this.updateTotals();
    if (!this.elector) {
      this.startTerm();
      return;
    }
    void this.elector.run({
      onStartedLeading: () => {
        this.role = 'leader';
        this.metrics.setLeader(true);
        this.transitions = this.transitions.then(() => this.startTerm());
      },
      onStoppedLeading: () => {
        this.role = 'follower';
        this.metrics.setLeader(false);
        this.transitions = this.transitions.then(() => this.stopTerm());
      },
      onNewLeader: identity => this.log.info('leader observed', { leader: identity }),
    });
  }

  /** The informer caches, for read-only consumers such as the HTTP API. */
  caches(): Cluster {
    return this.cluster;
  }

  readiness(): Readiness {
    return { synced: this.cluster.synced, role: this.role };
  }

  /** Graceful: no new ticks, the ones in flight finish, the lease is released. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.elector?.stop({ release: true });
    await this.transitions;
    await this.stopTerm();
    await this.cluster.stop();
    this.client.close();
  }

  private startTerm(): void {
    if (this.stopped || this.term) return;
    const slots =
      this.config.maxProgressing > 0
        ? new ProgressingSlots(this.config.maxProgressing, () => this.latestCanaries())
        : undefined;
    const runner = new TickRunner({
      ...this.deps,
      ...(slots ? { slots } : {}),
      wake: keys => this.enqueueAll(keys),
    });
    this.slots = slots;
    this.runner = runner;
    const abort = new AbortController();
    const queue = new WorkQueue(key => runner.tick(key, abort.signal), {
      concurrency: this.config.concurrency,
      clock: this.clock,
      observer: {
        started: (_key, lagMs) => this.metrics.tickStarted(lagMs),
        failed: (key, error, retryInMs) => {
          this.metrics.tickFailed();
          this.log.error('tick failed', { canary: key, error: errorText(error), retryInMs });
        },
      },
    });
    this.term = { queue, abort };
    this.log.info('processing canaries', { concurrency: this.config.concurrency });
    this.enqueueAll(this.cluster.canaries.list().map(canaryKey));
  }

  private async stopTerm(): Promise<void> {
    const term = this.term;
    if (!term) return;
    this.term = undefined;
    term.abort.abort();
    await term.queue.stop();
    this.log.info('stopped processing canaries');
  }

  private enqueueAll(keys: readonly string[]): void {
    for (const key of keys) this.term?.queue.enqueue(key);
  }

  private *latestCanaries() {
    for (const cached of this.cluster.canaries.list()) {
      const key = canaryKey(cached);
      yield [key, this.runner?.current(key) ?? cached] as [string, typeof cached];
    }
  }

  private subscribe(): void {
    this.cluster.onCanaryChange((key, change) => {
      if (change.type === 'delete') {
        this.term?.queue.forget(key);
        this.runner?.forget(key);
        this.checkStore.forget(key);
        this.slots?.forget(key);
        this.metrics.forget({
          target: change.object.spec?.targetRef?.name ?? '',
          namespace: change.object.metadata.namespace ?? '',
        });
      } else {
        this.term?.queue.enqueue(key);
      }
      if (change.type !== 'update') this.updateTotals();
    });
    this.cluster.onDependencyChange(key => this.term?.queue.enqueue(key));
  }

  private updateTotals(): void {
    const counts = new Map<string, number>();
    for (const canary of this.cluster.canaries.list()) {
      const ns = canary.metadata.namespace ?? 'default';
      counts.set(ns, (counts.get(ns) ?? 0) + 1);
    }
    this.metrics.setCanaryTotals(counts);
  }

  private alertDeps(): AlertDeps {
    const global = createGlobalNotifier(this.config.notifier);
    if (global && 'error' in global) {
      this.log.warn('global notifier disabled', { error: global.error });
    }
    return {
      resolveProvider: async ref => this.resolveProvider(ref),
      ...(global && !('error' in global) ? { globalNotifier: global } : {}),
      ...(this.config.clusterName ? { clusterName: this.config.clusterName } : {}),
    };
  }

  private resolveProvider(ref: {
    name: string;
    namespace: string;
  }): ResolvedProvider | { error: string } {
    const provider = this.cluster.alertProviders.get(ref.namespace, ref.name);
    if (!provider) return { error: `alert provider ${ref.namespace}/${ref.name} not found` };
    const secretRef = provider.spec.secretRef;
    if (!secretRef) return { spec: provider.spec };
    const secret = decodeSecret(this.cluster, ref.namespace, secretRef.name);
    if (!secret) {
      return {
        error: `alert provider ${ref.namespace}/${ref.name}: secret ${secretRef.name} not found`,
      };
    }
    return { spec: provider.spec, secret };
  }
}

function decodeSecret(
  cluster: Cluster,
  namespace: string,
  name: string,
): Record<string, string> | undefined {
  const secret = cluster.secrets.get(namespace, name);
  if (!secret) return undefined;
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64').toString('utf8'),
    ]),
  );
}

/** Workload reads go to the caches; kinds the controller does not cache read as absent. */
function readCached<T>(cluster: Cluster, plural: string, namespace: string, name: string) {
  const caches: Record<string, { get(ns: string, n: string): unknown }> = {
    deployments: cluster.deployments,
    configmaps: cluster.configMaps,
    secrets: cluster.secrets,
    horizontalpodautoscalers: cluster.autoscalers,
    services: cluster.services,
  };
  return caches[plural]?.get(namespace, name) as T | undefined;
}
