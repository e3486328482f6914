export { DatabaseRolloutStore } from './DatabaseRolloutStore';
export { applyDatabaseMigrations } from './migrations';
export type { RolloutObservation, RolloutStore } from './types';
