// Discord webhook: `content` plus one embed with the facts as fields.
import type { AlertMessage } from '../message';
import { factsOf } from './facts';

export function discordPayload(message: AlertMessage) {
  const embed: Record<string, unknown> = {
    title: message.title,
    description: message.text,
    color: parseInt(message.color.slice(1), 16),
    fields: factsOf(message).map(f => ({ name: f.name, value: f.value, inline: true })),
  };
  if (message.url) embed.url = message.url;
  return { content: message.title, embeds: [embed] };
}
