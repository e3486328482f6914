// Turns a CrdDefinition into an apiextensions.k8s.io/v1 CustomResourceDefinition object.
import { GROUP, VERSION } from './names.js';
import type { CrdDefinition } from './schema/common.js';
import { OPENAPI_KEYS, type JsonValue, type SchemaNode } from './schema/node.js';

type JsonObject = { [key: string]: JsonValue };

/** The CRD form of a schema node: OpenAPI keys only, generator hints dropped. */
export function toOpenApi(node: SchemaNode): JsonObject {
  const out: JsonObject = {};
  for (const key of OPENAPI_KEYS) {
    const value = node[key];
    if (value === undefined) continue;
    if (key === 'properties') {
      const props: JsonObject = {};
      for (const [name, child] of Object.entries(node.properties ?? {})) {
        props[name] = toOpenApi(child);
      }
      out.properties = props;
    } else if (key === 'items' && node.items) {
      out.items = toOpenApi(node.items);
    } else if (key === 'additionalProperties' && typeof node.additionalProperties === 'object') {
      out.additionalProperties = toOpenApi(node.additionalProperties);
    } else {
      out[key] = value as JsonValue;
    }
  }
  return out;
}

export function buildCrd(def: CrdDefinition): JsonObject {
  const names: JsonObject = {
    kind: def.kind,
    listKind: def.listKind,
    plural: def.plural,
    singular: def.singular,
    categories: def.categories,
  };
  if (def.shortNames?.length) names.shortNames = def.shortNames;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${def.plural}.${GROUP}`,
      annotations: { 'helm.sh/resource-policy': 'keep' },
    },
    spec: {
      group: GROUP,
      names,
      scope: 'Namespaced',
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: def.printerColumns.map(column => {
            const out: JsonObject = {
              name: column.name,
              type: column.type,
              jsonPath: column.jsonPath,
              description: column.description,
            };
            if (column.priority !== undefined) out.priority = column.priority;
            return out;
          }),
          schema: { openAPIV3Schema: toOpenApi(def.schema) },
        },
      ],
    },
  };
}
