import type { SchedulerService } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend, TestDatabases } from '@backstage/backend-test-utils';
import { startSink, type SinkServer } from './alerts/__testUtils__/sinkServer';
import { ALICE, startCanaryBackend } from './service/__testUtils__/backend';
import { FakeController } from './__testUtils__/fakeController';
import { canaryPermissions } from '@aviary/backstage-plugin-canary-common';
import canaryPlugin from './index';

jest.setTimeout(60_000);

// Every supported engine: the plugin migrates, ingests and schedules on each.
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('canary plugin on %s', databaseId => {
  it('refuses to start with a broken canary config, naming the key', async () => {
    const knex = await databases.init(databaseId);
    await expect(
      startTestBackend({
        features: [
          canaryPlugin,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: { canary: { controllers: [{ name: 'prod', url: 'ftp://x' }] } },
          }),
        ],
      }),
    ).rejects.toThrow('canary.controllers[0].url must be an http(s) URL');
  });

  it('registers its permissions and schedules the resync (configured interval) and the daily retention, once across replicas', async () => {
    const prod = await FakeController.start({ token: 't' });
    const tasks: Array<Parameters<SchedulerService['scheduleTask']>[0]> = [];
    const runs: Array<() => Promise<void>> = [];
    const registry = mockServices.permissionsRegistry.mock();
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: async task => {
        tasks.push(task);
        runs.push(async () => {
          await task.fn(new AbortController().signal);
        });
      },
    });
    try {
      const { backend } = await startCanaryBackend({
        knex: await databases.init(databaseId),
        canary: {
          controllers: [{ name: 'prod', url: prod.url, token: 't' }],
          history: { resyncInterval: '90s', retentionDays: 7 },
        },
        features: [scheduler.factory, registry.factory],
      });
      expect(registry.addPermissions).toHaveBeenCalledWith(canaryPermissions);
      expect(tasks.map(t => [t.id, t.frequency, t.scope])).toEqual([
        ['canary-resync', { seconds: 90 }, 'global'],
        ['canary-retention', { hours: 24 }, 'global'],
      ]);
      // Both jobs run against the real controller stand-in and database without failing.
      for (const run of runs) await run();
      await backend.stop();
    } finally {
      await prod.stop();
    }
  });

  it('ends, on the scheduled resync, the open rollout of a canary its controller no longer lists', async () => {
    const prod = await FakeController.start({
      token: 't',
      canaries: [{ namespace: 'shop', name: 'podinfo', phase: 'Progressing', revision: 'r1' }],
    });
    const resyncs: Array<() => Promise<void>> = [];
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: async task => {
        if (task.id === 'canary-resync')
          resyncs.push(() => Promise.resolve(task.fn(new AbortController().signal)));
      },
    });
    try {
      const { backend, server } = await startCanaryBackend({
        knex: await databases.init(databaseId),
        canary: { controllers: [{ name: 'prod', url: prod.url, token: 't' }] },
        features: [scheduler.factory],
      });
      const rollouts = async () => {
        const response = await fetch(
          `http://127.0.0.1:${server.port()}/api/canary/clusters/prod/namespaces/shop/canaries/podinfo/rollouts`,
          { headers: ALICE },
        );
        return ((await response.json()) as { items: Array<{ outcome: string; reason?: string }> })
          .items;
      };
      for (let i = 0; i < 400 && (await rollouts()).length === 0; i++)
        await new Promise(resolve => setTimeout(resolve, 25));
      expect((await rollouts())[0]?.outcome).toBe('Running');
      // The controller lost the canary without a stream message (as after a restart).
      prod.canaries.delete('shop/podinfo');
      expect(resyncs).toHaveLength(1);
      await resyncs[0]!();
      expect(await rollouts()).toEqual([
        expect.objectContaining({
          outcome: 'Superseded',
          reason: 'the canary no longer exists on controller prod',
        }),
      ]);
      await backend.stop();
    } finally {
      await prod.stop();
    }
  });

  it('ends open event streams when the backend shuts down', async () => {
    const prod = await FakeController.start({ token: 't' });
    try {
      const { backend, server } = await startCanaryBackend({
        knex: await databases.init(databaseId),
        canary: { controllers: [{ name: 'prod', url: prod.url, token: 't' }] },
      });
      const response = await fetch(`http://127.0.0.1:${server.port()}/api/canary/stream`, {
        headers: ALICE,
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      await reader.read();
      await backend.stop();
      let done = false;
      while (!done) done = (await reader.read()).done;
      expect(done).toBe(true);
    } finally {
      await prod.stop();
    }
  });

  describe('alerts from ingested transitions', () => {
    let prod: FakeController;
    let sink: SinkServer;
    let backend: Awaited<ReturnType<typeof startCanaryBackend>>;

    beforeAll(async () => {
      sink = await startSink();
      prod = await FakeController.start({
        token: 'prod-token',
        canaries: [
          // promoted yesterday: history, not news
          {
            namespace: 'shop',
            name: 'podinfo',
            phase: 'Succeeded',
            revision: 'r1',
            lastTransitionTime: new Date(Date.now() - 86_400_000).toISOString(),
          },
        ],
      });
      backend = await startCanaryBackend({
        knex: await databases.init(databaseId),
        canary: {
          controllers: [{ name: 'prod', url: prod.url, token: 'prod-token' }],
          alertChannels: { ops: { type: 'webhook', url: sink.url() } },
          history: { resyncInterval: '1h' },
        },
      });
    });

    afterAll(async () => {
      await backend?.backend.stop();
      await prod?.stop();
      await sink?.close();
    });

    async function until(what: string, check: () => boolean) {
      for (let i = 0; i < 400; i++) {
        if (check()) return;
        await new Promise(resolve => setTimeout(resolve, 25));
      }
      throw new Error(`timed out waiting for ${what}`);
    }

    it('tells the owner and the channel once per rollout and outcome, updating one notification', async () => {
      await until('the plugin to follow the stream', () => prod.openStreams > 0);
      const start = backend.sent.length;
      // One phase after the other, as the controller moves a rollout along.
      const steps = [
        { phase: 'Progressing', weight: 10 },
        { phase: 'WaitingPromotion', weight: 50 },
        { phase: 'WaitingPromotion', weight: 50 },
        { phase: 'Promoting', weight: 50 },
        { phase: 'Succeeded', weight: 0 },
      ];
      for (const [i, step] of steps.entries()) {
        prod.set({
          namespace: 'shop',
          name: 'podinfo',
          revision: 'r2',
          lastTransitionTime: new Date().toISOString(),
          ...step,
        });
        if (i === 1) await until('the approval notification', () => backend.sent.length > start);
      }
      await until('two notifications', () => backend.sent.length - start >= 2);
      await until('two chat posts', () => sink.received.length >= 2);
      // Let any duplicate show up before asserting there is none.
      await new Promise(resolve => setTimeout(resolve, 200));

      const sent = backend.sent.slice(start);
      expect(
        sent.map(s => [s.recipients, s.payload.title, s.payload.severity, s.payload.scope]),
      ).toEqual([
        [
          { type: 'entity', entityRef: 'group:shop/team-a' },
          'Canary needs approval: shop/podinfo on prod',
          'normal',
          'canary:prod:shop/podinfo:r2',
        ],
        [
          { type: 'entity', entityRef: 'group:shop/team-a' },
          'Canary promoted: shop/podinfo on prod',
          'low',
          'canary:prod:shop/podinfo:r2',
        ],
      ]);
      expect(sent[0]!.payload.link).toBe('/catalog/shop/component/podinfo/canary');
      expect(sink.received.map(r => r.body)).toEqual([
        expect.objectContaining({
          kind: 'aviary.dev/rollout-alert',
          outcome: 'WaitingPromotion',
          link: 'http://portal.test/catalog/shop/component/podinfo/canary',
        }),
        expect.objectContaining({ outcome: 'Succeeded' }),
      ]);
    });
  });
});
