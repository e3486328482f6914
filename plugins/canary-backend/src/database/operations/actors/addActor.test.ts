import { createTestDatabases, migratedKnex, observation } from '../../__fixtures__/rollouts';
import { upsertRollout } from '../rollouts/upsertRollout';
import { addActor } from './addActor';
import { loadActors } from './loadActors';

const databases = createTestDatabases();

describe('addActor / loadActors', () => {
  it.each(databases.eachSupportedId())(
    'records an acknowledged action once, oldest first per rollout, %p',
    async id => {
      const knex = await migratedKnex(databases, id);
      const a = Number((await upsertRollout(knex, observation())).rollout.id);
      const b = Number((await upsertRollout(knex, observation({ revision: 'rev-2' }))).rollout.id);
      const pause = {
        action: 'pause',
        by: 'user:default/jane',
        reason: 'lunch',
        at: '2026-11-22T10:00:40Z',
        outcome: 'Applied' as const,
      };
      const promote = {
        action: 'promote',
        by: 'api-token',
        at: '2026-11-22T10:00:20Z',
        outcome: 'Refused' as const,
      };
      expect(await addActor(knex, a, pause)).toBe(1);
      expect(await addActor(knex, a, pause)).toBe(0);
      expect(await addActor(knex, a, promote)).toBe(1);
      const actors = await loadActors(knex, [a, b]);
      expect(actors.get(a)).toEqual([
        { action: 'promote', by: 'api-token', at: '2026-11-22T10:00:20.000Z', outcome: 'Refused' },
        { ...pause, at: '2026-11-22T10:00:40.000Z' },
      ]);
      expect(actors.get(b)).toBeUndefined();
      expect((await loadActors(knex, [])).size).toBe(0);
    },
  );
});
