// The JSON body Aviary POSTs to webhooks (spec 1.6): {name, namespace, phase, checksum, metadata}.
import { createHash } from 'node:crypto';
import type { DateTime } from 'luxon';
import type { Canary, CanaryPhase, CanaryStatus, CanaryWebhook } from '../api/types.js';

export interface WebhookPayload {
  name: string;
  namespace: string;
  phase: CanaryPhase;
  /** Identifies the revision under analysis (tracked configs + last applied spec). */
  checksum: string;
  /** Omitted when empty, as Go's omitempty does. */
  metadata?: Record<string, string>;
}

/**
 * A stable hash of {trackedConfigs, lastAppliedSpec}: it changes with either, and an absent
 * trackedConfigs differs from an empty one (Flagger hashes a nil map differently from an empty
 * one). sha256 of canonical JSON, first 16 hex characters.
 */
export function canaryChecksum(status: CanaryStatus | undefined): string {
  const tracked = status?.trackedConfigs;
  const canonical = JSON.stringify({
    trackedConfigs: tracked ? Object.fromEntries(Object.entries(tracked).sort()) : null,
    lastAppliedSpec: status?.lastAppliedSpec ?? '',
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

function base(canary: Canary, phase: CanaryPhase): WebhookPayload {
  return {
    name: canary.metadata.name ?? '',
    namespace: canary.metadata.namespace ?? 'default',
    phase,
    checksum: canaryChecksum(canary.status),
  };
}

/** Body for every hook type except `event`; `phase` is the one the engine says to send. */
export function hookPayload(
  canary: Canary,
  phase: CanaryPhase,
  hook: CanaryWebhook,
): WebhookPayload {
  const payload = base(canary, phase);
  if (hook.metadata && Object.keys(hook.metadata).length > 0)
    payload.metadata = { ...hook.metadata };
  return payload;
}

export type EventType = 'Normal' | 'Warning';

/**
 * Body for `event` hooks: the canary's current phase, and eventMessage/eventType/timestamp (Unix
 * ms, as a string) in metadata; the hook's own metadata keys are added unless they clash.
 */
export function eventPayload(
  canary: Canary,
  hook: CanaryWebhook,
  event: { message: string; type: EventType },
  now: DateTime,
): WebhookPayload {
  const payload = base(canary, canary.status?.phase ?? '');
  const metadata: Record<string, string> = {
    eventMessage: event.message,
    eventType: event.type,
    timestamp: String(now.toMillis()),
  };
  for (const [key, value] of Object.entries(hook.metadata ?? {})) {
    if (!(key in metadata)) metadata[key] = value;
  }
  payload.metadata = metadata;
  return payload;
}
