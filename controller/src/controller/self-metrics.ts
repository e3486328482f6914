// The controller's own Prometheus metrics: Flagger's set (spec 5.2) under `aviary_`, with the
// same label sets (`name` is the target's name, as Flagger records it), plus a few runtime
// series of our own (queue lag, tick errors, metric batching, leadership).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MetricRecord } from '../engine/types.js';

export interface CanaryLabels {
  /** The canary's target (Flagger's `name` label is `spec.targetRef.name`). */
  target: string;
  namespace: string;
}

export class SelfMetrics {
  readonly registry = new Registry();
  private readonly info: Gauge;
  private readonly total: Gauge;
  private readonly status: Gauge;
  private readonly weight: Gauge;
  private readonly analysis: Gauge;
  private readonly duration: Histogram;
  private readonly successes: Counter;
  private readonly failures: Counter;
  private readonly lag: Histogram;
  private readonly tickErrors: Counter;
  private readonly builtinQueries: Counter;
  private readonly builtinTargets: Counter;
  private readonly leader: Gauge;
  /** Metric names per canary with an analysis gauge, to drop them when the canary goes. */
  private readonly analysed = new Map<string, Set<string>>();

  constructor(options: { version: string; processMetrics?: boolean }) {
    const registers = [this.registry];
    this.info = new Gauge({
      name: 'aviary_info',
      help: 'Aviary version and mesh provider',
      labelNames: ['version', 'mesh_provider'],
      registers,
    });
    this.info.set({ version: options.version, mesh_provider: 'istio' }, 1);
    this.total = new Gauge({
      name: 'aviary_canary_total',
      help: 'Number of canaries per namespace',
      labelNames: ['namespace'],
      registers,
    });
    this.status = new Gauge({
      name: 'aviary_canary_status',
      help: 'Last canary status: 0 progressing, 1 any other phase (e.g. succeeded), 2 failed',
      labelNames: ['name', 'namespace'],
      registers,
    });
    this.weight = new Gauge({
      name: 'aviary_canary_weight',
      help: 'Traffic weight of the primary (<target>-primary) and canary (<target>) workloads',
      labelNames: ['workload', 'namespace'],
      registers,
    });
    this.analysis = new Gauge({
      name: 'aviary_canary_metric_analysis',
      help: 'Last value of each analysis metric (success rate in %, duration in seconds)',
      labelNames: ['name', 'namespace', 'metric'],
      registers,
    });
    this.duration = new Histogram({
      name: 'aviary_canary_duration_seconds',
      help: 'Duration of each analysing tick',
      labelNames: ['name', 'namespace'],
      registers,
    });
    const outcomeLabels = ['name', 'namespace', 'deployment_strategy', 'analysis_status'];
    this.successes = new Counter({
      name: 'aviary_canary_successes_total',
      help: 'Promotions',
      labelNames: outcomeLabels,
      registers,
    });
    this.failures = new Counter({
      name: 'aviary_canary_failures_total',
      help: 'Rollbacks and failed promotions',
      labelNames: outcomeLabels,
      registers,
    });
    this.lag = new Histogram({
      name: 'aviary_tick_lag_seconds',
      help: 'How late each tick started after its due time',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60],
      registers,
    });
    this.tickErrors = new Counter({
      name: 'aviary_tick_errors_total',
      help: 'Ticks that ended with an error (retried with backoff)',
      registers,
    });
    this.builtinQueries = new Counter({
      name: 'aviary_builtin_metric_queries_total',
      help: 'Grouped built-in metric queries sent to Prometheus',
      labelNames: ['metric'],
      registers,
    });
    this.builtinTargets = new Counter({
      name: 'aviary_builtin_metric_targets_total',
      help: 'Canary workloads answered by the grouped built-in metric queries',
      labelNames: ['metric'],
      registers,
    });
    this.leader = new Gauge({
      name: 'aviary_leader',
      help: '1 while this replica holds the leader lease (or runs without leader election)',
      registers,
    });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** An engine `recordMetric` notification. */
  record(canary: CanaryLabels, record: MetricRecord): void {
    const labels = { name: canary.target, namespace: canary.namespace };
    switch (record.metric) {
      case 'status':
        this.status.set(labels, record.value);
        return;
      case 'weight':
        this.weight.set(
          { workload: `${canary.target}-primary`, namespace: canary.namespace },
          record.primary,
        );
        this.weight.set({ workload: canary.target, namespace: canary.namespace }, record.canary);
        return;
      case 'analysis': {
        this.analysis.set({ ...labels, metric: record.name }, record.value);
        const key = `${canary.namespace}/${canary.target}`;
        this.analysed.set(key, (this.analysed.get(key) ?? new Set()).add(record.name));
        return;
      }
      case 'successes':
      case 'failures': {
        const counter = record.metric === 'successes' ? this.successes : this.failures;
        counter.inc({
          ...labels,
          deployment_strategy: record.strategy,
          analysis_status: record.analysisStatus,
        });
        return;
      }
    }
  }

  analysingTick(canary: CanaryLabels, seconds: number): void {
    this.duration.observe({ name: canary.target, namespace: canary.namespace }, seconds);
  }

  /** Gauges of a canary that no longer exists stop being exported (counters are kept). */
  forget(canary: CanaryLabels): void {
    const labels = { name: canary.target, namespace: canary.namespace };
    this.status.remove(labels);
    this.weight.remove({ workload: `${canary.target}-primary`, namespace: canary.namespace });
    this.weight.remove({ workload: canary.target, namespace: canary.namespace });
    const key = `${canary.namespace}/${canary.target}`;
    for (const metric of this.analysed.get(key) ?? []) this.analysis.remove({ ...labels, metric });
    this.analysed.delete(key);
  }

  setCanaryTotals(perNamespace: ReadonlyMap<string, number>): void {
    this.total.reset();
    for (const [namespace, count] of perNamespace) this.total.set({ namespace }, count);
  }

  tickStarted(lagMs: number): void {
    this.lag.observe(lagMs / 1000);
  }

  tickFailed(): void {
    this.tickErrors.inc();
  }

  builtinFlush(metric: string, targets: number): void {
    this.builtinQueries.inc({ metric });
    this.builtinTargets.inc({ metric }, targets);
  }

  setLeader(leading: boolean): void {
    this.leader.set(leading ? 1 : 0);
  }

  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
