import type { Knex } from 'knex';
import type { RolloutActor } from '@aviary/backstage-plugin-canary-common';
import { TABLES } from '../../tables';
import { toMillis } from '../../conversions';

/** Records who acted on a rollout; the same action by the same person at the same time once. */
export async function addActor(
  knex: Knex,
  rolloutId: number,
  actor: RolloutActor,
): Promise<number> {
  const inserted = await knex(TABLES.actors)
    .insert({
      rollout_id: rolloutId,
      action: actor.action,
      by: actor.by,
      reason: actor.reason ?? null,
      at: toMillis(actor.at),
      outcome: actor.outcome ?? null,
    })
    .onConflict(['rollout_id', 'action', 'by', 'at'])
    .ignore()
    .returning('id');
  return inserted.length;
}
