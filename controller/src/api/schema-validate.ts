/**
 * Validates a value against a SchemaNode with the rules of the OpenAPI v3 subset Kubernetes
 * applies to custom resources: type, required, enum, minimum/maximum, min/max length and items,
 * pattern, items, properties, additionalProperties, nullable, x-kubernetes-preserve-unknown-fields
 * and x-kubernetes-int-or-string. Every problem is returned, not just the first.
 */
import {
  describeValue,
  indexField,
  joinField,
  problem,
  type ValidationProblem,
} from './problems.js';
import type { SchemaNode } from './schema/node.js';

export interface SchemaValidationOptions {
  /**
   * `report` (default): fields the schema does not declare are problems (the API server would
   * silently drop them, which hides typos). `ignore`: accept them.
   */
  unknownFields?: 'report' | 'ignore';
}

const EXPECTED: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
};

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

function formatEnum(values: Array<string | number>): string {
  return values.map(v => (v === '' ? '"" (empty)' : String(v))).join(', ');
}

/** Levenshtein distance, to suggest the field a typo was meant to be. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j]!;
      const cost = a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + cost);
      previous = saved;
    }
  }
  return row[b.length]!;
}

function suggestion(key: string, known: string[]): string {
  const best = known
    .map(name => ({ name, d: distance(key, name) }))
    .filter(c => c.d <= Math.max(2, Math.floor(key.length / 4)))
    .sort((x, y) => x.d - y.d)[0];
  return best ? ` (did you mean ${best.name}?)` : '';
}

function checkScalar(value: unknown, schema: SchemaNode, field: string, out: ValidationProblem[]) {
  if (schema.enum && !schema.enum.includes(value as string | number)) {
    out.push(
      problem(field, `must be one of ${formatEnum(schema.enum)}, but is ${describeValue(value)}.`),
    );
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      out.push(problem(field, `must be at least ${schema.minimum}, but is ${value}.`));
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      out.push(problem(field, `must be at most ${schema.maximum}, but is ${value}.`));
    }
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) {
      out.push(problem(field, `must be at least ${schema.minLength} characters long.`));
    }
    if (schema.maxLength !== undefined && length > schema.maxLength) {
      out.push(problem(field, `must be at most ${schema.maxLength} characters long.`));
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      const expected = schema.patternHint ?? `text matching ${schema.pattern}`;
      out.push(problem(field, `must be ${expected}, but is ${describeValue(value)}.`));
    }
  }
}

const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;

function checkArray(
  value: unknown[],
  schema: SchemaNode,
  field: string,
  options: SchemaValidationOptions,
  out: ValidationProblem[],
) {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    out.push(problem(field, `must have at least ${entries(schema.minItems)}.`));
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    out.push(problem(field, `must have at most ${entries(schema.maxItems)}.`));
  }
  if (schema.items) {
    value.forEach((item, index) => {
      // A null list entry is not pruned by the API server, so it is checked like any value.
      if (item === null && !schema.items?.nullable) {
        out.push(problem(indexField(field, index), 'must not be empty.'));
        return;
      }
      walk(item, schema.items!, indexField(field, index), options, out);
    });
  }
}

function checkObject(
  value: Record<string, unknown>,
  schema: SchemaNode,
  field: string,
  options: SchemaValidationOptions,
  out: ValidationProblem[],
) {
  const properties = schema.properties ?? {};
  for (const key of schema.required ?? []) {
    if (value[key] === undefined || (value[key] === null && !properties[key]?.nullable)) {
      out.push(problem(joinField(field, key), 'is required.'));
    }
  }
  const declared = Object.keys(properties);
  const extra = schema.additionalProperties;
  for (const [key, child] of Object.entries(value)) {
    const childField = joinField(field, key);
    const childSchema = properties[key];
    if (childSchema) {
      walk(child, childSchema, childField, options, out);
    } else if (typeof extra === 'object') {
      walk(child, extra, childField, options, out);
    } else if (extra === false) {
      out.push(problem(childField, 'is not allowed here.'));
    } else if (
      extra === undefined &&
      declared.length > 0 &&
      !schema['x-kubernetes-preserve-unknown-fields'] &&
      options.unknownFields !== 'ignore'
    ) {
      out.push(problem(childField, `is not a known field${suggestion(key, declared)}.`));
    }
  }
}

function walk(
  value: unknown,
  schema: SchemaNode,
  field: string,
  options: SchemaValidationOptions,
  out: ValidationProblem[],
): void {
  // A nullable field may be null; the API server drops nulls of other fields (so `analysis:`
  // with nothing after it counts as absent, and `required` reports it).
  if (value === undefined || value === null) return;
  if (schema['x-kubernetes-int-or-string']) {
    if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) {
      out.push(
        problem(field, `must be a whole number or a string, but is ${describeValue(value)}.`),
      );
      return;
    }
  } else if (schema.type && !hasType(value, schema.type)) {
    const expected = EXPECTED[schema.type] ?? schema.type;
    out.push(problem(field, `must be ${expected}, but is ${describeValue(value)}.`));
    return;
  }
  checkScalar(value, schema, field, out);
  if (Array.isArray(value)) checkArray(value, schema, field, options, out);
  else if (isPlainObject(value)) checkObject(value, schema, field, options, out);
}

/** All problems of `value` against `schema`; `field` is the path of `value` itself. */
export function validateSchema(
  value: unknown,
  schema: SchemaNode,
  field = '',
  options: SchemaValidationOptions = {},
): ValidationProblem[] {
  const out: ValidationProblem[] = [];
  if (value === undefined || value === null) {
    if (field) out.push(problem(field, 'is required.'));
    else out.push(problem(field, 'is empty.'));
    return out;
  }
  walk(value, schema, field, options, out);
  return out;
}
