// Rocket.Chat incoming webhook: `text` plus one attachment with the facts.
import type { AlertMessage } from '../message';
import { factsOf } from './facts';

export function rocketPayload(message: AlertMessage) {
  const attachment: Record<string, unknown> = {
    title: message.title,
    text: message.text,
    color: message.color,
    fields: factsOf(message).map(f => ({ short: true, title: f.name, value: f.value })),
  };
  if (message.url) attachment.title_link = message.url;
  return { text: message.title, attachments: [attachment] };
}
