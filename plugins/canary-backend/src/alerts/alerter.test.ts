import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { canaryKey, type CanaryRef } from '@aviary/backstage-plugin-canary-common';
import type { AlertChannelConfig } from '../config/types';
import type { CanaryEntity } from '../service/entityIndex';
import { CanaryAlerter } from './alerter';
import { AlertDelivery } from './delivery';
import { captureLogger } from './__testUtils__/captureLogger';
import { rollout } from './__testUtils__/rollouts';
import { freePort, startSink, type SinkServer } from './__testUtils__/sinkServer';

const podinfo: CanaryEntity = {
  entityRef: 'component:shop/podinfo',
  kind: 'Component',
  namespace: 'shop',
  name: 'podinfo',
  owner: 'group:shop/team-a',
  alertChannel: 'ops',
};

function setup(options: {
  channels: Map<string, AlertChannelConfig>;
  entities?: CanaryEntity[];
  send?: () => Promise<void>;
}) {
  const byKey = new Map<string, CanaryEntity>();
  for (const e of options.entities ?? [podinfo]) {
    byKey.set(`prod:${e.namespace}/${e.name}`, e);
  }
  const sent: NotificationSendOptions[] = [];
  const logger = captureLogger();
  const delivery = new AlertDelivery({ logger, baseDelayMs: 5, maxAttempts: 3 });
  const alerter = new CanaryAlerter({
    entities: { lookup: async (ref: CanaryRef) => byKey.get(canaryKey(ref)) },
    notifications: {
      send:
        options.send ??
        (async notification => {
          sent.push(notification);
        }),
    },
    channels: options.channels,
    delivery,
    logger,
    appBaseUrl: 'https://portal.example.com',
  });
  return { alerter, sent, logger, delivery };
}

describe('CanaryAlerter', () => {
  let sink: SinkServer;
  beforeEach(async () => {
    sink = await startSink();
  });
  afterEach(async () => {
    await sink.close();
  });
  const ops = (url = sink.url()) =>
    new Map<string, AlertChannelConfig>([['ops', { key: 'ops', type: 'webhook', url }]]);

  it('notifies the owner once per rollout and outcome, under one scope per rollout', async () => {
    const { alerter, sent } = setup({ channels: ops() });
    alerter.listener({ rollout: rollout('Running') });
    alerter.listener({ rollout: rollout('WaitingPromotion'), previousOutcome: 'Running' });
    // The same transition seen again (a resync, a reconnect) is not news.
    alerter.listener({ rollout: rollout('WaitingPromotion'), previousOutcome: 'Running' });
    alerter.listener({ rollout: rollout('Succeeded'), previousOutcome: 'WaitingPromotion' });
    alerter.listener({ rollout: rollout('Succeeded'), previousOutcome: 'WaitingPromotion' });
    await alerter.idle();

    expect(sent).toHaveLength(2);
    expect(sent.map(s => s.recipients)).toEqual([
      { type: 'entity', entityRef: 'group:shop/team-a' },
      { type: 'entity', entityRef: 'group:shop/team-a' },
    ]);
    expect(sent.map(s => s.payload.scope)).toEqual([
      'canary:prod:shop/podinfo:7f9c4d',
      'canary:prod:shop/podinfo:7f9c4d',
    ]);
    expect(sent.map(s => [s.payload.title, s.payload.severity])).toEqual([
      ['Canary needs approval: shop/podinfo on prod', 'normal'],
      ['Canary promoted: shop/podinfo on prod', 'low'],
    ]);
    expect(sent[0]!.payload.link).toBe('/catalog/shop/component/podinfo/canary');
    expect(sink.received.map(r => (r.body as { outcome: string }).outcome)).toEqual([
      'WaitingPromotion',
      'Succeeded',
    ]);
  });

  it('gives a new rollout its own scope', async () => {
    const { alerter, sent } = setup({ channels: ops() });
    alerter.listener({ rollout: rollout('Failed'), previousOutcome: 'Running' });
    alerter.listener({
      rollout: rollout('Failed', { id: 'r-2', revision: 'a1b2c3' }),
      previousOutcome: 'Running',
    });
    await alerter.idle();
    expect(sent.map(s => [s.payload.scope, s.payload.severity])).toEqual([
      ['canary:prod:shop/podinfo:7f9c4d', 'high'],
      ['canary:prod:shop/podinfo:a1b2c3', 'high'],
    ]);
  });

  it('sends nothing for a canary no entity names', async () => {
    const { alerter, sent } = setup({ channels: ops(), entities: [] });
    alerter.listener({ rollout: rollout('Failed'), previousOutcome: 'Running' });
    await alerter.idle();
    expect(sent).toEqual([]);
    expect(sink.received).toEqual([]);
  });

  it('warns once about an alert channel key that is not configured, and still notifies', async () => {
    const { alerter, sent, logger } = setup({
      channels: ops(),
      entities: [{ ...podinfo, alertChannel: 'nowhere' }],
    });
    alerter.listener({ rollout: rollout('Failed'), previousOutcome: 'Running' });
    alerter.listener({ rollout: rollout('Failed', { id: 'r-2' }), previousOutcome: 'Running' });
    await alerter.idle();
    expect(sent).toHaveLength(2);
    expect(logger.lines.filter(l => l.level === 'warn').map(l => l.message)).toEqual([
      'canary: component:shop/podinfo names alert channel "nowhere", which canary.alertChannels does not define',
    ]);
  });

  it('keeps going when the notifications backend fails', async () => {
    const { alerter, logger } = setup({
      channels: ops(),
      send: async () => {
        throw new Error('notifications backend not installed');
      },
    });
    alerter.listener({ rollout: rollout('Failed'), previousOutcome: 'Running' });
    await alerter.idle();
    expect(sink.received).toHaveLength(1);
    expect(logger.lines.map(l => l.message)).toContain(
      'canary: notification for prod:shop/podinfo failed: notifications backend not installed',
    );
  });

  it('a sink that is down blocks neither the listener nor the alerts of other canaries', async () => {
    const port = await freePort();
    const secret = `http://127.0.0.1:${port}/services/T0/B0/downSecret`;
    const { alerter, sent, logger, delivery } = setup({
      channels: ops(secret),
      entities: [podinfo, { ...podinfo, entityRef: 'component:shop/cart', name: 'cart' }],
    });
    alerter.listener({ rollout: rollout('Failed'), previousOutcome: 'Running' });
    alerter.listener({
      rollout: rollout('Failed', { id: 'r-9', name: 'cart' }),
      previousOutcome: 'Running',
    });
    await alerter.idle();
    // Both owners were told even though every chat post was refused and retried.
    expect(sent.map(s => s.payload.title)).toEqual([
      'Canary rolled back: shop/podinfo on prod',
      'Canary rolled back: shop/cart on prod',
    ]);
    expect(delivery.inFlight).toBe(0);
    expect(logger.lines.filter(l => l.level === 'warn')).toHaveLength(2);
    expect(logger.text()).not.toContain('downSecret');
  });

  it('returns from the listener before any I/O happens', () => {
    const { alerter, sent } = setup({ channels: ops() });
    alerter.listener({ rollout: rollout('Failed'), previousOutcome: 'Running' });
    expect(sent).toEqual([]);
    return alerter.idle();
  });
});
