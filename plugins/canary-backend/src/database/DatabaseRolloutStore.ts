// The rollout history in the plugin's database (SQLite or PostgreSQL through knex).
import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type {
  CanaryRef,
  CheckResult,
  Rollout,
  RolloutActor,
  RolloutEvent,
  RolloutOutcome,
  RolloutPage,
  RolloutWithChecks,
} from '@aviary/backstage-plugin-canary-common';
import type { RolloutObservation, RolloutStore } from './types';
import { applyDatabaseMigrations } from './migrations';
import { parseRolloutId } from './conversions';
import { upsertRollout } from './operations/rollouts/upsertRollout';
import { listRollouts } from './operations/rollouts/listRollouts';
import { getRollout } from './operations/rollouts/getRollout';
import { latestRollouts } from './operations/rollouts/latestRollouts';
import { listOpenRollouts } from './operations/rollouts/listOpenRollouts';
import { deleteEndedBefore } from './operations/rollouts/deleteEndedBefore';
import { addChecks } from './operations/checks/addChecks';
import { addEvents } from './operations/events/addEvents';
import { addActor } from './operations/actors/addActor';
import { getStreamCursor, setStreamCursor } from './operations/cursors/streamCursor';

function isKnex(database: DatabaseService | Knex): database is Knex {
  return typeof (database as Partial<DatabaseService>).getClient !== 'function';
}

function rowId(id: string): number {
  const parsed = parseRolloutId(id);
  if (parsed === undefined) throw new Error(`"${id}" is not a rollout id`);
  return parsed;
}

export class DatabaseRolloutStore implements RolloutStore {
  /** Connects, and migrates unless `skipMigrations` (or the service's `migrations.skip`) says not to. */
  static async create(options: {
    database: DatabaseService | Knex;
    skipMigrations?: boolean;
  }): Promise<DatabaseRolloutStore> {
    const { database } = options;
    const knex = isKnex(database) ? database : await database.getClient();
    const skip =
      options.skipMigrations ?? (!isKnex(database) && database.migrations?.skip === true);
    if (!skip) await applyDatabaseMigrations(knex);
    return new DatabaseRolloutStore(knex);
  }

  private constructor(private readonly knex: Knex) {}

  upsertRollout(
    observation: RolloutObservation,
  ): Promise<{ rollout: Rollout; previousOutcome?: RolloutOutcome; changed: boolean }> {
    return upsertRollout(this.knex, observation);
  }

  async addChecks(rolloutId: string, checks: CheckResult[]): Promise<number> {
    return addChecks(this.knex, rowId(rolloutId), checks);
  }

  async addEvents(rolloutId: string, events: RolloutEvent[]): Promise<number> {
    return addEvents(this.knex, rowId(rolloutId), events);
  }

  async addActor(rolloutId: string, actor: RolloutActor): Promise<void> {
    await addActor(this.knex, rowId(rolloutId), actor);
  }

  listRollouts(ref: CanaryRef, page: { limit: number; before?: string }): Promise<RolloutPage> {
    return listRollouts(this.knex, ref, page);
  }

  getRollout(id: string): Promise<RolloutWithChecks | undefined> {
    return getRollout(this.knex, id);
  }

  latestRollouts(refs: CanaryRef[]): Promise<Map<string, Rollout>> {
    return latestRollouts(this.knex, refs);
  }

  listOpenRollouts(cluster: string): Promise<Rollout[]> {
    return listOpenRollouts(this.knex, cluster);
  }

  getStreamCursor(cluster: string): Promise<string | undefined> {
    return getStreamCursor(this.knex, cluster);
  }

  setStreamCursor(cluster: string, eventId: string): Promise<void> {
    return setStreamCursor(this.knex, cluster, eventId);
  }

  deleteEndedBefore(cutoff: string): Promise<number> {
    return deleteEndedBefore(this.knex, cutoff);
  }
}
