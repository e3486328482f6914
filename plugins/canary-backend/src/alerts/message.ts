// What an alert says, independent of where it goes: the Backstage notification and every chat
// format are rendered from this one description.
import type { NotificationSeverity } from '@backstage/plugin-notifications-common';
import type { Rollout } from '@aviary/backstage-plugin-canary-common';
import type { CanaryEntity } from '../service/entityIndex';
import type { AlertOutcome } from './decide';

export interface AlertMessage {
  outcome: AlertOutcome;
  rollout: Rollout;
  entityRef?: string;
  owner?: string;
  /** One line: what happened to which canary. */
  title: string;
  /** Why, and what to do next. */
  text: string;
  severity: NotificationSeverity;
  /** Stable per rollout, so the notification of a rollout is updated in place. */
  scope: string;
  /** Path of the entity's Canary tab in the portal, when an entity names the canary. */
  link?: string;
  /** The same, absolute, for chat messages (needs app.baseUrl). */
  url?: string;
  /** Hex colour for chat formats that show one. */
  color: string;
}

const SEVERITY: Record<AlertOutcome, NotificationSeverity> = {
  Failed: 'high',
  WaitingPromotion: 'normal',
  Succeeded: 'low',
};

const COLOR: Record<AlertOutcome, string> = {
  Failed: '#d32f2f',
  WaitingPromotion: '#f9a825',
  Succeeded: '#2e7d32',
};

export function rolloutScope(rollout: Rollout): string {
  return `canary:${rollout.cluster}:${rollout.namespace}/${rollout.name}:${rollout.revision}`;
}

export function describeAlert(
  rollout: Rollout,
  outcome: AlertOutcome,
  entity: CanaryEntity | undefined,
  appBaseUrl?: string,
): AlertMessage {
  const canary = `${rollout.namespace}/${rollout.name} on ${rollout.cluster}`;
  const revision = `revision ${rollout.revision}`;
  const images = rollout.images.canary.length ? ` (${rollout.images.canary.join(', ')})` : '';
  const progress = `canary weight reached ${rollout.maxWeightReached}%, ${rollout.failedChecks} failed check${rollout.failedChecks === 1 ? '' : 's'}`;
  const reason = rollout.reason ? `: ${rollout.reason}` : '';
  const titles: Record<AlertOutcome, string> = {
    Failed: `Canary rolled back: ${canary}`,
    WaitingPromotion: `Canary needs approval: ${canary}`,
    Succeeded: `Canary promoted: ${canary}`,
  };
  const texts: Record<AlertOutcome, string> = {
    Failed: `The rollout of ${revision}${images} failed${reason}; ${progress}. Traffic is back on the primary.`,
    WaitingPromotion: `${capitalize(revision)}${images} passed its analysis and waits for approval${reason}: promote or abort it from the Canary tab.`,
    Succeeded: `${capitalize(revision)}${images} was promoted${reason}; ${progress}.`,
  };
  const message: AlertMessage = {
    outcome,
    rollout,
    title: titles[outcome],
    text: texts[outcome],
    severity: SEVERITY[outcome],
    scope: rolloutScope(rollout),
    color: COLOR[outcome],
  };
  if (entity) {
    message.entityRef = entity.entityRef;
    message.link = `/catalog/${entity.namespace}/${entity.kind.toLowerCase()}/${entity.name}/canary`;
    if (appBaseUrl) message.url = `${appBaseUrl.replace(/\/+$/, '')}${message.link}`;
  }
  if (entity?.owner) message.owner = entity.owner;
  return message;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
