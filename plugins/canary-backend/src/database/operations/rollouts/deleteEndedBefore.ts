import type { Knex } from 'knex';
import { TABLES } from '../../tables';
import { toMillis } from '../../conversions';

/**
 * Deletes rollouts that ended before `cutoff`, with their checks, events and actors. A rollout
 * without an end (running or waiting) is never deleted. Children are deleted explicitly: SQLite
 * enforces the cascade only when foreign keys are switched on for the connection.
 */
export async function deleteEndedBefore(knex: Knex, cutoff: string): Promise<number> {
  const cutoffMs = toMillis(cutoff);
  return knex.transaction(async (tx): Promise<number> => {
    const ended = () =>
      tx(TABLES.rollouts).select('id').whereNotNull('ended_at').andWhere('ended_at', '<', cutoffMs);
    for (const child of [TABLES.checks, TABLES.events, TABLES.actors]) {
      await tx(child).whereIn('rollout_id', ended()).delete();
    }
    const deleted: number = await tx(TABLES.rollouts).whereIn('id', ended()).delete();
    return deleted;
  });
}
