// A plain JSON document of the rollout for any HTTP receiver (documented in the README).
import type { AlertMessage } from '../message';

export function webhookPayload(message: AlertMessage) {
  const { rollout } = message;
  return {
    kind: 'aviary.dev/rollout-alert',
    version: 1,
    outcome: message.outcome,
    severity: message.severity,
    title: message.title,
    message: message.text,
    canary: { cluster: rollout.cluster, namespace: rollout.namespace, name: rollout.name },
    entityRef: message.entityRef ?? null,
    owner: message.owner ?? null,
    link: message.url ?? message.link ?? null,
    rollout,
  };
}
