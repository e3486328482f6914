import { resolveAlertProvider, resolveMetricTemplate } from './resolve-resources.js';

describe('resolveAlertProvider', () => {
  it('posts to #general as aviary by default', () => {
    expect(resolveAlertProvider({ type: 'slack', address: 'https://hooks.slack.com/x' })).toEqual({
      type: 'slack',
      address: 'https://hooks.slack.com/x',
      channel: 'general',
      username: 'aviary',
    });
  });

  it('keeps the channel, username, secret and proxy that are set', () => {
    const spec = {
      type: 'msteams' as const,
      secretRef: { name: 'teams-url' },
      channel: 'ops',
      username: 'release-bot',
      proxy: 'http://proxy:3128',
    };
    expect(resolveAlertProvider(spec)).toEqual({
      type: 'msteams',
      secretName: 'teams-url',
      channel: 'ops',
      username: 'release-bot',
      proxy: 'http://proxy:3128',
    });
  });
});

describe('resolveMetricTemplate', () => {
  it('has no headers, no secret and verifies TLS by default', () => {
    expect(
      resolveMetricTemplate({
        provider: { type: 'prometheus', address: 'http://p:9090' },
        query: 'up',
      }),
    ).toEqual({
      type: 'prometheus',
      address: 'http://p:9090',
      headers: {},
      insecureSkipVerify: false,
      query: 'up',
    });
  });

  it('copies headers, secret and insecureSkipVerify', () => {
    const provider = {
      type: 'prometheus' as const,
      address: 'https://p',
      headers: { 'X-Scope-OrgID': ['a', 'b'] },
      secretRef: { name: 'prom-auth' },
      insecureSkipVerify: true,
    };
    expect(resolveMetricTemplate({ provider, query: 'up' })).toEqual({
      type: 'prometheus',
      address: 'https://p',
      headers: { 'X-Scope-OrgID': ['a', 'b'] },
      secretName: 'prom-auth',
      insecureSkipVerify: true,
      query: 'up',
    });
  });
});
