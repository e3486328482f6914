// Slack incoming webhook: `text` is the fallback shown in notifications, `blocks` the message.
import type { AlertMessage } from '../message';
import { factsOf } from './facts';

export function slackPayload(message: AlertMessage) {
  const link = message.url ? ` <${message.url}|Open in the portal>` : '';
  return {
    text: `${message.title}: ${message.text}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: message.title } },
      { type: 'section', text: { type: 'mrkdwn', text: `${message.text}${link}` } },
      {
        type: 'section',
        fields: factsOf(message).map(f => ({ type: 'mrkdwn', text: `*${f.name}*\n${f.value}` })),
      },
    ],
  };
}
