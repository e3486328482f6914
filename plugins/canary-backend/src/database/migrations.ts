import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

const MIGRATIONS_TABLE = 'canary__knex_migrations';

/** Brings the plugin's tables up to date (the `migrations/` folder shipped with the package). */
export async function applyDatabaseMigrations(knex: Knex): Promise<void> {
  const directory = resolvePackagePath('@aviary/backstage-plugin-canary-backend', 'migrations');
  await knex.migrate.latest({ directory, tableName: MIGRATIONS_TABLE });
}
