/**
 * Validation of Aviary's custom resources: the schema rules (derived from the same schema data as
 * the CRDs) plus the rules a schema cannot express. Every problem is returned, each naming its
 * field, so the controller can show them all at once on a condition and in a Warning Event.
 */
import { API_VERSION } from './names.js';
import { problem, type ValidationProblem } from './problems.js';
import { alertProviderCrd } from './schema/alert-provider.js';
import { canaryCrd, providers } from './schema/canary.js';
import type { CrdDefinition } from './schema/common.js';
import { metricProviderTypes, metricTemplateCrd } from './schema/metric-template.js';
import { validateSchema, type SchemaValidationOptions } from './schema-validate.js';
import { validateAnalysis } from './validate-analysis.js';
import { asObject, asString, checkUrl, type Problems } from './validate-helpers.js';
import { validateService } from './validate-service.js';

export type { ValidationProblem } from './problems.js';
export { summarizeProblems } from './problems.js';
export type ValidateOptions = SchemaValidationOptions;

function checkTypeMeta(object: Record<string, unknown>, def: CrdDefinition, out: Problems): void {
  const apiVersion = asString(object.apiVersion);
  if (apiVersion !== undefined && apiVersion !== API_VERSION) {
    const hint = apiVersion.startsWith('flagger.app/')
      ? ' (change the apiVersion of Flagger manifests)'
      : '';
    out.push(
      problem('apiVersion', `must be ${API_VERSION}, but is ${JSON.stringify(apiVersion)}${hint}.`),
    );
  }
  const kind = asString(object.kind);
  if (kind !== undefined && kind !== def.kind) {
    out.push(problem('kind', `must be ${def.kind}, but is ${JSON.stringify(kind)}.`));
  }
}

function validateObject(
  object: unknown,
  def: CrdDefinition,
  options: ValidateOptions,
  rules: (spec: Record<string, unknown>, out: Problems) => void,
): ValidationProblem[] {
  const out = validateSchema(object, def.schema, '', options);
  const root = asObject(object);
  if (!root) return out;
  checkTypeMeta(root, def, out);
  const spec = asObject(root.spec);
  if (spec) rules(spec, out);
  return out;
}

function canaryRules(spec: Record<string, unknown>, out: Problems): void {
  const provider = asString(spec.provider);
  // Values outside Flagger's list are already reported by the schema.
  if (provider && provider !== 'istio' && providers.includes(provider)) {
    out.push(
      problem(
        'spec.provider',
        `is ${JSON.stringify(provider)}, but Aviary routes traffic with Istio only: remove the field or set it to istio.`,
      ),
    );
  }
  const target = asObject(spec.targetRef);
  const kind = asString(target?.kind);
  if (kind && kind !== 'Deployment') {
    out.push(
      problem('spec.targetRef.kind', `is ${kind}, but Aviary can only release Deployments.`),
    );
  }
  checkUrl(spec.metricsServer, 'spec.metricsServer', out);

  const replicas = asObject(asObject(spec.autoscalerRef)?.primaryScalerReplicas);
  const min = replicas?.minReplicas;
  const max = replicas?.maxReplicas;
  if (typeof min === 'number' && typeof max === 'number' && min > max) {
    out.push(
      problem(
        'spec.autoscalerRef.primaryScalerReplicas.minReplicas',
        `(${min}) is larger than maxReplicas (${max}).`,
      ),
    );
  }

  checkManualAction(asObject(spec.manualAction), out);

  const service = asObject(spec.service);
  if (service) validateService(service, asString(target?.name), out);

  const skipAnalysis = spec.skipAnalysis === true;
  const analysis = asObject(spec.analysis);
  const alias = asObject(spec.canaryAnalysis);
  if (analysis) validateAnalysis(analysis, 'spec.analysis', skipAnalysis, out);
  else if (alias) validateAnalysis(alias, 'spec.canaryAnalysis', skipAnalysis, out);
  else if (!skipAnalysis) {
    out.push(
      problem(
        'spec.analysis',
        'is required unless spec.skipAnalysis is true: set at least stepWeight, stepWeights or iterations.',
      ),
    );
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** What the schema cannot say about spec.manualAction (required fields and the enum it can). */
function checkManualAction(request: Record<string, unknown> | undefined, out: Problems): void {
  if (!request) return;
  for (const field of ['id', 'revision', 'requestedBy']) {
    const value = request[field];
    if (typeof value === 'string' && value.length > 0 && value.trim() === '') {
      out.push(problem(`spec.manualAction.${field}`, 'must not be blank.'));
    }
  }
  const at = request.requestedAt;
  if (typeof at === 'string' && (!RFC3339.test(at) || Number.isNaN(Date.parse(at)))) {
    out.push(
      problem(
        'spec.manualAction.requestedAt',
        `must be an RFC 3339 time such as 2026-01-02T15:04:05Z, but is ${JSON.stringify(at)}.`,
      ),
    );
  }
}

function metricTemplateRules(spec: Record<string, unknown>, out: Problems): void {
  const provider = asObject(spec.provider);
  const type = asString(provider?.type);
  if (type && type !== 'prometheus' && metricProviderTypes.includes(type)) {
    out.push(
      problem(
        'spec.provider.type',
        `is ${type}, but Aviary runs prometheus metric templates only.`,
      ),
    );
  }
  if (provider && type === 'prometheus' && !asString(provider.address)) {
    out.push(
      problem(
        'spec.provider.address',
        'is required for the prometheus provider, e.g. http://prometheus.monitoring:9090.',
      ),
    );
  }
  checkUrl(provider?.address, 'spec.provider.address', out);
  if (spec.query === '' || (typeof spec.query === 'string' && spec.query.trim() === '')) {
    out.push(problem('spec.query', 'must not be empty.'));
  }
}

function alertProviderRules(spec: Record<string, unknown>, out: Problems): void {
  if (!asString(spec.address) && !asObject(spec.secretRef)) {
    out.push(
      problem(
        'spec.address',
        'is required unless spec.secretRef names a Secret with an address key.',
      ),
    );
  }
  checkUrl(spec.address, 'spec.address', out);
  checkUrl(spec.proxy, 'spec.proxy', out);
}

/** All problems of a Canary (as read from the API server or from a manifest). */
export function validateCanary(
  canary: unknown,
  options: ValidateOptions = {},
): ValidationProblem[] {
  return validateObject(canary, canaryCrd, options, canaryRules);
}

export function validateMetricTemplate(
  template: unknown,
  options: ValidateOptions = {},
): ValidationProblem[] {
  return validateObject(template, metricTemplateCrd, options, metricTemplateRules);
}

export function validateAlertProvider(
  provider: unknown,
  options: ValidateOptions = {},
): ValidationProblem[] {
  return validateObject(provider, alertProviderCrd, options, alertProviderRules);
}
