import type { AlertChannelConfig, AlertChannelType } from '../config/types';
import { channelPayload } from './channels';
import { AlertDelivery } from './delivery';
import { describeAlert } from './message';
import { captureLogger } from './__testUtils__/captureLogger';
import { rollout } from './__testUtils__/rollouts';
import { freePort, startSink, type SinkServer } from './__testUtils__/sinkServer';

const entity = {
  entityRef: 'component:shop/podinfo',
  kind: 'Component',
  namespace: 'shop',
  name: 'podinfo',
  owner: 'group:shop/team-a',
};
const failed = describeAlert(
  rollout('Failed', { reason: 'request-success-rate 91.2% < 99%' }),
  'Failed',
  entity,
  'https://portal.example.com',
);

describe('AlertDelivery', () => {
  let sink: SinkServer;
  beforeEach(async () => {
    sink = await startSink();
  });
  afterEach(async () => {
    await sink.close();
  });

  const channel = (type: AlertChannelType, url = sink.url()): AlertChannelConfig => ({
    key: 'ops',
    type,
    url,
  });

  it('posts a Slack message with text and blocks', async () => {
    const delivery = new AlertDelivery({ logger: captureLogger() });
    delivery.enqueue(channel('slack'), channelPayload('slack', failed), 'alert');
    await delivery.idle();
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]!.path).toBe('/hook/T0001/B0001/s3cr3tT0k3n');
    expect(sink.received[0]!.contentType).toBe('application/json');
    const body = sink.received[0]!.body as { text: string; blocks: Array<{ type: string }> };
    expect(body.text).toBe(`${failed.title}: ${failed.text}`);
    expect(body.blocks.map(b => b.type)).toEqual(['header', 'section', 'section']);
    expect(JSON.stringify(body.blocks)).toContain(
      '<https://portal.example.com/catalog/shop/component/podinfo/canary|Open in the portal>',
    );
  });

  it('posts a Teams message carrying one Adaptive Card', async () => {
    const delivery = new AlertDelivery({ logger: captureLogger() });
    delivery.enqueue(channel('msteams'), channelPayload('msteams', failed), 'alert');
    await delivery.idle();
    const body = sink.received[0]!.body as {
      type: string;
      attachments: Array<{ contentType: string; content: Record<string, unknown> }>;
    };
    expect(body.type).toBe('message');
    expect(body.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(body.attachments[0]!.content).toMatchObject({
      type: 'AdaptiveCard',
      body: [
        { type: 'TextBlock', text: failed.title, color: 'attention' },
        { type: 'TextBlock', text: failed.text },
        { type: 'FactSet' },
      ],
      actions: [{ type: 'Action.OpenUrl', url: failed.url }],
    });
  });

  it('posts a Discord message with content and an embed', async () => {
    const delivery = new AlertDelivery({ logger: captureLogger() });
    delivery.enqueue(channel('discord'), channelPayload('discord', failed), 'alert');
    await delivery.idle();
    expect(sink.received[0]!.body).toMatchObject({
      content: failed.title,
      embeds: [
        {
          title: failed.title,
          description: failed.text,
          url: failed.url,
          color: 0xd32f2f,
          fields: expect.arrayContaining([
            { name: 'Canary', value: 'prod:shop/podinfo', inline: true },
            { name: 'Owner', value: 'group:shop/team-a', inline: true },
          ]),
        },
      ],
    });
  });

  it('posts a Rocket.Chat message with text and an attachment', async () => {
    const delivery = new AlertDelivery({ logger: captureLogger() });
    delivery.enqueue(channel('rocket'), channelPayload('rocket', failed), 'alert');
    await delivery.idle();
    expect(sink.received[0]!.body).toMatchObject({
      text: failed.title,
      attachments: [
        {
          title: failed.title,
          title_link: failed.url,
          text: failed.text,
          color: '#d32f2f',
          fields: expect.arrayContaining([{ short: true, title: 'Revision', value: '7f9c4d' }]),
        },
      ],
    });
  });

  it('posts the documented JSON of the rollout to a plain webhook', async () => {
    const delivery = new AlertDelivery({ logger: captureLogger() });
    delivery.enqueue(channel('webhook'), channelPayload('webhook', failed), 'alert');
    await delivery.idle();
    expect(sink.received[0]!.body).toEqual({
      kind: 'aviary.dev/rollout-alert',
      version: 1,
      outcome: 'Failed',
      severity: 'high',
      title: failed.title,
      message: failed.text,
      canary: { cluster: 'prod', namespace: 'shop', name: 'podinfo' },
      entityRef: 'component:shop/podinfo',
      owner: 'group:shop/team-a',
      link: 'https://portal.example.com/catalog/shop/component/podinfo/canary',
      rollout: failed.rollout,
    });
  });

  it('retries after a 500 until the sink accepts', async () => {
    const logger = captureLogger();
    const delivery = new AlertDelivery({ logger, baseDelayMs: 5 });
    sink.script.push(500, 503);
    delivery.enqueue(channel('webhook'), { n: 1 }, 'alert');
    await delivery.idle();
    expect(sink.received).toHaveLength(3);
    expect(logger.lines.filter(l => l.level === 'debug').map(l => l.message)).toEqual([
      expect.stringMatching(/attempt 1: HTTP 500\); retrying/),
      expect.stringMatching(/attempt 2: HTTP 503\); retrying/),
    ]);
    expect(logger.lines.filter(l => l.level === 'warn')).toEqual([]);
  });

  it('does not retry a 404 (a revoked hook) and warns without the URL', async () => {
    const logger = captureLogger();
    const delivery = new AlertDelivery({ logger, baseDelayMs: 5 });
    sink.script.push(404);
    delivery.enqueue(channel('slack'), { n: 1 }, 'the Failed alert of prod:shop/podinfo');
    await delivery.idle();
    expect(sink.received).toHaveLength(1);
    expect(logger.lines.filter(l => l.level === 'warn').map(l => l.message)).toEqual([
      'canary: gave up posting the Failed alert of prod:shop/podinfo to alert channel "ops" (slack): HTTP 404',
    ]);
    expect(logger.text()).not.toContain('s3cr3tT0k3n');
    expect(logger.text()).not.toContain(String(sink.port));
  });

  it('retries after connection refused and delivers once the sink is up', async () => {
    const port = await freePort();
    const logger = captureLogger();
    const delivery = new AlertDelivery({ logger, baseDelayMs: 300, maxAttempts: 10 });
    delivery.enqueue(
      channel('webhook', `http://127.0.0.1:${port}/hooks/s3cr3tT0k3n`),
      { n: 1 },
      'alert',
    );
    // Bring the sink up only after the first attempt was refused.
    while (!logger.lines.some(l => l.level === 'debug')) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    expect(logger.lines[0]!.message).toContain('connection failed (ECONNREFUSED)');
    const late = await startSink(port);
    try {
      await delivery.idle();
      expect(late.received).toHaveLength(1);
      expect(late.received[0]!.path).toBe('/hooks/s3cr3tT0k3n');
      expect(logger.lines.filter(l => l.level === 'warn')).toEqual([]);
    } finally {
      await late.close();
    }
    expect(logger.text()).not.toContain('s3cr3tT0k3n');
  });

  it('gives up after maxAttempts with one warning that names the channel, not its URL', async () => {
    const port = await freePort();
    const logger = captureLogger();
    const delivery = new AlertDelivery({ logger, baseDelayMs: 1, maxAttempts: 3 });
    const secretUrl = `http://127.0.0.1:${port}/services/T000/B000/XXXXsecretXXXX`;
    expect(delivery.enqueue(channel('slack', secretUrl), { n: 1 }, 'alert')).toBe(true);
    await delivery.idle();
    const warnings = logger.lines.filter(l => l.level === 'warn');
    expect(warnings.map(w => w.message)).toEqual([
      'canary: gave up posting alert to alert channel "ops" (slack): connection failed (ECONNREFUSED)',
    ]);
    expect(logger.lines.filter(l => l.level === 'debug')).toHaveLength(2);
    expect(logger.text()).not.toContain('XXXXsecretXXXX');
    expect(logger.text()).not.toContain(String(port));
  });

  it('drops alerts beyond its bound instead of queueing without end', async () => {
    const port = await freePort();
    const logger = captureLogger();
    const delivery = new AlertDelivery({
      logger,
      baseDelayMs: 60_000,
      maxInFlight: 2,
      maxAttempts: 5,
    });
    const down = channel('webhook', `http://127.0.0.1:${port}/x`);
    expect(delivery.enqueue(down, {}, 'a')).toBe(true);
    expect(delivery.enqueue(down, {}, 'b')).toBe(true);
    expect(delivery.enqueue(down, {}, 'c')).toBe(false);
    expect(delivery.inFlight).toBe(2);
    expect(logger.lines.map(l => l.message)).toContain(
      'canary: alert queue full (2); dropped c for channel "ops"',
    );
    // Stopping cancels the long backoff, so shutdown is not held up by a dead sink.
    await delivery.stop();
    expect(delivery.inFlight).toBe(0);
    expect(delivery.enqueue(down, {}, 'd')).toBe(false);
  });
});
