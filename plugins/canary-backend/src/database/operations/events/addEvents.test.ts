import { createTestDatabases, migratedKnex, observation } from '../../__fixtures__/rollouts';
import { upsertRollout } from '../rollouts/upsertRollout';
import { getRollout } from '../rollouts/getRollout';
import { addEvents } from './addEvents';

const databases = createTestDatabases();

describe('addEvents', () => {
  it.each(databases.eachSupportedId())(
    'adds an event once per time, reason and message; long messages are fine, %p',
    async id => {
      const knex = await migratedKnex(databases, id);
      const { rollout } = await upsertRollout(knex, observation());
      const rid = Number(rollout.id);
      const advance = {
        time: '2026-11-22T10:00:10Z',
        type: 'Normal',
        reason: 'Synced',
        message: 'Advance podinfo.demo canary weight 25',
      };
      const long = {
        time: '2026-11-22T10:00:20Z',
        type: 'Warning',
        reason: 'Synced',
        message: 'x'.repeat(20_000),
      };
      expect(await addEvents(knex, rid, [advance, long])).toBe(2);
      expect(await addEvents(knex, rid, [advance, long])).toBe(0);
      // The same message again later is another occurrence.
      expect(await addEvents(knex, rid, [{ ...advance, time: '2026-11-22T10:01:10Z' }])).toBe(1);
      expect(await addEvents(knex, rid, [])).toBe(0);
      const read = await getRollout(knex, rollout.id);
      expect(read?.events.map(e => [e.time, e.message.length])).toEqual([
        ['2026-11-22T10:00:10.000Z', advance.message.length],
        ['2026-11-22T10:00:20.000Z', 20_000],
        ['2026-11-22T10:01:10.000Z', advance.message.length],
      ]);
    },
  );
});
