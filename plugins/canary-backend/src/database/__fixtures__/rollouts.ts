// Shared setup of the database tests: a migrated store on each engine, and observations.
import { TestDatabases, type TestDatabaseId } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import type { CheckResult } from '@aviary/backstage-plugin-canary-common';
import type { RolloutObservation } from '../types';
import { applyDatabaseMigrations } from '../migrations';

export const ENGINES: TestDatabaseId[] = ['SQLITE_3', 'POSTGRES_15'];

export function createTestDatabases(): TestDatabases {
  return TestDatabases.create({ ids: ENGINES });
}

export async function migratedKnex(databases: TestDatabases, id: TestDatabaseId): Promise<Knex> {
  const knex = await databases.init(id);
  await applyDatabaseMigrations(knex);
  return knex;
}

export const PODINFO = { cluster: 'prod', namespace: 'demo', name: 'podinfo' };

export function observation(overrides: Partial<RolloutObservation> = {}): RolloutObservation {
  return {
    ...PODINFO,
    revision: 'rev-1',
    images: { canary: ['podinfo:6.0.1'], primary: ['podinfo:6.0.0'] },
    observedAt: '2026-11-22T10:00:00.000Z',
    startedAt: '2026-11-22T10:00:00.000Z',
    outcome: 'Running',
    reason: 'New revision detected, progressing canary analysis.',
    weight: 0,
    failedChecks: 0,
    ...overrides,
  };
}

export function check(overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    time: '2026-11-22T10:00:10.001Z',
    metric: 'request-success-rate',
    value: 100,
    outcome: 'value',
    thresholdRange: { min: 99 },
    verdict: 'pass',
    ...overrides,
  };
}
