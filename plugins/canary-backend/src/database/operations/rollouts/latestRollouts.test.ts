import { canaryKey } from '@aviary/backstage-plugin-canary-common';
import {
  createTestDatabases,
  migratedKnex,
  observation,
  PODINFO,
} from '../../__fixtures__/rollouts';
import { upsertRollout } from './upsertRollout';
import { latestRollouts } from './latestRollouts';

const databases = createTestDatabases();

describe('latestRollouts', () => {
  it.each(databases.eachSupportedId())(
    'returns the newest rollout of each canary asked for, absent ones left out, %p',
    async id => {
      const knex = await migratedKnex(databases, id);
      await upsertRollout(knex, observation({ revision: 'a1', startedAt: '2026-11-22T10:00:00Z' }));
      await upsertRollout(
        knex,
        observation({
          revision: 'a2',
          startedAt: '2026-11-22T11:00:00Z',
          observedAt: '2026-11-22T11:00:00Z',
        }),
      );
      await upsertRollout(knex, observation({ revision: 'a0', startedAt: '2026-11-22T09:00:00Z' }));
      const abtest = { ...PODINFO, name: 'abtest' };
      await upsertRollout(knex, observation({ ...abtest, revision: 'b1' }));
      const otherCluster = { ...PODINFO, cluster: 'staging' };
      await upsertRollout(knex, observation({ ...otherCluster, revision: 'c1' }));

      const missing = { ...PODINFO, name: 'missing' };
      const latest = await latestRollouts(knex, [PODINFO, abtest, missing, PODINFO]);
      expect([...latest.keys()].sort()).toEqual([canaryKey(abtest), canaryKey(PODINFO)].sort());
      expect(latest.get(canaryKey(PODINFO))?.revision).toBe('a2');
      expect(latest.get(canaryKey(abtest))?.revision).toBe('b1');
      expect(
        (await latestRollouts(knex, [otherCluster])).get(canaryKey(otherCluster))?.revision,
      ).toBe('c1');
      expect((await latestRollouts(knex, [])).size).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'answers for more canaries than one batch holds, %p',
    async id => {
      const knex = await migratedKnex(databases, id);
      const refs = Array.from({ length: 130 }, (_, i) => ({ ...PODINFO, name: `canary-${i}` }));
      for (const ref of refs) await upsertRollout(knex, observation({ ...ref }));
      const latest = await latestRollouts(knex, refs);
      expect(latest.size).toBe(130);
    },
  );
});
