import {
  createTestDatabases,
  migratedKnex,
  observation,
  PODINFO,
} from '../../__fixtures__/rollouts';
import { upsertRollout } from './upsertRollout';
import { listOpenRollouts } from './listOpenRollouts';
import { addActor } from '../actors/addActor';

const databases = createTestDatabases();

describe('listOpenRollouts', () => {
  it.each(databases.eachSupportedId())(
    'lists the running and waiting rollouts of one cluster, oldest first, never an ended one, %p',
    async id => {
      const knex = await migratedKnex(databases, id);
      const running = await upsertRollout(
        knex,
        observation({ revision: 'r1', startedAt: '2026-11-22T10:00:00Z' }),
      );
      await addActor(knex, Number(running.rollout.id), {
        action: 'pause',
        by: 'user:default/jane',
        at: '2026-11-22T10:00:05Z',
      });
      await upsertRollout(
        knex,
        observation({
          name: 'abtest',
          revision: 'a1',
          outcome: 'WaitingPromotion',
          startedAt: '2026-11-22T09:00:00Z',
          observedAt: '2026-11-22T09:30:00Z',
        }),
      );
      for (const outcome of ['Succeeded', 'Failed', 'Superseded'] as const) {
        await upsertRollout(
          knex,
          observation({
            name: `ended-${outcome.toLowerCase()}`,
            outcome,
            startedAt: '2026-11-22T08:00:00Z',
            observedAt: '2026-11-22T08:10:00Z',
          }),
        );
      }
      await upsertRollout(knex, observation({ cluster: 'staging', revision: 's1' }));

      const open = await listOpenRollouts(knex, PODINFO.cluster);
      expect(open.map(r => [r.name, r.revision, r.outcome])).toEqual([
        ['abtest', 'a1', 'WaitingPromotion'],
        ['podinfo', 'r1', 'Running'],
      ]);
      expect(open[1]).toMatchObject({ id: running.rollout.id, cluster: 'prod', namespace: 'demo' });
      expect(open[1]!.endedAt).toBeUndefined();
      expect(open[1]!.actors).toEqual([expect.objectContaining({ action: 'pause' })]);
      expect((await listOpenRollouts(knex, 'staging')).map(r => r.revision)).toEqual(['s1']);
      expect(await listOpenRollouts(knex, 'mars')).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'no longer lists a rollout once it ends, and lists it again when it reopens, %p',
    async id => {
      const knex = await migratedKnex(databases, id);
      await upsertRollout(knex, observation());
      await upsertRollout(
        knex,
        observation({ outcome: 'Succeeded', observedAt: '2026-11-22T10:10:00Z' }),
      );
      expect(await listOpenRollouts(knex, 'prod')).toEqual([]);
      await upsertRollout(knex, observation({ observedAt: '2026-11-22T11:00:00Z' }));
      expect((await listOpenRollouts(knex, 'prod')).map(r => r.outcome)).toEqual(['Running']);
    },
  );
});
