export { createIngestion } from './createIngestion';
export { RolloutIngestor, type RolloutIngestorOptions } from './RolloutIngestor';
export { CanaryFeedHub } from './feed';
export { rolloutOutcome, closingReason } from './outcome';
export type { CanaryFeed, RolloutListener, RolloutTransition } from './types';
