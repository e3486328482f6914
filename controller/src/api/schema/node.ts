/**
 * The subset of OpenAPI v3 (as used by apiextensions.k8s.io/v1 CRDs) that Aviary's schemas use,
 * plus a few `ts*` hints for the TypeScript generator. The hints are never written into a CRD.
 */
export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface SchemaNode {
  type?: SchemaType;
  description?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  enum?: Array<string | number>;
  default?: JsonValue;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  /** Validator hint: what `pattern` means, for messages ("a Go duration such as 30s"). */
  patternHint?: string;
  /** Generator hint: emit this node as a named, exported TypeScript declaration. */
  tsName?: string;
  /** Generator hint: use this TypeScript type expression verbatim (e.g. an imported type). */
  tsType?: string;
  /** Generator hint: properties that are always present on objects read from the API server. */
  tsRequired?: string[];
}

/** Keys of SchemaNode that belong in a CRD; everything else is a generator hint. */
export const OPENAPI_KEYS = [
  'description',
  'type',
  'format',
  'enum',
  'default',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'nullable',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'required',
  'properties',
  'additionalProperties',
  'items',
] as const satisfies ReadonlyArray<keyof SchemaNode>;
