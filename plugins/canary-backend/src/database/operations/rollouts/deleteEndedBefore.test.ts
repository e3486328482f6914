import { check, createTestDatabases, migratedKnex, observation } from '../../__fixtures__/rollouts';
import { TABLES } from '../../tables';
import { upsertRollout } from './upsertRollout';
import { deleteEndedBefore } from './deleteEndedBefore';
import { addChecks } from '../checks/addChecks';
import { addEvents } from '../events/addEvents';
import { addActor } from '../actors/addActor';

const databases = createTestDatabases();

describe('deleteEndedBefore', () => {
  it.each(databases.eachSupportedId())(
    'deletes rollouts ended before the cutoff with their checks, events and actors; never a running one, %p',
    async id => {
      const knex = await migratedKnex(databases, id);
      const old = await upsertRollout(
        knex,
        observation({
          revision: 'old',
          outcome: 'Failed',
          startedAt: '2026-01-01T00:00:00Z',
          observedAt: '2026-01-01T00:05:00Z',
        }),
      );
      const oldRunning = await upsertRollout(
        knex,
        observation({
          revision: 'stuck',
          startedAt: '2026-01-01T00:00:00Z',
          observedAt: '2026-01-01T00:00:00Z',
        }),
      );
      const recent = await upsertRollout(
        knex,
        observation({
          revision: 'recent',
          outcome: 'Succeeded',
          startedAt: '2026-11-01T00:00:00Z',
          observedAt: '2026-11-01T00:05:00Z',
        }),
      );
      for (const { rollout } of [old, oldRunning, recent]) {
        const rid = Number(rollout.id);
        await addChecks(knex, rid, [check()]);
        await addEvents(knex, rid, [
          { time: '2026-01-01T00:01:00Z', type: 'Normal', reason: 'Synced', message: 'm' },
        ]);
        await addActor(knex, rid, {
          action: 'abort',
          by: 'user:default/jane',
          at: '2026-01-01T00:02:00Z',
        });
      }

      expect(await deleteEndedBefore(knex, '2026-06-01T00:00:00Z')).toBe(1);

      const left = (await knex(TABLES.rollouts).select('revision').orderBy('revision')).map(
        r => r.revision,
      );
      expect(left).toEqual(['recent', 'stuck']);
      for (const table of [TABLES.checks, TABLES.events, TABLES.actors]) {
        const ids = (await knex(table).select('rollout_id')).map(r => String(r.rollout_id)).sort();
        expect(ids).toEqual([oldRunning.rollout.id, recent.rollout.id].sort());
      }
      expect(await deleteEndedBefore(knex, '2026-06-01T00:00:00Z')).toBe(0);
    },
  );
});
