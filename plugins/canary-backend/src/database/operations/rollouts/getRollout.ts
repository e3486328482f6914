import type { Knex } from 'knex';
import type { RolloutWithChecks } from '@aviary/backstage-plugin-canary-common';
import { TABLES, type DbCheckRow, type DbEventRow, type DbRolloutRow } from '../../tables';
import { checkFromRow, eventFromRow, parseRolloutId, rolloutFromRow } from '../../conversions';
import { loadActors } from '../actors/loadActors';

/** A rollout with its checks and events in time order; undefined for an unknown id. */
export async function getRollout(knex: Knex, id: string): Promise<RolloutWithChecks | undefined> {
  const rolloutId = parseRolloutId(id);
  if (rolloutId === undefined) return undefined;
  const row = await knex<DbRolloutRow>(TABLES.rollouts).where({ id: rolloutId }).first();
  if (!row) return undefined;
  const [checks, events, actors] = await Promise.all([
    knex<DbCheckRow>(TABLES.checks)
      .where({ rollout_id: rolloutId })
      .orderBy([{ column: 'time' }, { column: 'metric' }]),
    knex<DbEventRow>(TABLES.events)
      .where({ rollout_id: rolloutId })
      .orderBy([{ column: 'time' }, { column: 'id' }]),
    loadActors(knex, [rolloutId]),
  ]);
  return {
    ...rolloutFromRow(row, actors.get(rolloutId)),
    checks: checks.map(checkFromRow),
    events: events.map(eventFromRow),
  };
}
