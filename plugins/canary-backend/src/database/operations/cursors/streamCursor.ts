import type { Knex } from 'knex';
import { TABLES, type DbStreamCursorRow } from '../../tables';

export async function getStreamCursor(knex: Knex, cluster: string): Promise<string | undefined> {
  const row = await knex<DbStreamCursorRow>(TABLES.cursors).where({ cluster }).first();
  return row?.event_id;
}

export async function setStreamCursor(
  knex: Knex,
  cluster: string,
  eventId: string,
  now: number = Date.now(),
): Promise<void> {
  await knex(TABLES.cursors)
    .insert({ cluster, event_id: eventId, updated_at: now })
    .onConflict('cluster')
    .merge(['event_id', 'updated_at']);
}
