// Runs one round of checks the engine asked for (`measure`), honouring the round's stopping rule:
// gating webhooks stop at the first failure, rollback hooks at the first success, and read-only
// checks (metrics, request count, judge) run together once the hooks before them passed.
import { DEFAULT_INTERVAL_MS, MIN_INTERVAL_MS, parseGoDuration } from '../api/index.js';
import type { Canary } from '../api/types.js';
import type { Check, CheckResult, CheckRound } from '../engine/types.js';
import type { MetricsProvider } from '../metrics/index.js';
import { MetricsError, renderQuery } from '../metrics/index.js';
import { hookPayload, type WebhookCaller } from '../webhooks/index.js';
import { runJudge } from './judge.js';
import { measureMetric, metricsServerOf, templateProvider, type MeasureDeps } from './measure.js';

export interface CheckDeps extends MeasureDeps {
  webhooks: WebhookCaller;
}

export async function runRound(
  canary: Canary,
  round: CheckRound,
  deps: CheckDeps,
): Promise<Record<string, CheckResult>> {
  const results: Record<string, CheckResult> = {};
  const rest: Check[] = [];
  for (const check of round.checks) {
    if (check.kind !== 'webhook') {
      rest.push(check);
      continue;
    }
    // Hooks run in order; later read-only checks wait until every hook before them passed.
    const result = await runCheck(canary, check, deps);
    results[check.id] = result;
    const ok = 'ok' in result && result.ok;
    if (round.stopAt === 'first-failure' && !ok) return results;
    if (round.stopAt === 'first-success' && ok) return results;
  }
  const answers = await Promise.all(rest.map(check => runCheck(canary, check, deps)));
  rest.forEach((check, i) => {
    const answer = answers[i];
    if (answer) results[check.id] = answer;
  });
  return results;
}

export async function runCheck(
  canary: Canary,
  check: Check,
  deps: CheckDeps,
): Promise<CheckResult> {
  switch (check.kind) {
    case 'webhook': {
      // The checksum identifies the revision the hook is asked about, which for confirm-rollout
      // is the pending one rather than the one in status.
      const about: Canary = { ...canary, status: { ...canary.status, ...check.revision } };
      const result = await deps.webhooks.call(
        check.hook,
        hookPayload(about, check.phase, check.hook),
      );
      return result.ok
        ? { kind: 'webhook', ok: true }
        : { kind: 'webhook', ok: false, error: result.error };
    }
    case 'metric': {
      const measured = await measureMetric(canary, check.metric, check.source, deps);
      return { kind: 'metric', ...measured };
    }
    case 'providers':
      return checkProviders(canary, deps);
    case 'request-count':
      return requestCount(canary, deps);
    case 'judge':
      return runJudge(canary, deps);
  }
}

/** Initialization report (U18): the canary's server answers `vector(1)`, templates' servers answer. */
async function checkProviders(canary: Canary, deps: CheckDeps): Promise<CheckResult> {
  const metrics = (canary.spec.analysis ?? canary.spec.canaryAnalysis)?.metrics ?? [];
  const probes: Array<Promise<void>> = [];
  if (metrics.some(m => !m.templateRef)) {
    probes.push(
      (async () => {
        const provider: MetricsProvider = deps.prometheus(metricsServerOf(canary, deps));
        await provider.isOnline();
      })(),
    );
  }
  for (const metric of metrics.filter(m => m.templateRef)) {
    const found = templateProvider(canary, metric, deps);
    probes.push(
      'error' in found ? Promise.reject(new Error(found.error)) : found.provider.isOnline(),
    );
  }
  const outcomes = await Promise.allSettled(probes);
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (!failure) return { kind: 'providers', ok: true };
  const reason: unknown = failure.reason;
  return {
    kind: 'providers',
    ok: false,
    error: reason instanceof Error ? reason.message : String(reason),
  };
}

const REQUEST_COUNT = `sum(increase(istio_requests_total{reporter="destination", destination_workload_namespace="{{ namespace }}", destination_workload=~"{{ target }}"}[{{ interval }}]))`;

/** Requests the canary served within one analysis interval (`minRequestCount`). */
async function requestCount(canary: Canary, deps: CheckDeps): Promise<CheckResult> {
  const interval = (canary.spec.analysis ?? canary.spec.canaryAnalysis)?.interval;
  const parsed = interval ? parseGoDuration(interval) : undefined;
  const seconds = Math.round(Math.max(MIN_INTERVAL_MS, parsed ?? DEFAULT_INTERVAL_MS) / 1000);
  const query = renderQuery(REQUEST_COUNT, {
    name: canary.metadata.name ?? '',
    namespace: canary.metadata.namespace ?? 'default',
    target: canary.spec.targetRef.name,
    service: canary.spec.service.name || canary.spec.targetRef.name,
    interval: `${seconds}s`,
  });
  try {
    const provider = deps.prometheus(metricsServerOf(canary, deps));
    const count = await deps.queryLimiter.run(() => provider.runQuery(query));
    return { kind: 'request-count', ok: true, count };
  } catch (err) {
    if (err instanceof MetricsError && err.kind === 'no-data') {
      return { kind: 'request-count', ok: true, count: 0 };
    }
    return {
      kind: 'request-count',
      ok: false,
      error: err instanceof Error ? err.message : String(err),
    };
  }
}
