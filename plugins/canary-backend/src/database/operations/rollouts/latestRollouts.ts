import type { Knex } from 'knex';
import { canaryKey, type CanaryRef, type Rollout } from '@aviary/backstage-plugin-canary-common';
import { TABLES, type DbRolloutRow } from '../../tables';
import { rolloutFromRow } from '../../conversions';
import { loadActors } from '../actors/loadActors';

// Refs per query: keeps the OR list (and its bound variables) small.
const BATCH = 100;

/**
 * The newest rollout (by start time, then id) of each canary given, keyed by canaryKey. Each canary
 * is one scalar subquery that reads one entry from the end of the history index, so the cost
 * grows with the number of canaries asked for, not with the length of their history.
 */
export async function latestRollouts(knex: Knex, refs: CanaryRef[]): Promise<Map<string, Rollout>> {
  const result = new Map<string, Rollout>();
  const unique = [...new Map(refs.map(r => [canaryKey(r), r])).values()];
  for (let i = 0; i < unique.length; i += BATCH) {
    const batch = unique.slice(i, i + BATCH);
    const rows: DbRolloutRow[] = await knex<DbRolloutRow>(TABLES.rollouts).where(q => {
      for (const ref of batch) {
        q.orWhere(
          'id',
          '=',
          knex(TABLES.rollouts)
            .select('id')
            .where({ cluster: ref.cluster, namespace: ref.namespace, canary: ref.name })
            .orderBy([
              { column: 'started_at', order: 'desc' },
              { column: 'id', order: 'desc' },
            ])
            .limit(1),
        );
      }
    });
    const actors = await loadActors(
      knex,
      rows.map(r => Number(r.id)),
    );
    for (const row of rows) {
      const rollout = rolloutFromRow(row, actors.get(Number(row.id)));
      result.set(canaryKey(rollout), rollout);
    }
  }
  return result;
}
