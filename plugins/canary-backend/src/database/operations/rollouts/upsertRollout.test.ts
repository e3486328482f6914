import { createTestDatabases, migratedKnex, observation } from '../../__fixtures__/rollouts';
import { TABLES } from '../../tables';
import { upsertRollout } from './upsertRollout';

const databases = createTestDatabases();

describe('upsertRollout', () => {
  it.each(databases.eachSupportedId())('creates the rollout of a new revision, %p', async id => {
    const knex = await migratedKnex(databases, id);
    const result = await upsertRollout(knex, observation({ weight: 25 }));
    expect(result.previousOutcome).toBeUndefined();
    expect(result.changed).toBe(true);
    expect(result.rollout).toEqual({
      id: expect.any(String),
      cluster: 'prod',
      namespace: 'demo',
      name: 'podinfo',
      revision: 'rev-1',
      images: { canary: ['podinfo:6.0.1'], primary: ['podinfo:6.0.0'] },
      startedAt: '2026-11-22T10:00:00.000Z',
      outcome: 'Running',
      reason: 'New revision detected, progressing canary analysis.',
      actors: [],
      maxWeightReached: 25,
      failedChecks: 0,
      checkCount: 0,
    });
  });

  it.each(databases.eachSupportedId())(
    'is idempotent: the same observation twice changes nothing, %p',
    async id => {
      const knex = await migratedKnex(databases, id);
      const first = await upsertRollout(knex, observation());
      const again = await upsertRollout(knex, observation());
      expect(again.changed).toBe(false);
      expect(again.previousOutcome).toBe('Running');
      expect(again.rollout).toEqual(first.rollout);
      const rows = await knex(TABLES.rollouts).select('id');
      expect(rows).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'ends a rollout and reports the outcome it had before, %p',
    async id => {
      const knex = await migratedKnex(databases, id);
      await upsertRollout(knex, observation({ weight: 50 }));
      const ended = await upsertRollout(
        knex,
        observation({
          outcome: 'Succeeded',
          observedAt: '2026-11-22T10:00:50Z',
          reason: 'Canary analysis completed successfully, promotion finished.',
          images: { canary: [], primary: [] },
        }),
      );
      expect(ended.previousOutcome).toBe('Running');
      expect(ended.changed).toBe(true);
      expect(ended.rollout).toMatchObject({
        outcome: 'Succeeded',
        endedAt: '2026-11-22T10:00:50.000Z',
        maxWeightReached: 50,
        images: { canary: ['podinfo:6.0.1'], primary: ['podinfo:6.0.0'] },
        reason: 'Canary analysis completed successfully, promotion finished.',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps one row per (cluster, namespace, canary, revision); other clusters are apart, %p',
    async id => {
      const knex = await migratedKnex(databases, id);
      const a = await upsertRollout(knex, observation());
      const b = await upsertRollout(knex, observation({ cluster: 'staging' }));
      const c = await upsertRollout(knex, observation({ revision: 'rev-2' }));
      expect(new Set([a.rollout.id, b.rollout.id, c.rollout.id]).size).toBe(3);
    },
  );

  it.each(databases.eachSupportedId())('rejects a time that is not one, %p', async id => {
    const knex = await migratedKnex(databases, id);
    await expect(upsertRollout(knex, observation({ observedAt: 'yesterday' }))).rejects.toThrow(
      '"yesterday" is not a valid time',
    );
  });
});
