/** Label and field selectors with the grammar of the Kubernetes API (`a=b,c!=d,e in (x,y),!f`). */
import { errors } from './errors.js';
import type { KubeObject } from './types.js';

type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'doesnotexist' };

export type LabelSelector = Requirement[];

const KEY =
  /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;

/** Splits on commas that are not inside parentheses. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map(t => t.trim()).filter(t => t.length > 0);
}

function checkKey(key: string, raw: string): string {
  if (!KEY.test(key)) {
    throw errors.badRequest(`unable to parse requirement: invalid label key "${key}" in "${raw}"`);
  }
  return key;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Label values in selectors are validated like the API server does (`app===x` is a 400). */
function checkValues(key: string, values: string[]): string[] {
  values.forEach((v, i) => {
    if (v.length > 63 || !LABEL_VALUE.test(v)) {
      throw errors.badRequest(
        `unable to parse requirement: values[${i}][${key}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      );
    }
  });
  return values;
}

export function parseLabelSelector(text: string | undefined): LabelSelector {
  if (!text) return [];
  return splitTerms(text).map((term): Requirement => {
    const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term);
    if (set) {
      const values = (set[3] ?? '')
        .split(',')
        .map(v => v.trim())
        .filter(v => v.length > 0);
      const key = checkKey(set[1] ?? '', term);
      return { key, op: set[2] as 'in' | 'notin', values: checkValues(key, values) };
    }
    const eq = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (eq) {
      const key = checkKey(eq[1] ?? '', term);
      return { key, op: eq[2] === '!=' ? 'notin' : 'in', values: checkValues(key, [eq[3] ?? '']) };
    }
    if (term.startsWith('!'))
      return { key: checkKey(term.slice(1).trim(), term), op: 'doesnotexist' };
    return { key: checkKey(term, term), op: 'exists' };
  });
}

export function matchesLabels(
  selector: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return selector.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'doesnotexist':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key] as string);
      case 'notin':
        return !has || !r.values.includes(l[r.key] as string);
    }
  });
}

/** matchLabels/matchExpressions (a LabelSelector object in a spec) as requirements. */
export function fromSelectorObject(selector: unknown): LabelSelector | undefined {
  if (typeof selector !== 'object' || selector === null) return undefined;
  const s = selector as {
    matchLabels?: Record<string, string>;
    matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
  };
  const reqs: LabelSelector = Object.entries(s.matchLabels ?? {}).map(([key, value]) => ({
    key,
    op: 'in' as const,
    values: [value],
  }));
  for (const e of s.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'in' || op === 'notin') reqs.push({ key: e.key, op, values: e.values ?? [] });
    else if (op === 'exists') reqs.push({ key: e.key, op: 'exists' });
    else if (op === 'doesnotexist') reqs.push({ key: e.key, op: 'doesnotexist' });
  }
  return reqs;
}

export function selectorToString(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export interface FieldRequirement {
  path: string[];
  field: string;
  equal: boolean;
  value: string;
}

export function parseFieldSelector(text: string | undefined): FieldRequirement[] {
  if (!text) return [];
  return splitTerms(text).map(term => {
    const m = /^([A-Za-z0-9_.[\]-]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m)
      throw errors.badRequest(`invalid field selector: "${term}": must be key=value or key!=value`);
    const field = m[1] ?? '';
    return { field, path: field.split('.'), equal: m[2] !== '!=', value: (m[3] ?? '').trim() };
  });
}

function fieldValue(obj: KubeObject, path: string[]): string {
  let cur: unknown = obj;
  for (const part of path) {
    if (typeof cur !== 'object' || cur === null) return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

export function matchesFields(reqs: FieldRequirement[], obj: KubeObject): boolean {
  return reqs.every(r => (fieldValue(obj, r.path) === r.value) === r.equal);
}
