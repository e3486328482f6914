import { DateTime } from 'luxon';
import {
  createTestDatabases,
  migratedKnex,
  observation,
  PODINFO,
} from '../../__fixtures__/rollouts';
import { upsertRollout } from './upsertRollout';
import { listRollouts } from './listRollouts';
import { addActor } from '../actors/addActor';

const databases = createTestDatabases();
const base = DateTime.fromISO('2026-11-22T10:00:00Z', { zone: 'utc' });

describe('listRollouts', () => {
  it.each(databases.eachSupportedId())(
    'pages newest first by start time and id, without gaps or repeats, %p',
    async id => {
      const knex = await migratedKnex(databases, id);
      // Seven rollouts; rev-5 and rev-6 start at the same millisecond (the id breaks the tie).
      const starts = [0, 60, 120, 180, 240, 300, 300].map(s => base.plus({ seconds: s }).toISO()!);
      for (const [i, startedAt] of starts.entries()) {
        await upsertRollout(
          knex,
          observation({ revision: `rev-${i}`, startedAt, observedAt: startedAt }),
        );
      }
      await upsertRollout(
        knex,
        observation({ name: 'other', revision: 'x', startedAt: starts[6] }),
      );
      const seen: string[] = [];
      let before: string | undefined;
      let pages = 0;
      do {
        const page = await listRollouts(knex, PODINFO, { limit: 3, ...(before ? { before } : {}) });
        seen.push(...page.items.map(r => r.revision));
        before = page.next;
        pages += 1;
      } while (before);
      expect(pages).toBe(3);
      expect(seen).toEqual(['rev-6', 'rev-5', 'rev-4', 'rev-3', 'rev-2', 'rev-1', 'rev-0']);
    },
  );

  it.each(databases.eachSupportedId())('returns no next cursor on the last page, %p', async id => {
    const knex = await migratedKnex(databases, id);
    await upsertRollout(knex, observation());
    const page = await listRollouts(knex, PODINFO, { limit: 5 });
    expect(page.items).toHaveLength(1);
    expect(page.next).toBeUndefined();
    expect(await listRollouts(knex, { ...PODINFO, name: 'nothing' }, { limit: 5 })).toEqual({
      items: [],
    });
  });

  it.each(databases.eachSupportedId())("carries each rollout's actors, %p", async id => {
    const knex = await migratedKnex(databases, id);
    const { rollout } = await upsertRollout(knex, observation());
    await addActor(knex, Number(rollout.id), {
      action: 'promote',
      by: 'user:default/jane',
      reason: 'looks good',
      at: '2026-11-22T10:00:30Z',
      outcome: 'Applied',
    });
    const page = await listRollouts(knex, PODINFO, { limit: 5 });
    expect(page.items[0]?.actors).toEqual([
      {
        action: 'promote',
        by: 'user:default/jane',
        reason: 'looks good',
        at: '2026-11-22T10:00:30.000Z',
        outcome: 'Applied',
      },
    ]);
  });

  it.each(databases.eachSupportedId())('refuses a cursor it did not make, %p', async id => {
    const knex = await migratedKnex(databases, id);
    await expect(listRollouts(knex, PODINFO, { limit: 5, before: 'abc' })).rejects.toThrow(
      'before: "abc" is not a cursor from a previous page',
    );
  });
});
