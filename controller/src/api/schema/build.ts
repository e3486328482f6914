// Small constructors that keep the schema files readable: every field gets a description.
import type { SchemaNode } from './node.js';

type Extra = Omit<SchemaNode, 'type' | 'description'>;

export function str(description: string, extra: Extra = {}): SchemaNode {
  return { type: 'string', description, ...extra };
}

export function int(description: string, extra: Extra = {}): SchemaNode {
  return { type: 'integer', description, ...extra };
}

export function num(description: string, extra: Extra = {}): SchemaNode {
  return { type: 'number', description, ...extra };
}

export function bool(description: string, extra: Extra = {}): SchemaNode {
  return { type: 'boolean', description, ...extra };
}

export function strEnum(description: string, values: string[], extra: Extra = {}): SchemaNode {
  return { type: 'string', description, enum: values, ...extra };
}

export function obj(
  description: string,
  properties: Record<string, SchemaNode>,
  extra: Extra = {},
): SchemaNode {
  return { type: 'object', description, properties, ...extra };
}

export function arr(description: string, items: SchemaNode, extra: Extra = {}): SchemaNode {
  return { type: 'array', description, items, ...extra };
}

/** A map with arbitrary keys whose values all follow `values`. */
export function map(description: string, values: SchemaNode, extra: Extra = {}): SchemaNode {
  return { type: 'object', description, additionalProperties: values, ...extra };
}

export function stringMap(description: string, valueDescription: string): SchemaNode {
  return map(description, str(valueDescription));
}

/** An object passed through verbatim: known keys are typed, unknown keys are kept. */
export function openObj(
  description: string,
  properties: Record<string, SchemaNode> = {},
  extra: Extra = {},
): SchemaNode {
  return obj(description, properties, { 'x-kubernetes-preserve-unknown-fields': true, ...extra });
}

/**
 * Go duration string. Flagger's CRD only checks the prefix `^[0-9]+(m|s)`; Aviary keeps that
 * prefix-only style (so every manifest Flagger admits is admitted) but also allows the other Go
 * units. The controller parses the whole value and reports anything unparseable.
 */
export const DURATION_PATTERN = '^[0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h)';

export function duration(description: string, extra: Extra = {}): SchemaNode {
  return str(description, {
    pattern: DURATION_PATTERN,
    patternHint: 'a Go duration such as 30s, 1m or 1m30s',
    ...extra,
  });
}

/** Reuse a (named) node under a field-specific description. */
export function describe(node: SchemaNode, description: string): SchemaNode {
  return { ...node, description };
}
