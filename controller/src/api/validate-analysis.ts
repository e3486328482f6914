// Rules for spec.analysis that the schema cannot express.
import { isBuiltinMetric } from './names.js';
import { indexField, joinField, problem } from './problems.js';
import {
  asArray,
  asNumber,
  asObject,
  asString,
  checkDuration,
  checkStringMatchMap,
  checkUrl,
  isCookieName,
  type Problems,
} from './validate-helpers.js';

function checkStrategy(
  analysis: Record<string, unknown>,
  field: string,
  requireOne: boolean,
  out: Problems,
): void {
  const iterations = (asNumber(analysis.iterations) ?? 0) > 0;
  const stepWeight = (asNumber(analysis.stepWeight) ?? 0) > 0;
  const stepWeights = asArray(analysis.stepWeights).length > 0;
  if (iterations && stepWeight) {
    out.push(
      problem(
        `${field}.stepWeight`,
        `cannot be combined with ${field}.iterations: iterations selects Blue/Green or A/B testing, stepWeight a progressive canary. Set only one of them.`,
      ),
    );
  }
  if (iterations && stepWeights) {
    out.push(
      problem(
        `${field}.stepWeights`,
        `cannot be combined with ${field}.iterations: iterations selects Blue/Green or A/B testing, stepWeights a progressive canary. Set only one of them.`,
      ),
    );
  }
  if (stepWeight && stepWeights) {
    out.push(
      problem(
        `${field}.stepWeights`,
        `cannot be combined with ${field}.stepWeight. Set only one of them.`,
      ),
    );
  }
  if (requireOne && !iterations && !stepWeight && !stepWeights) {
    out.push(
      problem(
        field,
        'must set one of stepWeight, stepWeights (progressive canary) or iterations (Blue/Green, A/B testing); without them the canary would never advance.',
      ),
    );
  }
  let previous: number | undefined;
  asArray(analysis.stepWeights).forEach((value, i) => {
    const step = asNumber(value);
    if (step === undefined) return;
    if (previous !== undefined && step <= previous) {
      out.push(
        problem(
          indexField(`${field}.stepWeights`, i),
          `is ${step}, but each step must be larger than the one before it (${previous}).`,
        ),
      );
    }
    previous = step;
  });
}

/** Built-in names of Flagger before 1.0 that Flagger itself no longer recognises. */
const RENAMED_METRICS: Record<string, string> = {
  istio_requests_total: 'request-success-rate',
  istio_request_duration_seconds_bucket: 'request-duration',
};

function checkMetrics(analysis: Record<string, unknown>, field: string, out: Problems): void {
  asArray(analysis.metrics).forEach((entry, i) => {
    const metric = asObject(entry);
    if (!metric) return;
    const at = indexField(`${field}.metrics`, i);
    const name = asString(metric.name) ?? '';
    const label = JSON.stringify(name);
    const hasTemplate = asObject(metric.templateRef) !== undefined;
    const hasQuery = (asString(metric.query) ?? '') !== '';
    const renamed = RENAMED_METRICS[name];
    if (!hasTemplate && !hasQuery && renamed) {
      out.push(
        problem(
          `${at}.name`,
          `is ${label}, the pre-1.0 Flagger name of a built-in metric: rename it to ${renamed}.`,
        ),
      );
    } else if (!hasTemplate && !hasQuery && name && !isBuiltinMetric(name)) {
      out.push(
        problem(
          `${at}.templateRef`,
          `is required for metric ${label}: only request-success-rate and request-duration are built in (the deprecated query field also works).`,
        ),
      );
    }
    const range = asObject(metric.thresholdRange);
    if (range) {
      const min = asNumber(range.min);
      const max = asNumber(range.max);
      if (range.min === undefined && range.max === undefined) {
        out.push(problem(`${at}.thresholdRange`, `must set min, max or both for metric ${label}.`));
      }
      if (min !== undefined && max !== undefined && min > max) {
        out.push(
          problem(
            `${at}.thresholdRange.min`,
            `(${min}) is larger than max (${max}) for metric ${label}, so no value could pass.`,
          ),
        );
      }
    } else if (metric.threshold === undefined && name) {
      out.push(
        problem(
          `${at}.thresholdRange`,
          `is required for metric ${label}: set min and/or max (Flagger would silently treat a missing range as "at most 0").`,
        ),
      );
    }
    checkDuration(metric.interval, `${at}.interval`, out, true);
  });
}

function checkWebhooks(analysis: Record<string, unknown>, field: string, out: Problems): void {
  asArray(analysis.webhooks).forEach((entry, i) => {
    const hook = asObject(entry);
    if (!hook) return;
    const at = indexField(`${field}.webhooks`, i);
    checkUrl(hook.url, `${at}.url`, out);
    checkDuration(hook.timeout, `${at}.timeout`, out);
  });
}

function checkSessionAffinity(analysis: Record<string, unknown>, field: string, out: Problems) {
  const affinity = asObject(analysis.sessionAffinity);
  if (!affinity) return;
  const at = `${field}.sessionAffinity`;
  for (const key of ['cookieName', 'primaryCookieName']) {
    const name = asString(affinity[key]);
    if (name !== undefined && name !== '' && !isCookieName(name)) {
      out.push(
        problem(
          `${at}.${key}`,
          `is ${JSON.stringify(name)}, which is not a valid cookie name: use letters, digits and !#$%&'*+-.^_\`|~ only.`,
        ),
      );
    }
  }
  if (affinity.cookieName === '') out.push(problem(`${at}.cookieName`, 'must not be empty.'));
  const primary = asString(affinity.primaryCookieName);
  if (primary && primary === affinity.cookieName) {
    out.push(
      problem(
        `${at}.primaryCookieName`,
        `must differ from ${at}.cookieName (both are ${JSON.stringify(primary)}), otherwise clients cannot be told apart.`,
      ),
    );
  }
}

function checkJudge(analysis: Record<string, unknown>, field: string, out: Problems): void {
  const judge = asObject(analysis.judge);
  if (!judge) return;
  const at = `${field}.judge`;
  const metricNames = asArray(analysis.metrics).map(m => asString(asObject(m)?.name));
  const compared = asArray(judge.metrics);
  if (judge.metrics === undefined && !metricNames.some(name => name && isBuiltinMetric(name))) {
    out.push(
      problem(
        `${at}.metrics`,
        `has nothing to compare: add request-success-rate or request-duration to ${field}.metrics, or list the metrics to compare here.`,
      ),
    );
  }
  const seen = new Set<string>();
  compared.forEach((entry, j) => {
    const item = asObject(entry);
    const name = asString(item?.name);
    if (!item || name === undefined) return;
    const itemAt = indexField(`${at}.metrics`, j);
    const label = JSON.stringify(name);
    const count = metricNames.filter(n => n === name).length;
    if (count === 0) {
      out.push(
        problem(
          `${itemAt}.name`,
          `is ${label}, which is not the name of an entry in ${field}.metrics.`,
        ),
      );
    } else if (count > 1) {
      out.push(
        problem(
          `${itemAt}.name`,
          `is ${label}, but ${field}.metrics has ${count} entries with that name.`,
        ),
      );
    }
    if (seen.has(name)) out.push(problem(`${itemAt}.name`, `lists ${label} a second time.`));
    seen.add(name);
    if (count > 0 && item.direction === undefined && !isBuiltinMetric(name)) {
      out.push(
        problem(
          `${itemAt}.direction`,
          `is required for metric ${label}: only the built-in metrics have a known direction (higherIsBetter or lowerIsBetter).`,
        ),
      );
    }
  });
}

/** `field` is spec.analysis, or spec.canaryAnalysis when only the deprecated alias is set. */
export function validateAnalysis(
  analysis: Record<string, unknown>,
  field: string,
  skipAnalysis: boolean,
  out: Problems,
): void {
  checkDuration(analysis.interval, `${field}.interval`, out);
  // With skipAnalysis nothing advances step by step, so no strategy is needed.
  checkStrategy(analysis, field, !skipAnalysis, out);
  checkMetrics(analysis, field, out);
  checkWebhooks(analysis, field, out);
  checkSessionAffinity(analysis, field, out);
  checkJudge(analysis, field, out);
  asArray(analysis.match).forEach((entry, i) => {
    const match = asObject(entry);
    if (!match) return;
    const at = indexField(`${field}.match`, i);
    checkStringMatchMap(match.headers, joinField(at, 'headers'), out);
    checkStringMatchMap(match.queryParams, joinField(at, 'queryParams'), out);
  });
}
