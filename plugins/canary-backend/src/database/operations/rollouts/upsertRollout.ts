import type { Knex } from 'knex';
import type { Rollout, RolloutOutcome } from '@aviary/backstage-plugin-canary-common';
import type { RolloutObservation } from '../../types';
import { TABLES, type DbRolloutRow } from '../../tables';
import { parseImages, rolloutFromRow, toMillis } from '../../conversions';
import {
  createRolloutState,
  mergeRollout,
  sameState,
  type ObservedState,
  type RolloutState,
} from '../../mergeRollout';
import { loadActors } from '../actors/loadActors';

function observedState(observation: RolloutObservation): ObservedState {
  return {
    images: observation.images,
    observedAt: toMillis(observation.observedAt),
    ...(observation.startedAt !== undefined ? { startedAt: toMillis(observation.startedAt) } : {}),
    outcome: observation.outcome,
    ...(observation.reason !== undefined ? { reason: observation.reason } : {}),
    weight: observation.weight,
    failedChecks: observation.failedChecks,
  };
}

function stateOf(row: DbRolloutRow): RolloutState {
  return {
    images: parseImages(row.images),
    startedAt: Number(row.started_at),
    ...(row.ended_at !== null ? { endedAt: Number(row.ended_at) } : {}),
    outcome: row.outcome as RolloutOutcome,
    ...(row.reason !== null ? { reason: row.reason } : {}),
    maxWeight: Number(row.max_weight),
    failedChecks: Number(row.failed_checks),
  };
}

function columnsOf(state: RolloutState) {
  return {
    images: JSON.stringify(state.images),
    started_at: state.startedAt,
    ended_at: state.endedAt ?? null,
    outcome: state.outcome,
    reason: state.reason ?? null,
    max_weight: state.maxWeight,
    failed_checks: state.failedChecks,
  };
}

/**
 * Creates or updates the rollout of (cluster, namespace, canary, revision) as mergeRollout
 * decides. Runs in one transaction; two writers racing on a new revision both end on one row
 * (the insert ignores a conflict and the update re-reads).
 */
export async function upsertRollout(
  knex: Knex,
  observation: RolloutObservation,
  now: number = Date.now(),
): Promise<{ rollout: Rollout; previousOutcome?: RolloutOutcome; changed: boolean }> {
  const observed = observedState(observation);
  const key = {
    cluster: observation.cluster,
    namespace: observation.namespace,
    canary: observation.name,
    revision: observation.revision,
  };
  return knex.transaction(async tx => {
    let row = await tx<DbRolloutRow>(TABLES.rollouts).where(key).first();
    if (!row) {
      const inserted = await tx(TABLES.rollouts)
        .insert({ ...key, ...columnsOf(createRolloutState(observed)), updated_at: now })
        .onConflict(['cluster', 'namespace', 'canary', 'revision'])
        .ignore()
        .returning('id');
      row = await tx<DbRolloutRow>(TABLES.rollouts).where(key).first();
      if (!row) throw new Error(`rollout ${key.namespace}/${key.canary} vanished on insert`);
      if (inserted.length > 0) {
        return { rollout: rolloutFromRow(row), changed: true };
      }
    }
    const current = stateOf(row);
    const next = mergeRollout(current, observed);
    const actors = await loadActors(tx, [row.id]);
    if (sameState(current, next)) {
      return {
        rollout: rolloutFromRow(row, actors.get(row.id)),
        previousOutcome: current.outcome,
        changed: false,
      };
    }
    const columns = { ...columnsOf(next), updated_at: now };
    await tx(TABLES.rollouts).where({ id: row.id }).update(columns);
    return {
      rollout: rolloutFromRow({ ...row, ...columns }, actors.get(row.id)),
      previousOutcome: current.outcome,
      changed: true,
    };
  });
}
