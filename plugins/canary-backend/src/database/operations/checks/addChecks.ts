import type { Knex } from 'knex';
import type { CheckResult } from '@aviary/backstage-plugin-canary-common';
import { TABLES } from '../../tables';
import { toMillis } from '../../conversions';

// Well under SQLite's limit of bound variables per statement (10 columns per row).
const BATCH = 500;

export function checkColumns(rolloutId: number, check: CheckResult) {
  return {
    rollout_id: rolloutId,
    time: toMillis(check.time),
    metric: check.metric,
    value: check.value,
    outcome: check.outcome,
    threshold_min: check.thresholdRange.min ?? null,
    threshold_max: check.thresholdRange.max ?? null,
    verdict: check.verdict,
    message: check.message ?? null,
  };
}

/** Inserts the checks not stored yet (same metric and time) and refreshes the rollout's count. */
export async function addChecks(
  knex: Knex,
  rolloutId: number,
  checks: CheckResult[],
): Promise<number> {
  if (checks.length === 0) return 0;
  return knex.transaction(async tx => {
    let added = 0;
    for (let i = 0; i < checks.length; i += BATCH) {
      const rows = checks.slice(i, i + BATCH).map(c => checkColumns(rolloutId, c));
      const inserted = await tx(TABLES.checks)
        .insert(rows)
        .onConflict(['rollout_id', 'time', 'metric'])
        .ignore()
        .returning('id');
      added += inserted.length;
    }
    if (added > 0) {
      await tx(TABLES.rollouts)
        .where({ id: rolloutId })
        .update({
          check_count: tx(TABLES.checks).where({ rollout_id: rolloutId }).count('*'),
          failed_checks: tx(TABLES.checks)
            .where({ rollout_id: rolloutId, verdict: 'fail' })
            .count('*'),
        });
    }
    return added;
  });
}
