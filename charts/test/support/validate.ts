/**
 * Validates rendered Kubernetes objects against their schemas:
 * - Aviary kinds (aviary.dev/v1beta1) against the openAPIV3Schema of the chart's own CRDs (what
 *   the API server enforces, unknown fields reported) and the controller's validation rules
 *   (what the controller would refuse);
 * - every other kind against the kubernetes-models family (built-in kinds, Istio, Flux,
 *   prometheus-operator), run by schema-check.mjs in a plain Node process;
 * - metadata (names, namespaces, labels) against the API server's naming rules, which those
 *   schemas do not express.
 * Each problem is one line naming the object, so a failing test shows every problem at once.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import {
  validateAlertProvider,
  validateCanary,
  validateMetricTemplate,
  type ValidationProblem,
} from '@aviary/controller/src/api';
import { validateSchema } from '@aviary/controller/src/api/schema-validate';
import type { SchemaNode } from '@aviary/controller/src/api/schema/node';

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export const AVIARY_CRDS_DIR = path.resolve(__dirname, '../../aviary/crds');
const SCHEMA_CHECK = path.join(__dirname, 'schema-check.mjs');

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Kinds whose names become DNS labels (hostnames), not just subdomains. */
const LABEL_NAMED_KINDS = new Set(['Namespace', 'Service']);

export function describe(object: Partial<Manifest>): string {
  const ns = object.metadata?.namespace ? `${object.metadata.namespace}/` : '';
  return `${object.kind ?? '?'} ${ns}${object.metadata?.name ?? '?'}`;
}

function checkLabelKey(key: string): boolean {
  const [prefix, name] = key.includes('/') ? key.split('/', 2) : [undefined, key];
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name !== undefined && name.length <= 63 && LABEL_NAME.test(name);
}

export function metadataProblems(object: Manifest): string[] {
  const out: string[] = [];
  const { name, namespace, labels } = object.metadata ?? {};
  const asLabel = LABEL_NAMED_KINDS.has(object.kind);
  if (typeof name !== 'string' || name === '') out.push('metadata.name is required');
  else if (asLabel ? name.length > 63 || !DNS_LABEL.test(name) : !DNS_SUBDOMAIN.test(name)) {
    out.push(
      `metadata.name ${JSON.stringify(name)} is not a valid ${asLabel ? 'DNS label' : 'name'}`,
    );
  }
  if (namespace !== undefined && (namespace.length > 63 || !DNS_LABEL.test(namespace))) {
    out.push(`metadata.namespace ${JSON.stringify(namespace)} is not a valid namespace`);
  }
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (!checkLabelKey(key)) out.push(`label key ${JSON.stringify(key)} is invalid`);
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      out.push(`label ${key}=${JSON.stringify(value)} has an invalid value`);
    }
  }
  return out;
}

let crdSchemas: Map<string, SchemaNode> | undefined;

/** openAPIV3Schema of each Aviary kind, read from the chart's crds/ directory. */
export function aviaryCrdSchemas(): Map<string, SchemaNode> {
  if (crdSchemas) return crdSchemas;
  crdSchemas = new Map();
  for (const file of fs.readdirSync(AVIARY_CRDS_DIR)) {
    const crd = yaml.load(fs.readFileSync(path.join(AVIARY_CRDS_DIR, file), 'utf8')) as {
      spec: {
        group: string;
        names: { kind: string };
        versions: Array<{ name: string; schema: { openAPIV3Schema: SchemaNode } }>;
      };
    };
    for (const version of crd.spec.versions) {
      const key = `${crd.spec.group}/${version.name} ${crd.spec.names.kind}`;
      crdSchemas.set(key, version.schema.openAPIV3Schema);
    }
  }
  return crdSchemas;
}

const AVIARY_RULES: Record<string, (object: unknown) => ValidationProblem[]> = {
  Canary: validateCanary,
  MetricTemplate: validateMetricTemplate,
  AlertProvider: validateAlertProvider,
};

function aviaryProblems(object: Manifest): string[] | undefined {
  const schema = aviaryCrdSchemas().get(`${object.apiVersion} ${object.kind}`);
  if (!schema) return undefined;
  const found = validateSchema(object, schema, '', { unknownFields: 'report' }).map(p => p.message);
  const rules = AVIARY_RULES[object.kind];
  if (rules) found.push(...rules(object).map(p => `controller: ${p.message}`));
  return [...new Set(found)];
}

/** Runs schema-check.mjs over many objects in one Node process. */
function externalSchemaProblems(objects: Manifest[]): string[][] {
  if (objects.length === 0) return [];
  const output = execFileSync(process.execPath, [SCHEMA_CHECK], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output) as string[][];
}

/** Every problem of every object, each line prefixed with the object it belongs to. */
export function validateManifests(objects: Manifest[]): string[] {
  const problems: string[] = [];
  const external: Manifest[] = [];
  for (const object of objects) {
    for (const p of metadataProblems(object)) problems.push(`${describe(object)}: ${p}`);
    const aviary = aviaryProblems(object);
    if (aviary) for (const p of aviary) problems.push(`${describe(object)}: ${p}`);
    else external.push(object);
  }
  externalSchemaProblems(external).forEach((list, i) => {
    for (const p of list) problems.push(`${describe(external[i]!)}: ${p}`);
  });
  return problems;
}

/** Parses a multi-document YAML stream into objects, skipping empty documents. */
export function parseManifests(text: string): Manifest[] {
  return yaml.loadAll(text).filter((doc): doc is Manifest => doc !== null && doc !== undefined);
}
