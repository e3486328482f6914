import { check, createTestDatabases, migratedKnex, observation } from '../../__fixtures__/rollouts';
import { upsertRollout } from '../rollouts/upsertRollout';
import { getRollout } from '../rollouts/getRollout';
import { addChecks } from './addChecks';

const databases = createTestDatabases();

describe('addChecks', () => {
  it.each(databases.eachSupportedId())(
    'adds new checks only, counts them and keeps the rollout count in step, %p',
    async id => {
      const knex = await migratedKnex(databases, id);
      const { rollout } = await upsertRollout(knex, observation());
      const rid = Number(rollout.id);
      const first = [
        check(),
        check({ metric: 'request-duration', value: 4, thresholdRange: { max: 500 } }),
      ];
      expect(await addChecks(knex, rid, first)).toBe(2);
      // The controller serves its whole recent list every time: the old ones come again.
      const second = [
        ...first,
        check({
          time: '2026-11-22T10:00:20.001Z',
          value: 97,
          verdict: 'fail',
          message: 'below 99',
        }),
      ];
      expect(await addChecks(knex, rid, second)).toBe(1);
      expect(await addChecks(knex, rid, second)).toBe(0);
      expect(await addChecks(knex, rid, [])).toBe(0);
      const read = await getRollout(knex, rollout.id);
      expect(read?.checkCount).toBe(3);
      expect(read?.failedChecks).toBe(1);
      expect(read?.checks.map(c => [c.metric, c.value, c.verdict])).toEqual([
        ['request-duration', 4, 'pass'],
        ['request-success-rate', 100, 'pass'],
        ['request-success-rate', 97, 'fail'],
      ]);
    },
  );

  it.each(databases.eachSupportedId())('inserts large lists in batches, %p', async id => {
    const knex = await migratedKnex(databases, id);
    const { rollout } = await upsertRollout(knex, observation());
    const start = Date.parse('2026-11-22T10:00:00Z');
    const many = Array.from({ length: 1200 }, (_, i) =>
      check({ time: new Date(start + i * 1000).toISOString() }),
    );
    expect(await addChecks(knex, Number(rollout.id), many)).toBe(1200);
    expect((await getRollout(knex, rollout.id))?.checkCount).toBe(1200);
  });
});
