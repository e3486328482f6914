// Lists the property paths of a schema and of a value, to check a fixture covers a schema.
import type { SchemaNode } from './schema/node.js';
import { isPlainObject } from './schema-validate.js';

/** Paths of declared properties, with `[]` for list items. Open objects are not descended. */
export function schemaPaths(node: SchemaNode, path = '', out = new Set<string>()): Set<string> {
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const at = path ? `${path}.${name}` : name;
    out.add(at);
    if (!child['x-kubernetes-preserve-unknown-fields']) schemaPaths(child, at, out);
  }
  if (node.items) schemaPaths(node.items, `${path}[]`, out);
  return out;
}

/** Paths present in a value, in the same notation (map keys are not descended). */
export function valuePaths(
  value: unknown,
  node: SchemaNode,
  path = '',
  out = new Set<string>(),
): Set<string> {
  if (Array.isArray(value) && node.items) {
    for (const item of value) valuePaths(item, node.items, `${path}[]`, out);
  } else if (isPlainObject(value) && node.properties) {
    for (const [name, child] of Object.entries(value)) {
      const childNode = node.properties[name];
      if (!childNode) continue;
      const at = path ? `${path}.${name}` : name;
      out.add(at);
      if (!childNode['x-kubernetes-preserve-unknown-fields']) valuePaths(child, childNode, at, out);
    }
  }
  return out;
}
