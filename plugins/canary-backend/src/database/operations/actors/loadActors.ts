import type { Knex } from 'knex';
import type { RolloutActor } from '@aviary/backstage-plugin-canary-common';
import { TABLES, type DbActorRow } from '../../tables';
import { actorFromRow } from '../../conversions';

/** The actors of each rollout given, oldest first. */
export async function loadActors(
  knex: Knex,
  rolloutIds: number[],
): Promise<Map<number, RolloutActor[]>> {
  const byRollout = new Map<number, RolloutActor[]>();
  if (rolloutIds.length === 0) return byRollout;
  const rows = await knex<DbActorRow>(TABLES.actors)
    .whereIn('rollout_id', rolloutIds)
    .orderBy([{ column: 'at' }, { column: 'id' }]);
  for (const row of rows) {
    const id = Number(row.rollout_id);
    const list = byRollout.get(id) ?? [];
    list.push(actorFromRow(row));
    byRollout.set(id, list);
  }
  return byRollout;
}
