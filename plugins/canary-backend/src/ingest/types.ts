// What ingestion tells the rest of the plugin as it records history.
import type {
  CanaryStreamMessage,
  Rollout,
  RolloutOutcome,
} from '@aviary/backstage-plugin-canary-common';

/** A rollout started or changed outcome (Running, WaitingPromotion, Succeeded, Failed). */
export interface RolloutTransition {
  rollout: Rollout;
  previousOutcome?: RolloutOutcome;
}

/** Alerts listen to transitions; a slow or failing listener must never block ingestion. */
export type RolloutListener = (transition: RolloutTransition) => void;

/** Live messages for browsers (the plugin's /stream route fans them out). */
export interface CanaryFeed {
  subscribe(listener: (message: CanaryStreamMessage) => void): () => void;
}
