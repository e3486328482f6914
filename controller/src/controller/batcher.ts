// Coalesces the built-in Istio metric checks of all canaries that ask within one short window
// into one grouped query per Prometheus server and metric (metrics/fetchBuiltinMetric), then
// hands each canary its own value. Canaries due at the same time reach their analysis round
// within milliseconds of each other, so a window of ~100 ms catches them at no visible cost
// against analysis intervals of 10 s and more.
import type { BatchTarget, BatchValue, BuiltinTarget, PrometheusApi } from '../metrics/index.js';
import { MetricsError, fetchBuiltinMetric } from '../metrics/index.js';
import type { BuiltinMetricName } from '../api/types.js';
import type { Clock } from './clock.js';

export interface BatcherOptions {
  clock: Clock;
  /** How long the first request of a group waits for others. */
  windowMs: number;
  /** The client for a Prometheus base URL (one per server, reused). */
  apiFor(server: string): PrometheusApi;
  /** A group is flushed at once when it reaches this many distinct targets. */
  maxTargets?: number;
  /** Told about every flush: for the self metrics and the tests. */
  onFlush?(flush: { server: string; metric: BuiltinMetricName; targets: number }): void;
}

interface Group {
  server: string;
  metric: BuiltinMetricName;
  targets: Map<string, BatchTarget>;
  waiters: Map<string, Array<(value: BatchValue) => void>>;
  cancel: () => void;
}

export class BuiltinMetricBatcher {
  private readonly groups = new Map<string, Group>();

  constructor(private readonly options: BatcherOptions) {}

  /** The value of `metric` for one canary target; never rejects (errors come back as values). */
  fetch(server: string, metric: BuiltinMetricName, target: BuiltinTarget): Promise<BatchValue> {
    const groupKey = `${metric} ${server}`;
    let group = this.groups.get(groupKey);
    if (!group) {
      const created: Group = {
        server,
        metric,
        targets: new Map(),
        waiters: new Map(),
        cancel: () => undefined,
      };
      created.cancel = this.options.clock.setTimer(this.options.windowMs, () => {
        void this.flush(groupKey, created);
      });
      this.groups.set(groupKey, created);
      group = created;
    }
    // Same workload and window from two canaries (or two checks): one series, one answer.
    const key = `${target.namespace}/${target.target}/${target.interval}`;
    group.targets.set(key, { ...target, key });
    const result = new Promise<BatchValue>(resolve => {
      const list = group.waiters.get(key) ?? [];
      list.push(resolve);
      group.waiters.set(key, list);
    });
    if (group.targets.size >= (this.options.maxTargets ?? 200)) {
      group.cancel();
      void this.flush(groupKey, group);
    }
    return result;
  }

  private async flush(groupKey: string, group: Group): Promise<void> {
    if (this.groups.get(groupKey) === group) this.groups.delete(groupKey);
    const targets = [...group.targets.values()];
    this.options.onFlush?.({ server: group.server, metric: group.metric, targets: targets.length });
    let values: Map<string, BatchValue>;
    try {
      values = await fetchBuiltinMetric(this.options.apiFor(group.server), group.metric, targets);
    } catch (err) {
      const error =
        err instanceof MetricsError ? err : new MetricsError('bad-response', String(err));
      values = new Map(targets.map(t => [t.key, { ok: false, error }]));
    }
    for (const [key, resolvers] of group.waiters) {
      const value: BatchValue = values.get(key) ?? {
        ok: false,
        error: new MetricsError('no-data', 'no values found'),
      };
      for (const resolve of resolvers) resolve(value);
    }
  }
}
