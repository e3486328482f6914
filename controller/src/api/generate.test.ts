import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { buildCrd } from './crd.js';
import { controllerRoot, renderGeneratedFiles } from './generate.js';
import { crdDefinitions } from './schema/index.js';
import { OPENAPI_KEYS } from './schema/node.js';

const REGENERATE = 'run `npx tsc -b && node controller/dist/api/generate.js` and commit the result';

type Json = Record<string, unknown>;

function crdFromDisk(file: string): Json {
  return load(readFileSync(join(controllerRoot, 'crds', file), 'utf8')) as Json;
}

function versionOf(crd: Json): Json {
  const spec = crd.spec as { versions: Json[] };
  return spec.versions[0] as Json;
}

/** Calls `visit` for every schema node of an openAPIV3Schema with its dotted path. */
function walk(node: Json, path: string, visit: (node: Json, path: string) => void): void {
  visit(node, path);
  for (const [name, child] of Object.entries((node.properties as Record<string, Json>) ?? {})) {
    walk(child, path ? `${path}.${name}` : name, visit);
  }
  if (node.items) walk(node.items as Json, `${path}[]`, visit);
  if (typeof node.additionalProperties === 'object') {
    walk(node.additionalProperties as Json, `${path}{}`, visit);
  }
}

describe('generated files', () => {
  it.each(renderGeneratedFiles().map(file => [file.path, file.content]))(
    '%s is up to date with the schema',
    (path, expected) => {
      const actual = readFileSync(join(controllerRoot, path), 'utf8');
      if (actual !== expected) throw new Error(`${path} is out of date: ${REGENERATE}`);
    },
  );

  it('writes YAML that parses back to exactly the CRD objects', () => {
    for (const def of crdDefinitions) {
      expect(crdFromDisk(def.file)).toEqual(buildCrd(def));
    }
  });
});

describe('CRDs', () => {
  it('declares the three kinds in group aviary.dev, namespaced, category all, kept by helm', () => {
    const names = crdDefinitions.map(def => buildCrd(def));
    expect(names.map(crd => (crd.metadata as Json).name)).toEqual([
      'canaries.aviary.dev',
      'metrictemplates.aviary.dev',
      'alertproviders.aviary.dev',
    ]);
    for (const crd of names) {
      const spec = crd.spec as Json;
      expect(spec.group).toBe('aviary.dev');
      expect(spec.scope).toBe('Namespaced');
      expect((spec.names as Json).categories).toEqual(['all']);
      expect((crd.metadata as Json).annotations).toEqual({ 'helm.sh/resource-policy': 'keep' });
      const version = versionOf(crd);
      expect(version).toMatchObject({ name: 'v1beta1', served: true, storage: true });
      expect(version.subresources).toEqual({ status: {} });
    }
  });

  it('shows the Canary columns of kubectl get, with the rest under -o wide', () => {
    const columns = versionOf(crdFromDisk('canaries.yaml')).additionalPrinterColumns as Json[];
    const brief = columns.filter(c => c.priority === undefined).map(c => [c.name, c.jsonPath]);
    const wide = columns.filter(c => c.priority === 1).map(c => [c.name, c.jsonPath]);
    expect(brief).toEqual([
      ['Status', '.status.phase'],
      ['Weight', '.status.canaryWeight'],
      ['FailedChecks', '.status.failedChecks'],
      ['LastTransitionTime', '.status.lastTransitionTime'],
    ]);
    expect(wide).toEqual([
      ['Suspended', '.spec.suspend'],
      ['Interval', '.spec.analysis.interval'],
      ['Mirror', '.spec.analysis.mirror'],
      ['StepWeight', '.spec.analysis.stepWeight'],
      ['StepWeights', '.spec.analysis.stepWeights'],
      ['MaxWeight', '.spec.analysis.maxWeight'],
    ]);
  });

  it('shows Provider for MetricTemplates and Type for AlertProviders', () => {
    const provider = versionOf(crdFromDisk('metrictemplates.yaml')).additionalPrinterColumns;
    const type = versionOf(crdFromDisk('alertproviders.yaml')).additionalPrinterColumns;
    expect(provider).toEqual([
      expect.objectContaining({ name: 'Provider', jsonPath: '.spec.provider.type' }),
    ]);
    expect(type).toEqual([expect.objectContaining({ name: 'Type', jsonPath: '.spec.type' })]);
  });

  it.each(crdDefinitions.map(def => [def.file, def]))('%s describes every field', (_file, def) => {
    const missing: string[] = [];
    const schema = (versionOf(buildCrd(def)).schema as Json).openAPIV3Schema as Json;
    walk(schema, '', (node, path) => {
      if (typeof node.description !== 'string' || node.description.length < 5) missing.push(path);
    });
    expect(missing).toEqual([]);
  });

  it.each(crdDefinitions.map(def => [def.file, def]))('%s is a structural schema', (_file, def) => {
    const problems: string[] = [];
    const schema = (versionOf(buildCrd(def)).schema as Json).openAPIV3Schema as Json;
    walk(schema, '', (node, path) => {
      if (!node.type && !node['x-kubernetes-int-or-string']) problems.push(`${path}: no type`);
      if (node.properties && node.additionalProperties) problems.push(`${path}: both maps`);
      for (const key of ['oneOf', 'anyOf', 'allOf', 'not', '$ref']) {
        if (key in node) problems.push(`${path}: ${key}`);
      }
      for (const key of Object.keys(node)) {
        if (!(OPENAPI_KEYS as readonly string[]).includes(key)) problems.push(`${path}: ${key}`);
      }
    });
    expect(problems).toEqual([]);
  });

  it('puts a schema default only where Flagger\u2019s CRD has one (sessionAffinity.maxAge)', () => {
    const withDefault: string[] = [];
    const schema = (versionOf(buildCrd(crdDefinitions[0]!)).schema as Json).openAPIV3Schema as Json;
    walk(schema, '', (node, path) => {
      if ('default' in node) withDefault.push(`${path}=${JSON.stringify(node.default)}`);
    });
    expect(withDefault).toEqual([
      'spec.analysis.sessionAffinity.maxAge=86400',
      'spec.canaryAnalysis.sessionAffinity.maxAge=86400',
    ]);
  });

  it('requires targetRef and service on a Canary and port on its service', () => {
    const schema = (versionOf(crdFromDisk('canaries.yaml')).schema as Json).openAPIV3Schema as Json;
    const spec = (schema.properties as Record<string, Json>).spec!;
    expect(spec.required).toEqual(['targetRef', 'service']);
    expect((spec.properties as Record<string, Json>).service!.required).toEqual(['port']);
  });
});
