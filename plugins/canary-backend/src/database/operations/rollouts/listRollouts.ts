import type { Knex } from 'knex';
import type { CanaryRef, RolloutPage } from '@aviary/backstage-plugin-canary-common';
import { TABLES, type DbRolloutRow } from '../../tables';
import { decodePageCursor, encodePageCursor, rolloutFromRow } from '../../conversions';
import { loadActors } from '../actors/loadActors';

export const MAX_PAGE_SIZE = 100;

/** One page of a canary's rollouts, newest first, keyed by (started_at, id). */
export async function listRollouts(
  knex: Knex,
  ref: CanaryRef,
  page: { limit: number; before?: string },
): Promise<RolloutPage> {
  const limit = Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(page.limit) || 1));
  const query = knex<DbRolloutRow>(TABLES.rollouts)
    .where({ cluster: ref.cluster, namespace: ref.namespace, canary: ref.name })
    .orderBy([
      { column: 'started_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit + 1);
  if (page.before !== undefined) {
    const cursor = decodePageCursor(page.before);
    query.where(q =>
      q
        .where('started_at', '<', cursor.startedAt)
        .orWhere(q2 =>
          q2.where('started_at', '=', cursor.startedAt).andWhere('id', '<', cursor.id),
        ),
    );
  }
  const rows = await query;
  const items = rows.slice(0, limit);
  const actors = await loadActors(
    knex,
    items.map(r => r.id),
  );
  const last = items[items.length - 1];
  return {
    items: items.map(r => rolloutFromRow(r, actors.get(Number(r.id)))),
    ...(rows.length > limit && last ? { next: encodePageCursor(last) } : {}),
  };
}
