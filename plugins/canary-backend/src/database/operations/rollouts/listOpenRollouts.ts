import type { Knex } from 'knex';
import type { Rollout } from '@aviary/backstage-plugin-canary-common';
import { TABLES, type DbRolloutRow } from '../../tables';
import { rolloutFromRow } from '../../conversions';
import { loadActors } from '../actors/loadActors';

/**
 * The rollouts of one cluster that have not ended (Running or WaitingPromotion), oldest first.
 * A resync compares them with the controller's list: one whose canary is gone stays open forever
 * otherwise.
 */
export async function listOpenRollouts(knex: Knex, cluster: string): Promise<Rollout[]> {
  const rows: DbRolloutRow[] = await knex<DbRolloutRow>(TABLES.rollouts)
    .where({ cluster })
    .whereNull('ended_at')
    .orderBy([
      { column: 'started_at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ]);
  const actors = await loadActors(
    knex,
    rows.map(r => Number(r.id)),
  );
  return rows.map(row => rolloutFromRow(row, actors.get(Number(row.id))));
}
