// Catalog-driven alerts: ingestion hands over rollout transitions; for a rollback, a wait for
// approval or a promotion, the owner of the entity that names the canary gets a Backstage
// notification (one per rollout, updated in place through its scope) and the entity's alert
// channel, if any, gets a chat message. The listener returns at once; the work runs behind it.
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import { canaryKey } from '@aviary/backstage-plugin-canary-common';
import type { AlertChannelConfig } from '../config/types';
import type { RolloutListener, RolloutTransition } from '../ingest/types';
import type { EntityLookup } from '../permissions';
import { channelPayload } from './channels';
import { alertOutcomeOf, AlertDedup, type AlertOutcome } from './decide';
import type { AlertDelivery } from './delivery';
import { describeAlert, type AlertMessage } from './message';

export interface CanaryAlerterOptions {
  entities: EntityLookup;
  notifications: NotificationService;
  channels: Map<string, AlertChannelConfig>;
  delivery: AlertDelivery;
  logger: LoggerService;
  /** `app.baseUrl`, for absolute links in chat messages. */
  appBaseUrl?: string;
  /** Alerts waiting for their entity lookup and notification; more are dropped with a warning. */
  maxPending?: number;
  now?: () => Date;
}

export class CanaryAlerter {
  private readonly dedup = new AlertDedup();
  private readonly warnedChannels = new Set<string>();
  private readonly maxPending: number;
  private pending = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: CanaryAlerterOptions) {
    this.maxPending = options.maxPending ?? 1000;
  }

  /** Register this with ingestion. */
  readonly listener: RolloutListener = transition => {
    const outcome = alertOutcomeOf(transition, (this.options.now ?? (() => new Date()))());
    if (!outcome || !this.dedup.first(transition.rollout, outcome)) return;
    if (this.pending >= this.maxPending) {
      this.options.logger.warn(
        `canary: too many alerts waiting; dropped ${outcome} of ${canaryKey(transition.rollout)}`,
      );
      return;
    }
    this.pending++;
    // Sequential, so the notifications of one rollout arrive in the order of its transitions.
    this.chain = this.chain
      .then(() => this.alert(transition, outcome))
      .catch(error => {
        this.options.logger.warn(`canary: alert failed: ${(error as Error).message}`);
      })
      .finally(() => {
        this.pending--;
      });
  };

  /** Resolves when every accepted transition is handled and every chat post has finished. */
  async idle(): Promise<void> {
    await this.chain;
    await this.options.delivery.idle();
  }

  private async alert(transition: RolloutTransition, outcome: AlertOutcome): Promise<void> {
    const { rollout } = transition;
    const entity = await this.options.entities.lookup(rollout);
    const message = describeAlert(rollout, outcome, entity, this.options.appBaseUrl);
    await this.notify(message);
    if (entity?.alertChannel) this.post(entity.alertChannel, message);
  }

  private async notify(message: AlertMessage): Promise<void> {
    if (!message.owner) return;
    try {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: message.owner },
        payload: {
          title: message.title,
          description: message.text,
          severity: message.severity,
          scope: message.scope,
          topic: 'canary',
          ...(message.link ? { link: message.link } : {}),
        },
      });
    } catch (error) {
      // Without the notifications backend installed sends fail at runtime; chat still goes out.
      this.options.logger.warn(
        `canary: notification for ${canaryKey(message.rollout)} failed: ${(error as Error).message}`,
      );
    }
  }

  private post(channelKey: string, message: AlertMessage): void {
    const channel = this.options.channels.get(channelKey);
    if (!channel) {
      if (!this.warnedChannels.has(channelKey)) {
        this.warnedChannels.add(channelKey);
        this.options.logger.warn(
          `canary: ${message.entityRef} names alert channel "${channelKey}", which canary.alertChannels does not define`,
        );
      }
      return;
    }
    this.options.delivery.enqueue(
      channel,
      channelPayload(channel.type, message),
      `the ${message.outcome} alert of ${canaryKey(message.rollout)}`,
    );
  }
}
