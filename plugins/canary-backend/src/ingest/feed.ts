// Fan-out of live messages to the plugin's /stream route. A subscriber that throws is logged and
// kept; it never stops the others or ingestion.
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { CanaryStreamMessage } from '@aviary/backstage-plugin-canary-common';
import type { CanaryFeed } from './types';

export class CanaryFeedHub implements CanaryFeed {
  private readonly listeners = new Set<(message: CanaryStreamMessage) => void>();

  constructor(private readonly logger?: LoggerService) {}

  subscribe(listener: (message: CanaryStreamMessage) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  publish(message: CanaryStreamMessage): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(message);
      } catch (error) {
        this.logger?.warn(`canary feed subscriber failed: ${String(error)}`);
      }
    }
  }
}
