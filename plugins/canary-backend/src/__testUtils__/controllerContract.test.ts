// canary-common restates the controller API's shapes (the plugins must not depend on the controller
// package), and the fake controller imitates its answers. Both are checked here against the
// OpenAPI document the controller serves, so neither can drift from it unnoticed.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CanaryDetail, CanarySummary } from '@aviary/backstage-plugin-canary-common';
import { detailOf, summaryOf } from './fakeCanaryView';

interface Schema {
  properties?: Record<string, Schema>;
  items?: Schema;
}

const openapi = JSON.parse(
  readFileSync(resolve(__dirname, '../../../../controller/src/http/api/openapi.json'), 'utf8'),
) as { components: { schemas: Record<string, Schema> } };
const schemas = openapi.components.schemas;

function declared(name: string): string[] {
  return Object.keys(schemas[name]?.properties ?? {}).sort();
}

// `satisfies` makes the compiler check that these lists name every field of the shared types.
const summaryFields = {
  cluster: true,
  namespace: true,
  name: true,
  target: true,
  phase: true,
  weight: true,
  failedChecks: true,
  iterations: true,
  revision: true,
  promotedRevision: true,
  paused: true,
  lastTransitionTime: true,
  message: true,
  manualAction: true,
} satisfies Record<keyof CanarySummary, true>;

const detailOnlyFields = {
  spec: true,
  weights: true,
  images: true,
  checks: true,
  events: true,
  changes: true,
  status: true,
} satisfies Record<Exclude<keyof CanaryDetail, keyof CanarySummary>, true>;

/** Paths in `value` that the schema does not declare (objects with declared properties only). */
function undeclared(value: unknown, schema: Schema | undefined, path = ''): string[] {
  if (!schema || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => undeclared(item, schema.items, `${path}[${i}]`));
  }
  if (!schema.properties) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key in schema.properties!
      ? undeclared(child, schema.properties![key], `${path}.${key}`)
      : [`${path}.${key}`],
  );
}

describe('the controller API contract', () => {
  // `cluster` is the backend's addition: the controller does not know its own name.
  const fromController = (fields: object) => Object.keys(fields).filter(f => f !== 'cluster');

  it("canary-common's CanarySummary has exactly the controller's summary fields", () => {
    expect(fromController(summaryFields).sort()).toEqual(declared('CanarySummary'));
  });

  it("canary-common's CanaryDetail has exactly the controller's detail fields", () => {
    expect([...fromController(summaryFields), ...Object.keys(detailOnlyFields)].sort()).toEqual(
      declared('CanaryDetail'),
    );
  });

  it('the fake controller answers only with fields the document declares', () => {
    const canary = {
      namespace: 'demo',
      name: 'podinfo',
      phase: 'Progressing',
      weight: 20,
      revision: 'abc',
      promotedRevision: 'def',
      lastTransitionTime: '2026-11-22T10:00:00Z',
      message: 'New revision detected',
      manualAction: { id: 'r1', action: 'pause', requestedBy: 'user:default/alice' },
      images: { canary: ['podinfo:6.0.1'], primary: ['podinfo:6.0.0'] },
    };
    expect(undeclared(summaryOf(canary), schemas.CanarySummary)).toEqual([]);
    expect(undeclared(detailOf(canary, []), schemas.CanaryDetail)).toEqual([]);
  });
});
