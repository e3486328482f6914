import { ROCKET_COLORS, gchatPayload, msteamsPayload, slackPayload } from './payloads.js';
import type { AlertMessage } from './types.js';

const message: AlertMessage = {
  canaryName: 'podinfo',
  namespace: 'test',
  message: 'New revision detected, progressing canary analysis.',
  severity: 'info',
  fields: [
    { title: 'Target', value: 'Deployment/podinfo.test' },
    { title: 'Traffic routing', value: 'Weight step: 10 max: 50' },
  ],
};

describe('chat payloads', () => {
  it('slack: channel, username, rocket icon, one attachment with the fields', () => {
    expect(slackPayload(message, { channel: 'deploys', username: 'aviary' })).toEqual({
      channel: 'deploys',
      username: 'aviary',
      icon_emoji: ':rocket:',
      attachments: [
        {
          color: 'good',
          author_name: 'podinfo.test',
          text: 'New revision detected, progressing canary analysis.',
          mrkdwn_in: ['text'],
          fields: [
            { title: 'Target', value: 'Deployment/podinfo.test', short: false },
            { title: 'Traffic routing', value: 'Weight step: 10 max: 50', short: false },
          ],
        },
      ],
    });
  });

  it('slack and rocket colours: danger / #FF0000 for errors only', () => {
    const who = { channel: 'c', username: 'u' };
    expect(slackPayload({ ...message, severity: 'warn' }, who).attachments[0]?.color).toBe('good');
    expect(slackPayload({ ...message, severity: 'error' }, who).attachments[0]?.color).toBe(
      'danger',
    );
    expect(slackPayload(message, who, ROCKET_COLORS).attachments[0]?.color).toBe('#0076D7');
    expect(
      slackPayload({ ...message, severity: 'error' }, who, ROCKET_COLORS).attachments[0]?.color,
    ).toBe('#FF0000');
  });

  it('msteams: a MessageCard with the fields as facts', () => {
    expect(msteamsPayload({ ...message, severity: 'error' })).toEqual({
      '@type': 'MessageCard',
      '@context': 'http://schema.org/extensions',
      themeColor: 'FF0000',
      summary: 'podinfo.test',
      sections: [
        {
          activityTitle: 'New revision detected, progressing canary analysis.',
          activitySubtitle: 'podinfo.test',
          facts: [
            { name: 'Target', value: 'Deployment/podinfo.test' },
            { name: 'Traffic routing', value: 'Weight step: 10 max: 50' },
          ],
        },
      ],
    });
    expect(msteamsPayload(message).themeColor).toBe('0076D7');
  });

  it('gchat: a card with the header, the message and one paragraph per field', () => {
    expect(gchatPayload(message)).toEqual({
      cards: [
        {
          header: { title: 'Aviary', subtitle: 'podinfo.test' },
          sections: [
            {
              widgets: [
                {
                  textParagraph: {
                    text: '<font color=#848484><strong>New revision detected, progressing canary analysis.</strong></font>',
                  },
                },
              ],
            },
            {
              widgets: [
                {
                  textParagraph: {
                    text: 'Target<br><font color=#848484><strong>Deployment/podinfo.test</strong></font>',
                  },
                },
              ],
            },
            {
              widgets: [
                {
                  textParagraph: {
                    text: 'Traffic routing<br><font color=#848484><strong>Weight step: 10 max: 50</strong></font>',
                  },
                },
              ],
            },
          ],
        },
      ],
    });
  });
});
