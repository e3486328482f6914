import {
  startConnectProxy,
  startRecorder,
  unusedPort,
} from '../webhooks/__fixtures__/http-recorder.js';
import type { Recorder, Responder } from '../webhooks/__fixtures__/http-recorder.js';
import { createNotifier, noopNotifier } from './notifier.js';
import type { AlertMessage, Notifier } from './types.js';

const message: AlertMessage = {
  canaryName: 'podinfo',
  namespace: 'test',
  message: 'Failed checks threshold reached 5',
  severity: 'error',
  fields: [],
};

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map(close => close()));
});

async function sink(respond: Responder = () => ({ status: 200 })): Promise<Recorder> {
  const server = await startRecorder(respond);
  closers.push(() => server.close());
  return server;
}

function build(...args: Parameters<typeof createNotifier>): Notifier {
  const result = createNotifier(...args);
  if (!result.ok) throw new Error(result.error);
  return result.notifier;
}

describe('AlertProvider notifiers', () => {
  it('slack: posts JSON to the address with defaults channel "general" and username "aviary"', async () => {
    const s = await sink();
    await expect(
      build({ type: 'slack', address: `${s.url}/services/T0/B0/xyz` }).post(message),
    ).resolves.toEqual({ ok: true });
    const request = s.requests[0]!;
    expect([request.method, request.url, request.headers['content-type']]).toEqual([
      'POST',
      '/services/T0/B0/xyz',
      'application/json',
    ]);
    expect(JSON.parse(request.body)).toMatchObject({
      channel: 'general',
      username: 'aviary',
      attachments: [{ color: 'danger' }],
    });
    expect(request.headers.authorization).toBeUndefined();
  });

  it("the Secret's address wins over spec.address, and its token is sent as a bearer token", async () => {
    const s = await sink();
    const other = await sink();
    const notifier = build(
      { type: 'slack', address: `${other.url}/spec`, channel: 'deploys', username: 'bot' },
      { address: `${s.url}/from-secret`, token: 'xoxb-secret' },
    );
    await notifier.post(message);
    expect(other.requests).toHaveLength(0);
    expect(s.requests[0]?.url).toBe('/from-secret');
    expect(s.requests[0]?.headers.authorization).toBe('Bearer xoxb-secret');
    expect(JSON.parse(s.requests[0]!.body)).toMatchObject({ channel: 'deploys', username: 'bot' });
  });

  it('discord: the Slack payload goes to <url>/slack (appended once)', async () => {
    const s = await sink();
    await build({ type: 'discord', address: `${s.url}/api/webhooks/1/abc` }).post(message);
    await build({ type: 'discord', address: `${s.url}/api/webhooks/1/abc/slack` }).post(message);
    expect(s.requests.map(r => r.url)).toEqual([
      '/api/webhooks/1/abc/slack',
      '/api/webhooks/1/abc/slack',
    ]);
    expect(JSON.parse(s.requests[0]!.body)).toHaveProperty('attachments');
  });

  it('rocket, msteams and gchat post their own shapes; only slack sends the token', async () => {
    const s = await sink();
    const secret = { address: '', token: 'tok-12345' };
    await build({ type: 'rocket', address: `${s.url}/rocket` }, secret).post(message);
    await build({ type: 'msteams', address: `${s.url}/teams` }, secret).post(message);
    await build({ type: 'gchat', address: `${s.url}/chat` }, secret).post(message);
    const [rocket, teams, chat] = s.requests.map(r => JSON.parse(r.body));
    expect(rocket.attachments[0].color).toBe('#FF0000');
    expect(teams['@type']).toBe('MessageCard');
    expect(chat.cards[0].header.subtitle).toBe('podinfo.test');
    expect(s.requests.every(r => r.headers.authorization === undefined)).toBe(true);
  });

  it('an empty URL is a no-op notifier; an unknown type or a bad URL is an error without the URL', () => {
    expect(createNotifier({ type: 'slack' })).toEqual({ ok: true, notifier: noopNotifier });
    const unknown = { type: 'pagerduty', address: 'https://x' } as unknown as Parameters<
      typeof createNotifier
    >[0];
    expect(createNotifier(unknown)).toEqual({
      ok: false,
      error: 'provider pagerduty not supported',
    });
    expect(createNotifier({ type: 'slack', address: 'hooks.slack.com/services/SECRET' })).toEqual({
      ok: false,
      error: 'invalid slack hook URL',
    });
  });

  it('a failing sink returns an error, with the URL path and token masked', async () => {
    const s = await sink(req => ({
      status: 500,
      body: `no route for ${req.url}; token tok-12345 revoked`,
    }));
    const notifier = build(
      { type: 'slack', address: `${s.url}/services/T0/B0/s3cr3t` },
      { token: 'tok-12345' },
    );
    const result = await notifier.post(message);
    expect(result).toEqual({
      ok: false,
      error: 'slack: bad response 500: no route for ***; token *** revoked',
    });
  });

  it('an unreachable sink or a timeout returns an error, never throws', async () => {
    const port = await unusedPort();
    const refused = await build({
      type: 'msteams',
      address: `http://127.0.0.1:${port}/webhookb2/s3cr3t`,
    }).post(message);
    expect(refused).toEqual({ ok: false, error: 'msteams: request failed: ECONNREFUSED' });
    const slow = await sink(() => ({ status: 200, delayMs: 1000 }));
    const timedOut = await build(
      { type: 'gchat', address: `${slow.url}/v1/spaces/s3cr3t` },
      undefined,
      { timeoutMs: 50 },
    ).post(message);
    expect(timedOut).toEqual({ ok: false, error: 'gchat: timed out after 50ms' });
  });

  it('posts through the provider proxy (CONNECT), with proxy credentials', async () => {
    const s = await sink();
    const proxy = await startConnectProxy();
    closers.push(() => proxy.close());
    const proxyUrl = proxy.url.replace('http://', 'http://user:pw@');
    const result = await build({ type: 'slack', address: `${s.url}/hook`, proxy: proxyUrl }).post(
      message,
    );
    expect(result).toEqual({ ok: true });
    expect(proxy.tunnels).toEqual([
      {
        authority: new URL(s.url).host,
        authorization: `Basic ${Buffer.from('user:pw').toString('base64')}`,
      },
    ]);
    expect(s.requests[0]?.url).toBe('/hook');
  });

  it('a proxy that is down is reported without its credentials', async () => {
    const port = await unusedPort();
    const result = await build({
      type: 'slack',
      address: 'https://hooks.example.com/x',
      proxy: `http://u:hunter2@127.0.0.1:${port}`,
    }).post(message);
    expect(result).toEqual({ ok: false, error: 'slack: request failed: ECONNREFUSED' });
  });
});
