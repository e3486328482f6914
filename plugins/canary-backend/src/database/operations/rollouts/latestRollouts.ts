import type { Knex } from 'knex';
import { canaryKey, type CanaryRef, type Rollout } from '@aviary/backstage-plugin-canary-common';
import { TABLES, type DbRolloutRow } from '../../tables';
import { rolloutFromRow } from '../../conversions';
import { loadActors } from '../actors/loadActors';

// Refs per query: keeps the OR list (and its bound variables) small.
const BATCH = 100;

/**
 * The newest rollout (by start time, then id) of each canary given, keyed by canaryKey. One
 * windowed query per batch of canaries; each partition is read from the history index.
 */
export async function latestRollouts(knex: Knex, refs: CanaryRef[]): Promise<Map<string, Rollout>> {
  const result = new Map<string, Rollout>();
  const unique = [...new Map(refs.map(r => [canaryKey(r), r])).values()];
  for (let i = 0; i < unique.length; i += BATCH) {
    const batch = unique.slice(i, i + BATCH);
    const ranked = knex(TABLES.rollouts)
      .select(
        '*',
        knex.raw(
          'row_number() over (partition by cluster, namespace, canary order by started_at desc, id desc) as rn',
        ),
      )
      .where(q => {
        for (const ref of batch) {
          q.orWhere(w =>
            w.where({ cluster: ref.cluster, namespace: ref.namespace, canary: ref.name }),
          );
        }
      });
    const rows: DbRolloutRow[] = await knex.select('*').from(ranked.as('ranked')).where('rn', 1);
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
