// Microsoft Teams (Workflows "post to a channel when a webhook request is received"): a message
// carrying one Adaptive Card, the format Teams keeps now that Office 365 connectors are retired.
import type { AlertMessage } from '../message';
import { factsOf } from './facts';

export function msteamsPayload(message: AlertMessage) {
  const style =
    message.outcome === 'Failed'
      ? 'attention'
      : message.outcome === 'Succeeded'
        ? 'good'
        : 'warning';
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              text: message.title,
              weight: 'Bolder',
              size: 'Medium',
              color: style,
              wrap: true,
            },
            { type: 'TextBlock', text: message.text, wrap: true },
            {
              type: 'FactSet',
              facts: factsOf(message).map(f => ({ title: f.name, value: f.value })),
            },
          ],
          actions: message.url
            ? [{ type: 'Action.OpenUrl', title: 'Open in the portal', url: message.url }]
            : [],
        },
      },
    ],
  };
}
