// One payload format per channel type, behind one function.
import type { AlertChannelType } from '../../config/types';
import type { AlertMessage } from '../message';
import { discordPayload } from './discord';
import { msteamsPayload } from './msteams';
import { rocketPayload } from './rocket';
import { slackPayload } from './slack';
import { webhookPayload } from './webhook';

const FORMATS: Record<AlertChannelType, (message: AlertMessage) => unknown> = {
  slack: slackPayload,
  msteams: msteamsPayload,
  discord: discordPayload,
  rocket: rocketPayload,
  webhook: webhookPayload,
};

export function channelPayload(type: AlertChannelType, message: AlertMessage): unknown {
  return FORMATS[type](message);
}
