// MetricTemplate query rendering (spec 1.9): `{{ name }}`-style substitution of the canary's
// variables, whitespace-tolerant, with Go's `{{-`/`-}}` trim markers. Anything else inside braces,
// and any unknown variable, is an error naming it (Go's missingkey=error).
import type { Canary, CanaryMetric } from '../api/types.js';
import { MetricsError } from './errors.js';

export interface TemplateVariables {
  name: string;
  namespace: string;
  target: string;
  service: string;
  interval: string;
  ingress?: string;
  route?: string;
  variables?: Record<string, string>;
}

export class TemplateError extends MetricsError {
  override readonly name: string = 'TemplateError';
  constructor(
    readonly expression: string,
    message: string,
  ) {
    super('config', message);
  }
}

const ACTION = /\{\{\s*(.*?)\s*\}\}/g;
// Go trims the whitespace next to `{{- ` and ` -}}` (the marker needs a space after/before it).
const TRIM_LEFT = /\s*\{\{-(?=\s)/g;
const TRIM_RIGHT = /(?<=\s)-\}\}\s*/g;
const SIMPLE = new Set(['name', 'namespace', 'target', 'service', 'interval', 'ingress', 'route']);

function lookup(expression: string, vars: TemplateVariables): string {
  const variable = /^variables\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(expression);
  if (variable) {
    const key = variable[1] ?? '';
    const value = vars.variables?.[key];
    if (value === undefined) {
      throw new TemplateError(expression, `template variable "${expression}" is not defined`);
    }
    return value;
  }
  if (SIMPLE.has(expression)) {
    return vars[expression as keyof Omit<TemplateVariables, 'variables'>] ?? '';
  }
  if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(expression)) {
    throw new TemplateError(expression, `template variable "${expression}" is not defined`);
  }
  throw new TemplateError(expression, `unsupported template expression "{{ ${expression} }}"`);
}

export function renderQuery(template: string, vars: TemplateVariables): string {
  return template
    .replace(TRIM_LEFT, '{{')
    .replace(TRIM_RIGHT, '}}')
    .replace(ACTION, (_all, expression: string) => lookup(expression, vars));
}

/** The variables of one metric of one canary (interval defaults to 1m). */
export function templateVariables(canary: Canary, metric: CanaryMetric): TemplateVariables {
  const target = canary.spec.targetRef.name;
  const vars: TemplateVariables = {
    name: canary.metadata.name ?? '',
    namespace: canary.metadata.namespace ?? 'default',
    target,
    service: canary.spec.service.name || target,
    interval: metric.interval || '1m',
    variables: { ...(metric.templateVariables ?? {}) },
  };
  if (canary.spec.ingressRef?.name) vars.ingress = canary.spec.ingressRef.name;
  if (canary.spec.routeRef?.name) vars.route = canary.spec.routeRef.name;
  return vars;
}
