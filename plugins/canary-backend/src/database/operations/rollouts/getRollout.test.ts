import { check, createTestDatabases, migratedKnex, observation } from '../../__fixtures__/rollouts';
import { upsertRollout } from './upsertRollout';
import { getRollout } from './getRollout';
import { addChecks } from '../checks/addChecks';
import { addEvents } from '../events/addEvents';

const databases = createTestDatabases();

describe('getRollout', () => {
  it.each(databases.eachSupportedId())(
    'returns the rollout with its checks and events in time order, %p',
    async id => {
      const knex = await migratedKnex(databases, id);
      const { rollout } = await upsertRollout(knex, observation());
      const rolloutId = Number(rollout.id);
      await addChecks(knex, rolloutId, [
        check({
          time: '2026-11-22T10:00:20.001Z',
          metric: 'request-duration',
          value: null,
          outcome: 'no-data',
          thresholdRange: { max: 500 },
          verdict: 'skip',
          message: 'no data',
        }),
        check({
          time: '2026-11-22T10:00:10.001Z',
          value: 99.5,
          thresholdRange: { min: 99, max: 100 },
        }),
      ]);
      await addEvents(knex, rolloutId, [
        {
          time: '2026-11-22T10:00:20Z',
          type: 'Normal',
          reason: 'Synced',
          message: 'Advance podinfo.demo canary weight 50',
        },
        {
          time: '2026-11-22T10:00:10Z',
          type: 'Normal',
          reason: 'Synced',
          message: 'Advance podinfo.demo canary weight 25',
        },
      ]);
      const read = await getRollout(knex, rollout.id);
      expect(read).toEqual({
        ...rollout,
        checkCount: 2,
        checks: [
          {
            time: '2026-11-22T10:00:10.001Z',
            metric: 'request-success-rate',
            value: 99.5,
            outcome: 'value',
            thresholdRange: { min: 99, max: 100 },
            verdict: 'pass',
          },
          {
            time: '2026-11-22T10:00:20.001Z',
            metric: 'request-duration',
            value: null,
            outcome: 'no-data',
            thresholdRange: { max: 500 },
            verdict: 'skip',
            message: 'no data',
          },
        ],
        events: [
          {
            time: '2026-11-22T10:00:10.000Z',
            type: 'Normal',
            reason: 'Synced',
            message: 'Advance podinfo.demo canary weight 25',
          },
          {
            time: '2026-11-22T10:00:20.000Z',
            type: 'Normal',
            reason: 'Synced',
            message: 'Advance podinfo.demo canary weight 50',
          },
        ],
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'returns undefined for unknown or malformed ids, %p',
    async id => {
      const knex = await migratedKnex(databases, id);
      expect(await getRollout(knex, '12345')).toBeUndefined();
      expect(await getRollout(knex, 'not-an-id')).toBeUndefined();
      expect(await getRollout(knex, '0')).toBeUndefined();
    },
  );
});
