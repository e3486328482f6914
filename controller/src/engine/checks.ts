// Asking for check results without leaving the pure world. A handler describes a round of
// checks; if the results are all in `t.results` it gets an answer, otherwise the tick records
// the round as pending and stops. The executor runs the round and calls the engine again with
// the results added; because the engine is deterministic, the replay reaches the same point and
// now finds the answers. Nothing runs that the path to a decision does not need.
import type { CanaryPhase } from '../api/types.js';
import type { Tick } from './context.js';
import { events } from './messages.js';
import { hooksOf, type EngineWebhook, type WebhookType } from './spec.js';
import type {
  Check,
  CheckResult,
  CheckRound,
  CheckStage,
  MetricRecord,
  Revision,
} from './types.js';
import { judgeVerdict, metricVerdict, requestCountVerdict, type Verdict } from './verdicts.js';

interface Answer {
  check: Check;
  result: CheckResult;
}

/**
 * Results of `round` in order, through the first one for which `decides` is true. Undefined
 * (with `t.pending` set to the checks still missing) when a needed result is not there yet.
 */
function collect(
  t: Tick,
  round: CheckRound,
  decides: (answer: Answer) => boolean,
): Answer[] | undefined {
  const answers: Answer[] = [];
  for (const [index, check] of round.checks.entries()) {
    const result = t.results[check.id];
    if (!result) {
      const missing = round.checks.slice(index).filter(c => !t.results[c.id]);
      t.pending = { ...round, checks: missing };
      return undefined;
    }
    answers.push({ check, result });
    if (decides({ check, result })) break;
  }
  return answers;
}

const hookCheck = (webhook: EngineWebhook, phase: CanaryPhase, revision: Revision): Check => ({
  kind: 'webhook',
  id: webhook.id,
  hook: webhook.hook,
  phase,
  revision,
});

/** The revision under analysis, as status records it. */
function analysed(t: Tick): Revision {
  return {
    lastAppliedSpec: t.status.lastAppliedSpec ?? '',
    trackedConfigs: t.status.trackedConfigs ?? {},
  };
}

const failed = (answer: Answer): boolean => 'ok' in answer.result && !answer.result.ok;

export interface GateResult {
  passed: string[];
  failed?: { name: string; error: string; muteAlert: boolean };
}

/** A gating hook type (confirm-*, pre-rollout): all must pass, in order. */
export function gate(
  t: Tick,
  stage: CheckStage & WebhookType,
  phase: CanaryPhase,
  revision: Revision = analysed(t),
): GateResult | undefined {
  const hooks = hooksOf(t.spec, stage);
  if (hooks.length === 0) return { passed: [] };
  const round: CheckRound = {
    stage,
    checks: hooks.map(h => hookCheck(h, phase, revision)),
    stopAt: 'first-failure',
  };
  const answers = collect(t, round, failed);
  if (!answers) return undefined;
  const result: GateResult = { passed: [] };
  for (const { check, result: r } of answers) {
    if (check.kind !== 'webhook') continue;
    if ('ok' in r && !r.ok) {
      const error = 'error' in r ? r.error : '';
      result.failed = { name: check.hook.name, error, muteAlert: check.hook.muteAlert ?? false };
    } else {
      result.passed.push(check.hook.name);
    }
  }
  return result;
}

/** Rollback hooks: the first one that succeeds asks for a rollback. */
export function rollbackSignal(t: Tick, phase: CanaryPhase): { signalledBy?: string } | undefined {
  const hooks = hooksOf(t.spec, 'rollback');
  if (hooks.length === 0) return {};
  const round: CheckRound = {
    stage: 'rollback',
    checks: hooks.map(h => hookCheck(h, phase, analysed(t))),
    stopAt: 'first-success',
  };
  const answers = collect(t, round, answer => !failed(answer));
  if (!answers) return undefined;
  const signal = answers.find(answer => !failed(answer));
  return signal?.check.kind === 'webhook' ? { signalledBy: signal.check.hook.name } : {};
}

export type Analysis =
  | { kind: 'pass'; records: MetricRecord[] }
  | { kind: 'fail' | 'hold'; message: string; records: MetricRecord[] };

/**
 * One analysis (spec 2.5 step 15 without pre-rollout): rollout hooks, then the request-count
 * guard, the metrics (built-in and inline first, then templates, each in spec order) and the
 * judge, stopping at the first check that does not pass.
 */
export function analyse(t: Tick): Analysis | undefined {
  const { spec } = t;
  const hooks = hooksOf(spec, 'rollout');
  const ordered = [
    ...spec.metrics.filter(m => m.source !== 'template'),
    ...spec.metrics.filter(m => m.source === 'template'),
  ];
  const checks: Check[] = [
    ...hooks.map(h => hookCheck(h, 'Progressing', analysed(t))),
    ...(spec.minRequestCount > 0 ? [{ kind: 'request-count' as const, id: 'request-count' }] : []),
    ...ordered.map(m => ({
      kind: 'metric' as const,
      id: m.id,
      metric: m.metric,
      source: m.source,
    })),
    ...(spec.judge ? [{ kind: 'judge' as const, id: 'judge' }] : []),
  ];
  const verdicts: Verdict[] = [];
  const verdictOf = (answer: Answer): Verdict => {
    const { check, result } = answer;
    switch (check.kind) {
      case 'webhook':
        return 'ok' in result && !result.ok
          ? {
              kind: 'fail',
              message: events.rolloutHookFailed(
                spec,
                check.hook.name,
                'error' in result ? result.error : '',
              ),
            }
          : { kind: 'pass' };
      case 'request-count':
        return requestCountVerdict(spec, result);
      case 'judge':
        return judgeVerdict(spec, result);
      case 'metric': {
        const metric = spec.metrics.find(m => m.id === check.id);
        return metric ? metricVerdict(spec, metric, result) : { kind: 'pass' };
      }
      default:
        return { kind: 'pass' };
    }
  };
  if (checks.length > 0) {
    const round: CheckRound = { stage: 'analysis', checks, stopAt: 'first-failure' };
    const answers = collect(t, round, answer => {
      const verdict = verdictOf(answer);
      verdicts.push(verdict);
      return verdict.kind !== 'pass';
    });
    if (!answers) return undefined;
  }
  const records = verdicts.flatMap(v => ('record' in v && v.record ? [v.record] : []));
  for (const verdict of verdicts) {
    if (verdict.kind !== 'pass') return { kind: verdict.kind, message: verdict.message, records };
  }
  return { kind: 'pass', records };
}

/** Metric-provider availability while initializing (only reported, never blocking). */
export function providersCheck(t: Tick): CheckResult | undefined {
  const round: CheckRound = {
    stage: 'metric-providers',
    checks: [{ kind: 'providers', id: 'providers' }],
    stopAt: 'none',
  };
  const answers = collect(t, round, () => false);
  return answers?.[0]?.result;
}
