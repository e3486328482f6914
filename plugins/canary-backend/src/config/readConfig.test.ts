import { ConfigReader } from '@backstage/config';
import { parseCanaryConfig, readCanaryConfig } from './readConfig';

const controller = { name: 'prod', url: 'https://aviary.prod.example.com/', token: 's3cret' };

describe('readCanaryConfig', () => {
  it('parses a full configuration with defaults filled in', () => {
    const parsed = readCanaryConfig(
      new ConfigReader({
        canary: {
          controllers: [controller, { name: 'staging', url: 'http://127.0.0.1:9090' }],
          alertChannels: {
            ops: { type: 'slack', url: 'https://hooks.slack.com/services/T/B/X' },
            audit: { type: 'webhook', url: 'http://127.0.0.1:8000/hook/' },
          },
        },
      }),
    );
    expect(parsed.controllers).toEqual([
      { name: 'prod', url: 'https://aviary.prod.example.com', token: 's3cret' },
      { name: 'staging', url: 'http://127.0.0.1:9090' },
    ]);
    expect([...parsed.alertChannels.values()]).toEqual([
      { key: 'ops', type: 'slack', url: 'https://hooks.slack.com/services/T/B/X' },
      { key: 'audit', type: 'webhook', url: 'http://127.0.0.1:8000/hook/' },
    ]);
    expect(parsed.history).toEqual({ retentionDays: 90, resyncIntervalSeconds: 300 });
  });

  it('treats an empty token (an unset variable with an empty default) as no token', () => {
    const parsed = parseCanaryConfig({ controllers: [{ name: 'a', url: 'http://x', token: '' }] });
    expect(parsed.controllers).toEqual([{ name: 'a', url: 'http://x' }]);
  });

  it.each([
    ['5m', 300],
    ['45s', 45],
    ['2h', 7200],
    ['PT90S', 90],
    [{ minutes: 1, seconds: 30 }, 90],
  ])('reads history.resyncInterval %j as %d seconds', (resyncInterval, seconds) => {
    const parsed = parseCanaryConfig({
      controllers: [controller],
      history: { retentionDays: 14, resyncInterval },
    });
    expect(parsed.history).toEqual({ retentionDays: 14, resyncIntervalSeconds: seconds });
  });
});

describe('parseCanaryConfig errors name the key', () => {
  const cases: Array<[string, unknown, string]> = [
    ['no canary section', undefined, 'canary.controllers is required'],
    ['canary is not an object', 'x', 'canary must be an object'],
    ['no controllers', {}, 'canary.controllers is required'],
    ['controllers not a list', { controllers: {} }, 'canary.controllers must be a list'],
    [
      'empty controllers',
      { controllers: [] },
      'canary.controllers must name at least one controller',
    ],
    [
      'controller not an object',
      { controllers: ['prod'] },
      'canary.controllers[0] must be an object',
    ],
    [
      'controller without name',
      { controllers: [{ url: 'http://a' }] },
      'canary.controllers[0].name is required and must be a non-empty string',
    ],
    [
      'controller name unusable in annotations',
      { controllers: [{ name: 'prod/eu', url: 'http://a' }] },
      'canary.controllers[0].name must be a cluster name usable in annotations',
    ],
    [
      'duplicate controller names',
      { controllers: [controller, { name: 'prod', url: 'http://b' }] },
      'canary.controllers[1].name "prod" is already used by canary.controllers[0]',
    ],
    [
      'controller without url',
      { controllers: [{ name: 'prod' }] },
      'canary.controllers[0].url is required and must be an http(s) URL',
    ],
    [
      'controller url not a URL',
      { controllers: [controller, { name: 'b', url: 'not a url' }] },
      'canary.controllers[1].url must be an http(s) URL',
    ],
    [
      'controller url not http',
      { controllers: [{ name: 'b', url: 'ftp://x' }] },
      'canary.controllers[0].url must be an http(s) URL',
    ],
    [
      'token not a string',
      { controllers: [{ name: 'b', url: 'http://x', token: 42 }] },
      'canary.controllers[0].token must be a string',
    ],
    [
      'alertChannels not an object',
      { controllers: [controller], alertChannels: [] },
      'canary.alertChannels must be an object',
    ],
    [
      'channel not an object',
      { controllers: [controller], alertChannels: { ops: 'https://x' } },
      'canary.alertChannels.ops must be an object',
    ],
    [
      'unknown channel type',
      { controllers: [controller], alertChannels: { ops: { type: 'pager', url: 'https://x' } } },
      'canary.alertChannels.ops.type must be one of slack, msteams, discord, rocket, webhook',
    ],
    [
      'channel without url',
      { controllers: [controller], alertChannels: { ops: { type: 'slack' } } },
      'canary.alertChannels.ops.url is required and must be an http(s) URL',
    ],
    [
      'channel url not http',
      {
        controllers: [controller],
        alertChannels: { ops: { type: 'slack', url: 'mailto:secret-team@example.com' } },
      },
      'canary.alertChannels.ops.url must be an http(s) URL',
    ],
    [
      'history not an object',
      { controllers: [controller], history: 3 },
      'canary.history must be an object',
    ],
    [
      'retentionDays zero',
      { controllers: [controller], history: { retentionDays: 0 } },
      'canary.history.retentionDays must be a whole number of days ≥ 1',
    ],
    [
      'retentionDays fractional',
      { controllers: [controller], history: { retentionDays: 1.5 } },
      'canary.history.retentionDays must be a whole number of days ≥ 1',
    ],
    [
      'resyncInterval unreadable',
      { controllers: [controller], history: { resyncInterval: 'often' } },
      'canary.history.resyncInterval must be a duration',
    ],
    [
      'resyncInterval with an unknown unit key',
      { controllers: [controller], history: { resyncInterval: { fortnights: 1 } } },
      'canary.history.resyncInterval must be a duration',
    ],
    [
      'resyncInterval too short',
      { controllers: [controller], history: { resyncInterval: '2s' } },
      'canary.history.resyncInterval must be at least 10 seconds',
    ],
  ];

  it.each(cases)('%s', (_title, raw, message) => {
    expect(() => parseCanaryConfig(raw)).toThrow(message);
  });

  it('never puts a secret value into a message', () => {
    const secretUrl = 'mailto:secret-team@example.com';
    try {
      parseCanaryConfig({
        controllers: [controller],
        alertChannels: { ops: { type: 'slack', url: secretUrl } },
      });
      throw new Error('expected a config error');
    } catch (error) {
      expect(String(error)).not.toContain('secret-team');
    }
  });
});
