/**
 * Structural OpenAPI v3 schemas of CustomResourceDefinitions, applied the way the API server does
 * on every write: prune unknown fields, apply defaults, then validate, reporting each problem
 * with the server's wording.
 */
import type { FieldError } from './errors.js';
import { isPlainObject } from './types.js';

export interface JSONSchemaProps {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: boolean | JSONSchemaProps;
  items?: JSONSchemaProps;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
}

export interface SchemaOutcome {
  value: unknown;
  errors: FieldError[];
  /** Paths of fields that were dropped because the schema does not declare them. */
  unknownFields: string[];
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function goTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

function typeMatches(schema: JSONSchemaProps, value: unknown): boolean {
  if (schema['x-kubernetes-int-or-string']) {
    return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
  }
  switch (schema.type) {
    case undefined:
      return true;
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

/** Removes undeclared fields and fills in defaults, in place, recording what was dropped. */
function pruneAndDefault(
  value: unknown,
  schema: JSONSchemaProps,
  path: string,
  unknown: string[],
  root: boolean,
): unknown {
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties && !schema.items)
    return value;
  if (isPlainObject(value)) {
    const props = schema.properties;
    const additional = schema.additionalProperties;
    for (const key of Object.keys(value)) {
      // apiVersion, kind and metadata of the root (and of embedded resources) are never pruned.
      if (
        (root || schema['x-kubernetes-embedded-resource']) &&
        ['apiVersion', 'kind', 'metadata'].includes(key)
      )
        continue;
      const child = props?.[key] ?? (isPlainObject(additional) ? additional : undefined);
      if (child) {
        value[key] = pruneAndDefault(value[key], child, join(path, key), unknown, false);
      } else if (additional !== true && !schema['x-kubernetes-preserve-unknown-fields']) {
        unknown.push(join(path, key));
        delete value[key];
      }
    }
    for (const [key, child] of Object.entries(props ?? {})) {
      if (
        (value[key] === undefined || (value[key] === null && !child.nullable)) &&
        child.default !== undefined
      ) {
        value[key] = pruneAndDefault(
          structuredClone(child.default),
          child,
          join(path, key),
          unknown,
          false,
        );
      }
    }
  } else if (Array.isArray(value) && schema.items) {
    const items = schema.items;
    value.forEach((item, i) => {
      value[i] = pruneAndDefault(item, items, `${path}[${i}]`, unknown, false);
    });
  }
  return value;
}

function validateValue(
  value: unknown,
  schema: JSONSchemaProps,
  path: string,
  errors: FieldError[],
): void {
  if (value === null) {
    if (!schema.nullable && schema.type) {
      errors.push({
        field: path,
        type: 'FieldValueTypeInvalid',
        value: 'null',
        detail: `${path} in body must be of type ${schema.type}: "null"`,
      });
    }
    return;
  }
  if (!typeMatches(schema, value)) {
    const expected = schema['x-kubernetes-int-or-string'] ? 'integer or string' : schema.type;
    errors.push({
      field: path,
      type: 'FieldValueTypeInvalid',
      value: goTypeName(value),
      detail: `${path} in body must be of type ${expected}: "${goTypeName(value)}"`,
    });
    return;
  }
  if (schema.enum && !schema.enum.some(e => JSON.stringify(e) === JSON.stringify(value))) {
    errors.push({
      field: path,
      type: 'FieldValueNotSupported',
      value,
      detail: `supported values: ${schema.enum.map(e => JSON.stringify(e)).join(', ')}`,
    });
  }
  if (typeof value === 'number') {
    if (
      schema.minimum !== undefined &&
      (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)
    ) {
      errors.push({
        field: path,
        type: 'FieldValueInvalid',
        value,
        detail: `${path} in body should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${schema.minimum}`,
      });
    }
    if (
      schema.maximum !== undefined &&
      (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)
    ) {
      errors.push({
        field: path,
        type: 'FieldValueInvalid',
        value,
        detail: `${path} in body should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${schema.maximum}`,
      });
    }
    if (schema.multipleOf !== undefined && value % schema.multipleOf !== 0) {
      errors.push({
        field: path,
        type: 'FieldValueInvalid',
        value,
        detail: `${path} in body should be a multiple of ${schema.multipleOf}`,
      });
    }
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      errors.push({
        field: path,
        type: 'FieldValueInvalid',
        value,
        detail: `${path} in body should be at least ${schema.minLength} chars long`,
      });
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      errors.push({
        field: path,
        type: 'FieldValueTooLong',
        value,
        detail: `may not be more than ${schema.maxLength} bytes`,
      });
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      errors.push({
        field: path,
        type: 'FieldValueInvalid',
        value,
        detail: `${path} in body should match '${schema.pattern}'`,
      });
    }
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      errors.push({
        field: path,
        type: 'FieldValueInvalid',
        value: value.length,
        detail: `${path} in body should have at least ${schema.minItems} items`,
      });
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      errors.push({
        field: path,
        type: 'FieldValueInvalid',
        value: value.length,
        detail: `must have at most ${schema.maxItems} items`,
      });
    }
    if (schema.uniqueItems && new Set(value.map(v => JSON.stringify(v))).size !== value.length) {
      errors.push({ field: path, type: 'FieldValueDuplicate', value, detail: '' });
    }
    const items = schema.items;
    if (items) value.forEach((item, i) => validateValue(item, items, `${path}[${i}]`, errors));
  }
  if (isPlainObject(value)) {
    for (const key of schema.required ?? []) {
      if (value[key] === undefined)
        errors.push({ field: join(path, key), type: 'FieldValueRequired', detail: '' });
    }
    const count = Object.keys(value).length;
    if (schema.minProperties !== undefined && count < schema.minProperties) {
      errors.push({
        field: path,
        type: 'FieldValueInvalid',
        value: count,
        detail: `${path} in body should have at least ${schema.minProperties} properties`,
      });
    }
    if (schema.maxProperties !== undefined && count > schema.maxProperties) {
      errors.push({
        field: path,
        type: 'FieldValueInvalid',
        value: count,
        detail: `${path} in body should have at most ${schema.maxProperties} properties`,
      });
    }
    for (const [key, child] of Object.entries(value)) {
      const childSchema =
        schema.properties?.[key] ??
        (isPlainObject(schema.additionalProperties) ? schema.additionalProperties : undefined);
      if (childSchema && child !== undefined)
        validateValue(child, childSchema, join(path, key), errors);
    }
  }
  const passes = (s: JSONSchemaProps) => {
    const sub: FieldError[] = [];
    validateValue(value, s, path, sub);
    return sub.length === 0;
  };
  for (const s of schema.allOf ?? []) validateValue(value, s, path, errors);
  if (schema.anyOf && !schema.anyOf.some(passes)) {
    errors.push({
      field: path,
      type: 'FieldValueInvalid',
      value: goTypeName(value),
      detail: `${path} in body must match at least one schema in anyOf`,
    });
  }
  if (schema.oneOf && schema.oneOf.filter(passes).length !== 1) {
    errors.push({
      field: path,
      type: 'FieldValueInvalid',
      value: goTypeName(value),
      detail: `${path} in body must match exactly one schema in oneOf`,
    });
  }
  if (schema.not && passes(schema.not)) {
    errors.push({
      field: path,
      type: 'FieldValueInvalid',
      value: goTypeName(value),
      detail: `${path} in body must not match the schema in not`,
    });
  }
}

/** Prunes, defaults and validates a whole custom object (a copy; the input is untouched). */
export function applySchema(
  object: Record<string, unknown>,
  schema: JSONSchemaProps,
): SchemaOutcome {
  const unknownFields: string[] = [];
  const value = pruneAndDefault(structuredClone(object), schema, '', unknownFields, true) as Record<
    string,
    unknown
  >;
  const errors: FieldError[] = [];
  const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = value;
  const bodySchema: JSONSchemaProps = {
    ...schema,
    required: (schema.required ?? []).filter(r => !['metadata', 'apiVersion', 'kind'].includes(r)),
  };
  validateValue(rest, bodySchema, '', errors);
  return { value, errors, unknownFields };
}
