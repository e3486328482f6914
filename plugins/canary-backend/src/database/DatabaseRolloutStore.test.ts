import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { createTestDatabases, observation, PODINFO } from './__fixtures__/rollouts';
import { DatabaseRolloutStore } from './DatabaseRolloutStore';

const databases = createTestDatabases();

function service(knex: Knex, skip?: boolean): DatabaseService {
  return { getClient: async () => knex, ...(skip !== undefined ? { migrations: { skip } } : {}) };
}

describe('DatabaseRolloutStore', () => {
  it.each(databases.eachSupportedId())(
    'migrates the database service it is given and runs the store on it, %p',
    async id => {
      const knex = await databases.init(id);
      const store = await DatabaseRolloutStore.create({ database: service(knex) });
      // Twice is fine: the second finds nothing to do.
      await DatabaseRolloutStore.create({ database: knex });
      const { rollout } = await store.upsertRollout(observation());
      expect(await store.addChecks(rollout.id, [])).toBe(0);
      await store.addActor(rollout.id, { action: 'pause', by: 'jane', at: '2026-11-22T10:00:05Z' });
      expect((await store.listRollouts(PODINFO, { limit: 1 })).items[0]?.actors).toHaveLength(1);
      expect((await store.listOpenRollouts('prod')).map(r => r.id)).toEqual([rollout.id]);
      await store.setStreamCursor('prod', '7');
      expect(await store.getStreamCursor('prod')).toBe('7');
      expect(await store.deleteEndedBefore('2030-01-01T00:00:00Z')).toBe(0);
      await expect(store.addChecks('nope', [])).rejects.toThrow('"nope" is not a rollout id');
    },
  );

  it.each(databases.eachSupportedId())(
    'leaves the schema alone when migrations are skipped, %p',
    async id => {
      const knex = await databases.init(id);
      await DatabaseRolloutStore.create({ database: service(knex, true) });
      await DatabaseRolloutStore.create({ database: knex, skipMigrations: true });
      expect(await knex.schema.hasTable('canary_rollouts')).toBe(false);
    },
  );
});
