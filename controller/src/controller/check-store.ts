// The metric check results of each canary's running analysis, for the HTTP API's detail view.
// In memory only (a restart starts empty; durable history is the Backstage backend's job), bounded
// per canary, and cleared when a new analysis starts: the analysed revision changed, or the canary
// re-entered an active phase from an idle one.
import type { CanaryPhase } from '../api/types.js';
import type { EngineSpec } from '../engine/index.js';
import type { CheckResults } from '../engine/types.js';
import { metricVerdict } from '../engine/index.js';
import { isActive } from './progressing.js';

/** One metric check as the API serves it. */
export interface CheckRecord {
  time: string;
  metric: string;
  value: number | null;
  outcome: 'value' | 'no-data' | 'error';
  thresholdRange: { min?: number; max?: number };
  verdict: 'pass' | 'fail' | 'skip';
  message?: string;
}

export const DEFAULT_CHECKS_PER_CANARY = 100;

interface Entry {
  revision: string | undefined;
  active: boolean;
  records: CheckRecord[];
}

export interface AnalysisState {
  /** `status.lastAppliedSpec` as the tick read it. */
  revision: string | undefined;
  phase: CanaryPhase | undefined;
  /** The tick's actions start an analysis (idle → Progressing). */
  starting: boolean;
}

export class CheckStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity = DEFAULT_CHECKS_PER_CANARY) {}

  /**
   * Records the metric checks of one tick (`results` by check id; checks the tick did not run
   * are absent). Call on every tick, even one without results, so a new analysis is noticed.
   */
  record(
    key: string,
    state: AnalysisState,
    spec: EngineSpec | undefined,
    results: CheckResults,
    time: string,
  ): void {
    const entry = this.entry(key, state);
    if (!spec) return;
    for (const resolved of spec.metrics) {
      const result = results[resolved.id];
      if (!result || result.kind !== 'metric') continue;
      const verdict = metricVerdict(spec, resolved, result);
      const record: CheckRecord = {
        time,
        metric: resolved.metric.name,
        value: result.outcome === 'value' ? result.value : null,
        outcome: result.outcome,
        thresholdRange: { ...resolved.range },
        verdict: verdict.kind === 'hold' ? 'skip' : verdict.kind,
        ...(verdict.kind !== 'pass' ? { message: verdict.message } : {}),
      };
      entry.records.push(record);
    }
    if (entry.records.length > this.capacity) {
      entry.records.splice(0, entry.records.length - this.capacity);
    }
  }

  /** The recorded checks, oldest first. */
  get(namespace: string, name: string): CheckRecord[] {
    return [...(this.entries.get(`${namespace}/${name}`)?.records ?? [])];
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  private entry(key: string, state: AnalysisState): Entry {
    const active = isActive(state.phase);
    const known = this.entries.get(key);
    const newRun =
      !known || known.revision !== state.revision || state.starting || (!known.active && active);
    if (newRun) {
      const fresh: Entry = { revision: state.revision, active, records: [] };
      this.entries.set(key, fresh);
      return fresh;
    }
    known.active = active;
    return known;
  }
}
