// The key facts every chat format lists under the message.
import type { AlertMessage } from '../message';

export interface Fact {
  name: string;
  value: string;
}

export function factsOf(message: AlertMessage): Fact[] {
  const { rollout } = message;
  const facts: Fact[] = [
    { name: 'Canary', value: `${rollout.cluster}:${rollout.namespace}/${rollout.name}` },
    { name: 'Revision', value: rollout.revision },
    { name: 'Outcome', value: message.outcome },
    { name: 'Max weight', value: `${rollout.maxWeightReached}%` },
    { name: 'Failed checks', value: String(rollout.failedChecks) },
  ];
  if (rollout.images.canary.length) {
    facts.push({ name: 'Image', value: rollout.images.canary.join(', ') });
  }
  if (message.owner) facts.push({ name: 'Owner', value: message.owner });
  return facts;
}
