// Checks shared by the semantic validators. They only look at values of the right type: a wrong
// type has already been reported by the schema validator.
import { DURATION_PATTERN } from './schema/build.js';
import { isPromQLDuration, parseGoDuration } from './duration.js';
import { joinField, problem, type ValidationProblem } from './problems.js';
import { isPlainObject } from './schema-validate.js';

export type Problems = ValidationProblem[];

export const asObject = (value: unknown): Record<string, unknown> | undefined =>
  isPlainObject(value) ? value : undefined;
export const asString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;
export const asNumber = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export function checkUrl(value: unknown, field: string, out: Problems): void {
  const text = asString(value);
  if (text !== undefined && !isHttpUrl(text)) {
    out.push(
      problem(
        field,
        `must be an absolute http:// or https:// URL, but is ${JSON.stringify(text)}.`,
      ),
    );
  }
}

const schemaPrefix = new RegExp(DURATION_PATTERN, 'u');

/**
 * The schema only checks how a duration starts (as Flagger's CRD does); this parses all of it.
 * `promql`: the value is also used as a PromQL range, which has no fractions or sub-ms units.
 */
export function checkDuration(value: unknown, field: string, out: Problems, promql = false): void {
  const text = asString(value);
  if (text === undefined || !schemaPrefix.test(text)) return;
  if (parseGoDuration(text) === undefined) {
    out.push(
      problem(
        field,
        `is ${JSON.stringify(text)}, which is not a valid duration: use a Go duration such as 30s, 1m or 1m30s.`,
      ),
    );
  } else if (promql && !isPromQLDuration(text)) {
    out.push(
      problem(
        field,
        `is ${JSON.stringify(text)}, but it is also used as a PromQL range: use whole numbers of ms, s, m or h, such as 30s or 1m30s.`,
      ),
    );
  }
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Service names must be DNS-1035 labels; `-primary` (8 characters) must still fit in 63. */
export function checkServiceName(name: string, field: string, why: string, out: Problems): void {
  if (!DNS_LABEL.test(name) || name.length > 55) {
    out.push(
      problem(
        field,
        `is ${JSON.stringify(name)}, which cannot be a Service name${why}: use at most 55 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit (Aviary appends -primary and -canary).`,
      ),
    );
  }
}

export function isDnsLabel(text: string): boolean {
  return DNS_LABEL.test(text) && text.length <= 63;
}

/** A named container port (IANA service name): at most 15 characters, at least one letter. */
export function isPortName(text: string): boolean {
  return (
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(text) &&
    text.length <= 15 &&
    /[a-z]/.test(text) &&
    !text.includes('--')
  );
}

/** RFC 6265 cookie-name token characters. */
export function isCookieName(text: string): boolean {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(text);
}

const MATCH_KINDS = ['exact', 'prefix', 'suffix', 'regex'];

/** An Istio StringMatch sets at most one of exact, prefix and regex (none = presence). */
export function checkStringMatch(value: unknown, field: string, out: Problems): void {
  const match = asObject(value);
  if (!match) return;
  const set = MATCH_KINDS.filter(kind => match[kind] !== undefined && match[kind] !== null);
  if (set.length > 1) {
    out.push(problem(field, `sets ${set.join(' and ')}; set only one of exact, prefix or regex.`));
  }
  if (match.suffix !== undefined) {
    out.push(
      problem(
        joinField(field, 'suffix'),
        'cannot be used: Istio has no suffix match. Use regex instead, e.g. ".*-beta$".',
      ),
    );
  }
}

export function checkStringMatchMap(value: unknown, field: string, out: Problems): void {
  for (const [key, match] of Object.entries(asObject(value) ?? {})) {
    checkStringMatch(match, joinField(field, key), out);
  }
}
