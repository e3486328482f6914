// The one call plugin.ts makes to get ingestion and the live feed.
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { CanaryBackendConfig } from '../config/types';
import type { ControllerRegistry } from '../controllers/types';
import type { RolloutStore } from '../database/types';
import type { CanaryFeed, RolloutListener } from './types';
import { CanaryFeedHub } from './feed';
import { RolloutIngestor } from './RolloutIngestor';

export function createIngestion(options: {
  config: CanaryBackendConfig;
  store: RolloutStore;
  registry: ControllerRegistry;
  logger: LoggerService;
  listeners?: RolloutListener[];
  /** Detail reads at once per controller, default 4. */
  detailConcurrency?: number;
  /** How long after a rollout ends its detail is read once more, default 2 s. */
  finalReadDelayMs?: number;
  now?: () => Date;
}): { ingestor: RolloutIngestor; feed: CanaryFeed } {
  const feed = new CanaryFeedHub(options.logger);
  const ingestor = new RolloutIngestor({
    store: options.store,
    registry: options.registry,
    logger: options.logger,
    feed,
    listeners: options.listeners ?? [],
    retentionDays: options.config.history.retentionDays,
    ...(options.detailConcurrency !== undefined
      ? { detailConcurrency: options.detailConcurrency }
      : {}),
    ...(options.finalReadDelayMs !== undefined
      ? { finalReadDelayMs: options.finalReadDelayMs }
      : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  return { ingestor, feed };
}
