// Test helpers: load the YAML fixtures and build minimal canaries.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import type { Canary } from '../types.js';

export function loadFixture(file: string): unknown[] {
  return loadAll(readFileSync(join(__dirname, '..', '__fixtures__', file), 'utf8'));
}

export function loadCanary(file: string): Canary {
  const [first] = loadFixture(file);
  return first as Canary;
}

/** The smallest valid canary; `spec` entries replace the defaults one level deep. */
export function minimalCanary(spec: Record<string, unknown> = {}): Canary {
  return {
    apiVersion: 'aviary.dev/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898 },
      analysis: { stepWeight: 10 },
      ...spec,
    },
  } as Canary;
}

/** A minimal canary with extra analysis fields. */
export function canaryWithAnalysis(analysis: Record<string, unknown>): Canary {
  return minimalCanary({ analysis: { stepWeight: 10, ...analysis } });
}
