import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { RolloutEvent } from '@aviary/backstage-plugin-canary-common';
import { TABLES } from '../../tables';
import { toMillis } from '../../conversions';

const BATCH = 500;

function dedupKey(time: number, event: RolloutEvent): string {
  return createHash('sha256')
    .update(`${time}\n${event.reason}\n${event.message}`, 'utf8')
    .digest('hex');
}

/** Inserts the events not stored yet (same time, reason and message). */
export async function addEvents(
  knex: Knex,
  rolloutId: number,
  events: RolloutEvent[],
): Promise<number> {
  let added = 0;
  for (let i = 0; i < events.length; i += BATCH) {
    const rows = events.slice(i, i + BATCH).map(event => {
      const time = toMillis(event.time);
      return {
        rollout_id: rolloutId,
        time,
        type: event.type,
        reason: event.reason,
        message: event.message,
        dedup_key: dedupKey(time, event),
      };
    });
    const inserted = await knex(TABLES.events)
      .insert(rows)
      .onConflict(['rollout_id', 'dedup_key'])
      .ignore()
      .returning('id');
    added += inserted.length;
  }
  return added;
}
