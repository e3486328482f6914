import type { Canary, CanaryAlert } from '../api/types.js';
import { podinfoCanary } from '../router/__fixtures__/canary.js';
import { startRecorder } from '../webhooks/__fixtures__/http-recorder.js';
import type { Recorder } from '../webhooks/__fixtures__/http-recorder.js';
import { createGlobalNotifier, dispatchAlert, severityAccepts } from './dispatch.js';
import type { AlertDeps, ResolvedProvider } from './dispatch.js';
import type { AlertMessage, Notifier } from './types.js';

let server: Recorder;
beforeEach(async () => {
  server = await startRecorder();
});
afterEach(async () => {
  await server.close();
});

const withAlerts = (alerts: CanaryAlert[]): Canary => podinfoCanary({}, { alerts });

function providers(table: Record<string, ResolvedProvider>): AlertDeps['resolveProvider'] {
  return async ref =>
    table[`${ref.namespace}/${ref.name}`] ?? {
      error: `alert provider ${ref.namespace}/${ref.name} not found`,
    };
}

describe('alert severity routing', () => {
  it.each([
    ['info', ['info', 'warn', 'error']],
    ['', ['info', 'warn', 'error']],
    [undefined, ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
  ] as const)('an alert with severity %p receives %p', (entry, accepted) => {
    const got = (['info', 'warn', 'error'] as const).filter(m => severityAccepts(entry, m));
    expect(got).toEqual(accepted);
  });
});

describe('alert dispatch', () => {
  it('U15 two info alerts to a Slack provider whose Secret holds the address', async () => {
    const canary = withAlerts([
      { name: 'on-call', severity: 'info', providerRef: { name: 'slack' } },
      { name: 'team', severity: 'info', providerRef: { name: 'slack', namespace: 'test' } },
    ]);
    const resolveProvider = providers({
      'test/slack': {
        spec: { type: 'slack', secretRef: { name: 'slack-url' } },
        secret: { address: `${server.url}/hook` },
      },
    });
    const deliveries = await dispatchAlert(
      canary,
      {
        severity: 'info',
        message: 'New Deployment detected, initialization completed.',
        fields: [],
      },
      { resolveProvider },
    );
    expect(deliveries).toEqual([
      { alert: 'on-call', provider: 'test/slack', result: { ok: true } },
      { alert: 'team', provider: 'test/slack', result: { ok: true } },
    ]);
    expect(server.requests.map(r => JSON.parse(r.body).attachments[0].author_name)).toEqual([
      'podinfo.test',
      'podinfo.test',
    ]);
  });

  it('filters per entry severity and adds the Cluster field first', async () => {
    const canary = withAlerts([
      { name: 'errors-only', severity: 'error', providerRef: { name: 'teams' } },
      { name: 'warnings', severity: 'warn', providerRef: { name: 'teams' } },
    ]);
    const resolveProvider = providers({
      'test/teams': { spec: { type: 'msteams', address: `${server.url}/teams` } },
    });
    const deliveries = await dispatchAlert(
      canary,
      {
        severity: 'warn',
        message: 'Canary is waiting for approval.',
        fields: [{ title: 'Target', value: 'Deployment/podinfo.test' }],
      },
      { resolveProvider, clusterName: 'prod-eu' },
    );
    expect(deliveries.map(d => d.alert)).toEqual(['warnings']);
    expect(JSON.parse(server.requests[0]!.body).sections[0].facts).toEqual([
      { name: 'Cluster', value: 'prod-eu' },
      { name: 'Target', value: 'Deployment/podinfo.test' },
    ]);
  });

  it('without alerts the global notifier gets everything; without one nothing is sent', async () => {
    const posted: AlertMessage[] = [];
    const globalNotifier: Notifier = {
      type: 'slack',
      post: async m => (posted.push(m), { ok: true }),
    };
    const resolveProvider = providers({});
    await expect(
      dispatchAlert(
        podinfoCanary(),
        { severity: 'info', message: 'hello' },
        { resolveProvider, globalNotifier },
      ),
    ).resolves.toEqual([{ alert: 'global', provider: 'slack', result: { ok: true } }]);
    expect(posted[0]).toMatchObject({ canaryName: 'podinfo', namespace: 'test', message: 'hello' });
    await expect(
      dispatchAlert(podinfoCanary(), { severity: 'error', message: 'x' }, { resolveProvider }),
    ).resolves.toEqual([]);
  });

  it('one broken sink neither throws nor stops the others', async () => {
    const canary = withAlerts([
      { name: 'missing', providerRef: { name: 'nope' } },
      { name: 'no-address', providerRef: { name: 'empty-secret' } },
      { name: 'throws', providerRef: { name: 'boom' } },
      { name: 'bad-type', providerRef: { name: 'weird' } },
      { name: 'works', providerRef: { name: 'chat', namespace: 'shared' } },
    ]);
    const table: Record<string, ResolvedProvider> = {
      'test/empty-secret': {
        spec: { type: 'slack', secretRef: { name: 's' } },
        secret: { token: 't' },
      },
      'test/weird': {
        spec: {
          type: 'telegram',
          address: 'https://t.me/x',
        } as unknown as ResolvedProvider['spec'],
      },
      'shared/chat': { spec: { type: 'gchat', address: `${server.url}/chat` } },
    };
    const resolveProvider: AlertDeps['resolveProvider'] = async ref => {
      if (ref.name === 'boom') throw new Error('informer not synced');
      return providers(table)(ref);
    };
    const deliveries = await dispatchAlert(
      canary,
      { severity: 'error', message: 'Promotion failed' },
      { resolveProvider },
    );
    expect(deliveries).toEqual([
      {
        alert: 'missing',
        provider: 'test/nope',
        result: { ok: false, error: 'alert provider test/nope not found' },
      },
      {
        alert: 'no-address',
        provider: 'test/empty-secret',
        result: {
          ok: false,
          error: 'alert provider test/empty-secret secret does not contain an address',
        },
      },
      {
        alert: 'throws',
        provider: 'test/boom',
        result: { ok: false, error: 'alert provider test/boom lookup failed' },
      },
      {
        alert: 'bad-type',
        provider: 'test/weird',
        result: { ok: false, error: 'alert provider test/weird: provider telegram not supported' },
      },
      { alert: 'works', provider: 'shared/chat', result: { ok: true } },
    ]);
    expect(server.requests).toHaveLength(1);
  });

  it('a notifier that throws still yields a result', async () => {
    const globalNotifier: Notifier = {
      type: 'custom',
      post: async () => {
        throw new Error('https://hooks.example.com/SECRET exploded');
      },
    };
    await expect(
      dispatchAlert(
        podinfoCanary(),
        { severity: 'info', message: 'x' },
        { resolveProvider: providers({}), globalNotifier },
      ),
    ).resolves.toEqual([
      {
        alert: 'global',
        provider: 'custom',
        result: { ok: false, error: 'custom: notifier failed' },
      },
    ]);
  });
});

describe('global notifier', () => {
  it('is MS Teams when its URL is set, else Slack with the flags, else none', async () => {
    expect(createGlobalNotifier({})).toBeUndefined();
    const teams = createGlobalNotifier({
      msteamsUrl: `${server.url}/teams`,
      slackUrl: `${server.url}/slack`,
    });
    expect(teams).toMatchObject({ type: 'msteams' });
    const slack = createGlobalNotifier({
      slackUrl: `${server.url}/slack`,
      slackToken: 'tok-1',
      slackChannel: 'ops',
      slackUser: 'bot',
    });
    if (!slack || 'error' in slack) throw new Error('expected a notifier');
    await slack.post({
      canaryName: 'podinfo',
      namespace: 'test',
      message: 'm',
      severity: 'info',
      fields: [],
    });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer tok-1');
    expect(JSON.parse(server.requests[0]!.body)).toMatchObject({ channel: 'ops', username: 'bot' });
    expect(createGlobalNotifier({ slackUrl: 'nope' })).toEqual({ error: 'invalid slack hook URL' });
  });
});
