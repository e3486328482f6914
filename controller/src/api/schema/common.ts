// Root-level pieces shared by the three custom resources.
import { str } from './build.js';
import type { SchemaNode } from './node.js';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description: string;
  priority?: number;
}

export interface CrdDefinition {
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  categories: string[];
  printerColumns: PrinterColumn[];
  /** The openAPIV3Schema of the (only) version. */
  schema: SchemaNode;
  /** File name under controller/crds/. */
  file: string;
}

export function rootSchema(
  description: string,
  tsName: string,
  properties: Record<string, SchemaNode>,
): SchemaNode {
  return {
    type: 'object',
    description,
    tsName,
    required: ['spec'],
    tsRequired: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: str('API version of this object: aviary.dev/v1beta1.'),
      kind: str('Kind of this object.'),
      metadata: {
        type: 'object',
        description: 'Standard Kubernetes object metadata.',
        tsType: 'ObjectMeta',
      },
      ...properties,
    },
  };
}
