// Message bodies per chat service (spec 5.1). Pure: message in, JSON out.
import type { AlertMessage } from './types.js';

export interface ChatIdentity {
  channel: string;
  username: string;
}

const subject = (m: AlertMessage) => `${m.canaryName}.${m.namespace}`;

/** Slack's incoming-webhook attachment format, also accepted by Discord (/slack) and Rocket.Chat. */
export function slackPayload(
  m: AlertMessage,
  who: ChatIdentity,
  colors: { normal: string; error: string } = { normal: 'good', error: 'danger' },
) {
  return {
    channel: who.channel,
    username: who.username,
    icon_emoji: ':rocket:',
    attachments: [
      {
        color: m.severity === 'error' ? colors.error : colors.normal,
        author_name: subject(m),
        text: m.message,
        mrkdwn_in: ['text'],
        fields: m.fields.map(f => ({ title: f.title, value: f.value, short: false })),
      },
    ],
  };
}

export const ROCKET_COLORS = { normal: '#0076D7', error: '#FF0000' };

/** Microsoft Teams legacy MessageCard. */
export function msteamsPayload(m: AlertMessage) {
  return {
    '@type': 'MessageCard',
    '@context': 'http://schema.org/extensions',
    themeColor: m.severity === 'error' ? 'FF0000' : '0076D7',
    summary: subject(m),
    sections: [
      {
        activityTitle: m.message,
        activitySubtitle: subject(m),
        facts: m.fields.map(f => ({ name: f.title, value: f.value })),
      },
    ],
  };
}

/** Google Chat card: a header, the message, then one paragraph per field. */
export function gchatPayload(m: AlertMessage) {
  const paragraph = (text: string) => ({ widgets: [{ textParagraph: { text } }] });
  return {
    cards: [
      {
        header: { title: 'Aviary', subtitle: subject(m) },
        sections: [
          paragraph(`<font color=#848484><strong>${m.message}</strong></font>`),
          ...m.fields.map(f =>
            paragraph(`${f.title}<br><font color=#848484><strong>${f.value}</strong></font>`),
          ),
        ],
      },
    ],
  };
}
