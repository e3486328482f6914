import { mockServices } from '@backstage/backend-test-utils';
import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type {
  CanaryStreamMessage,
  RolloutWithChecks,
} from '@aviary/backstage-plugin-canary-common';
import { ConfigControllerRegistry } from '../controllers/ConfigControllerRegistry';
import { FakeController } from '../__testUtils__/fakeController';
import { waitFor } from '../__testUtils__/waitFor';
import { DatabaseRolloutStore } from '../database/DatabaseRolloutStore';
import { createTestDatabases } from '../database/__fixtures__/rollouts';
import type { CanaryBackendConfig } from '../config/types';
import type { RolloutTransition } from './types';
import { createIngestion } from './createIngestion';
import type { RolloutIngestor } from './RolloutIngestor';
import { CanaryScript } from './__testUtils__/scenario';

jest.setTimeout(30_000);

const databases = createTestDatabases();
const FAST = { initialDelayMs: 10, maxDelayMs: 100, idleTimeoutMs: 5_000 };
const PODINFO = { cluster: 'prod', namespace: 'demo', name: 'podinfo' };
const IMAGES = { canary: ['podinfo:6.0.1'], primary: ['podinfo:6.0.0'] };

function config(retentionDays = 30): CanaryBackendConfig {
  return {
    controllers: [],
    alertChannels: new Map(),
    history: { retentionDays, resyncIntervalSeconds: 300 },
  };
}

describe('RolloutIngestor', () => {
  let fake: FakeController;
  const running: RolloutIngestor[] = [];
  const extraFakes: FakeController[] = [];

  beforeEach(async () => {
    fake = await FakeController.start();
  });

  afterEach(async () => {
    for (const ingestor of running.splice(0)) await ingestor.stop();
    for (const other of extraFakes.splice(0)) await other.stop();
    await fake.stop();
  });

  async function setup(
    id: TestDatabaseId = 'SQLITE_3',
    options: {
      store?: DatabaseRolloutStore;
      controllers?: Array<{ name: string; url: string }>;
      listeners?: Array<(t: RolloutTransition) => void>;
      finalReadDelayMs?: number;
    } = {},
  ) {
    const store =
      options.store ?? (await DatabaseRolloutStore.create({ database: await databases.init(id) }));
    const controllers = (options.controllers ?? [{ name: 'prod', url: fake.url }]).map(c => ({
      ...c,
      token: fake.token,
    }));
    const registry = new ConfigControllerRegistry(controllers, { timeoutMs: 2_000, stream: FAST });
    const transitions: RolloutTransition[] = [];
    const { ingestor, feed } = createIngestion({
      config: config(),
      store,
      registry,
      logger: mockServices.logger.mock(),
      listeners: [t => transitions.push(t), ...(options.listeners ?? [])],
      ...(options.finalReadDelayMs !== undefined
        ? { finalReadDelayMs: options.finalReadDelayMs }
        : {}),
    });
    const messages: CanaryStreamMessage[] = [];
    feed.subscribe(m => messages.push(m));
    running.push(ingestor);
    await ingestor.start();
    // Stream connected and its first message (hello, or the replay) handled.
    await waitFor(
      async () => fake.openStreams > 0 && (await store.getStreamCursor('prod')) !== undefined,
      {
        what: 'the stream to be followed',
      },
    );
    return { store, ingestor, transitions, messages };
  }

  async function history(store: DatabaseRolloutStore, ref = PODINFO): Promise<RolloutWithChecks[]> {
    const page = await store.listRollouts(ref, { limit: 100 });
    const full = await Promise.all(page.items.map(r => store.getRollout(r.id)));
    return full.filter((r): r is RolloutWithChecks => r !== undefined);
  }

  async function waitForOutcome(
    store: DatabaseRolloutStore,
    revision: string,
    outcome: string,
    ref = PODINFO,
  ) {
    return waitFor(
      async () => {
        const found = (await history(store, ref)).find(r => r.revision === revision);
        return found?.outcome === outcome ? found : undefined;
      },
      { what: `${revision} ${outcome}` },
    );
  }

  async function waitForComplete(
    store: DatabaseRolloutStore,
    revision: string,
    checks: number,
    events: number,
  ) {
    return waitFor(
      async () => {
        const found = (await history(store)).find(r => r.revision === revision);
        return found &&
          found.outcome === 'Succeeded' &&
          found.checks.length === checks &&
          found.events.length === events
          ? found
          : undefined;
      },
      { what: `${revision} complete with ${checks} checks and ${events} events` },
    );
  }

  it.each(databases.eachSupportedId())(
    'records a whole promotion: one rollout with images, start and end, checks, events and transitions, %p',
    async id => {
      const script = new CanaryScript(fake, 'demo', 'podinfo');
      script.initialized('r1', 'podinfo:6.0.0');
      const { store, transitions, messages } = await setup(id);
      script.promote('r2', 'r1', IMAGES);
      const rollout = await waitForComplete(store, 'r2', script.checkCount, 6);

      expect(await history(store)).toHaveLength(1);
      expect(rollout).toMatchObject({
        ...PODINFO,
        revision: 'r2',
        images: IMAGES,
        outcome: 'Succeeded',
        reason: 'Canary analysis completed successfully, promotion finished.',
        maxWeightReached: 50,
        checkCount: 4,
      });
      expect(Date.parse(rollout.endedAt!)).toBeGreaterThan(Date.parse(rollout.startedAt));
      expect(rollout.checks.every(c => c.verdict === 'pass')).toBe(true);
      expect(rollout.events.map(e => e.message)).toEqual([
        'New revision detected! Scaling up podinfo.demo',
        'Advance podinfo.demo canary weight 25',
        'Advance podinfo.demo canary weight 50',
        'Copying podinfo.demo template spec',
        'Routing all traffic to primary',
        'Promotion completed! Scaling down podinfo.demo',
      ]);
      await waitFor(() => transitions.length >= 2, { what: 'two transitions' });
      expect(transitions.map(t => [t.previousOutcome, t.rollout.outcome])).toEqual([
        [undefined, 'Running'],
        ['Running', 'Succeeded'],
      ]);
      expect(messages.filter(m => m.type === 'canary')).not.toHaveLength(0);
      expect(messages.filter(m => m.type === 'rollout').pop()).toMatchObject({
        rollout: { outcome: 'Succeeded' },
      });
    },
  );

  it('records the state it finds at start (resync) and nothing for a canary only initialised', async () => {
    const script = new CanaryScript(fake, 'demo', 'podinfo');
    script.promote('r2', 'r1', IMAGES);
    new CanaryScript(fake, 'demo', 'abtest').initialized('a1', 'abtest:1');
    const { store } = await setup();
    const rollout = await waitForComplete(store, 'r2', 4, 6);
    expect(rollout.images).toEqual(IMAGES);
    expect(await history(store, { ...PODINFO, name: 'abtest' })).toEqual([]);
  });

  it.each(databases.eachSupportedId())(
    'resumes after a backend restart from the stored cursor: no gaps, no duplicates, %p',
    async id => {
      const script = new CanaryScript(fake, 'demo', 'podinfo');
      script.initialized('r1', 'podinfo:6.0.0');
      const first = await setup(id);
      script.release(1, 'r2', 'r1', IMAGES);
      await waitForOutcome(first.store, 'r2', 'Running');
      await waitFor(
        async () => (await first.store.getStreamCursor('prod')) === String(fake.lastId),
      );
      await first.ingestor.stop();
      running.splice(running.indexOf(first.ingestor), 1);
      const cursor = await first.store.getStreamCursor('prod');
      expect(Number(cursor)).toBe(fake.lastId);

      // While the backend is down the rollout goes on and a further release follows it.
      const common = { revision: 'r2', promotedRevision: 'r1', images: IMAGES };
      script.step(
        11,
        { ...common, phase: 'Progressing', weight: 25 },
        { check: true, event: 'Advance podinfo.demo canary weight 25' },
      );
      script.step(
        21,
        { ...common, phase: 'Succeeded', weight: 0, promotedRevision: 'r2' },
        { check: true, event: 'Promotion completed! Scaling down podinfo.demo' },
      );

      const second = await setup(id, { store: first.store });
      const rollout = await waitForComplete(second.store, 'r2', 4, 3);
      expect(
        fake.requests.filter(r => r.path === '/api/v1/stream').map(r => r.lastEventId),
      ).toEqual([undefined, cursor]);
      expect(rollout.events.map(e => e.message)).toEqual([
        'New revision detected! Scaling up podinfo.demo',
        'Advance podinfo.demo canary weight 25',
        'Promotion completed! Scaling down podinfo.demo',
      ]);
      // The second ingestor saw the end, not the start.
      await waitFor(() => second.transitions.length === 1);
      expect(second.transitions.map(t => [t.previousOutcome, t.rollout.outcome])).toEqual([
        ['Running', 'Succeeded'],
      ]);
      await second.ingestor.resync();
      const again = (await history(second.store))[0]!;
      expect(again.checks).toHaveLength(4);
      expect(again.events).toHaveLength(3);
    },
  );

  it('re-lists after a controller restart (reset) and after a drop mid-message', async () => {
    const script = new CanaryScript(fake, 'demo', 'podinfo');
    script.initialized('r1', 'podinfo:6.0.0');
    const { store } = await setup();
    script.release(1, 'r2', 'r1', IMAGES);
    await waitForOutcome(store, 'r2', 'Running');

    fake.dropStreams({ midMessage: true });
    const common = { revision: 'r2', promotedRevision: 'r1', images: IMAGES };
    script.step(11, { ...common, phase: 'Progressing', weight: 25 }, { check: true });
    await waitFor(async () => (await history(store))[0]?.maxWeightReached === 25, {
      what: 'weight 25 after the drop',
    });

    await fake.restart();
    // The new controller process knows the canary (the cluster keeps it); its ids start at 1.
    script.step(
      21,
      { ...common, phase: 'Succeeded', weight: 0, promotedRevision: 'r2' },
      { check: true },
    );
    await waitForOutcome(store, 'r2', 'Succeeded');
    // The reset (id 1 of the new process) was handled: the re-list ran and the cursor moved back.
    await waitFor(async () => (await store.getStreamCursor('prod')) === '1', {
      what: 'the cursor of the restarted controller',
    });
    const resumes = fake.requests.filter(r => r.path === '/api/v1/stream').map(r => r.lastEventId);
    expect(resumes.slice(0, 2)).toEqual([undefined, '2']);
    await waitFor(async () => (await history(store))[0]?.checks.length === 4, {
      what: 'the checks after the reset',
    });
    expect(await history(store)).toHaveLength(1);
  });

  it('marks a running rollout Superseded when a newer revision starts, and closes it when the canary is deleted', async () => {
    const script = new CanaryScript(fake, 'demo', 'podinfo');
    script.initialized('r1', 'podinfo:6.0.0');
    const { store, transitions } = await setup();
    script.release(1, 'r2', 'r1', IMAGES);
    await waitForOutcome(store, 'r2', 'Running');
    script.release(5, 'r3', 'r1', { canary: ['podinfo:6.0.2'], primary: ['podinfo:6.0.0'] });
    const superseded = await waitForOutcome(store, 'r2', 'Superseded');
    expect(superseded.reason).toBe('superseded by revision r3 before it finished');
    await waitForOutcome(store, 'r3', 'Running');

    fake.remove('demo', 'podinfo');
    const closed = await waitForOutcome(store, 'r3', 'Superseded');
    expect(closed.reason).toBe('the canary was deleted');
    await waitFor(() => transitions.length === 4);
    expect(
      transitions.map(t => [t.rollout.revision, t.previousOutcome, t.rollout.outcome]),
    ).toEqual([
      ['r2', undefined, 'Running'],
      ['r2', 'Running', 'Superseded'],
      ['r3', undefined, 'Running'],
      ['r3', 'Running', 'Superseded'],
    ]);
  });

  it.each(databases.eachSupportedId())(
    'ends, at the next start, the open rollouts of canaries deleted while the backend was down, %p',
    async id => {
      const podinfo = new CanaryScript(fake, 'demo', 'podinfo');
      const abtest = new CanaryScript(fake, 'demo', 'abtest');
      const cart = new CanaryScript(fake, 'shop', 'cart');
      for (const script of [podinfo, abtest, cart]) script.initialized('r1', 'img:1');
      const first = await setup(id);
      podinfo.release(1, 'r2', 'r1', IMAGES);
      abtest.release(1, 'a2', 'r1', IMAGES);
      abtest.step(2, {
        phase: 'WaitingPromotion',
        revision: 'a2',
        promotedRevision: 'r1',
        weight: 50,
      });
      cart.release(1, 'c2', 'r1', IMAGES);
      const ABTEST = { ...PODINFO, name: 'abtest' };
      const CART = { cluster: 'prod', namespace: 'shop', name: 'cart' };
      await waitForOutcome(first.store, 'r2', 'Running');
      await waitForOutcome(first.store, 'a2', 'WaitingPromotion', ABTEST);
      await waitForOutcome(first.store, 'c2', 'Running', CART);
      await first.ingestor.stop();
      running.splice(running.indexOf(first.ingestor), 1);

      // While the backend is down two canaries are deleted and the controller restarts: no
      // stream message will ever say so.
      fake.remove('demo', 'podinfo');
      fake.remove('demo', 'abtest');
      await fake.restart();

      const second = await setup(id, { store: first.store });
      const reason = 'the canary no longer exists on controller prod';
      expect((await waitForOutcome(second.store, 'r2', 'Superseded')).reason).toBe(reason);
      const waiting = await waitForOutcome(second.store, 'a2', 'Superseded', ABTEST);
      expect(waiting.reason).toBe(reason);
      expect(waiting.endedAt).toBeDefined();
      await waitFor(() => second.transitions.length === 2, { what: 'two transitions' });
      expect(
        second.transitions.map(t => [t.rollout.name, t.previousOutcome, t.rollout.outcome]).sort(),
      ).toEqual([
        ['abtest', 'WaitingPromotion', 'Superseded'],
        ['podinfo', 'Running', 'Superseded'],
      ]);
      expect(second.messages).toContainEqual({
        type: 'rollout',
        rollout: expect.objectContaining({ name: 'podinfo', outcome: 'Superseded' }),
      });
      // The canary still listed keeps its open rollout, through any further resync.
      await second.ingestor.resync();
      expect((await history(second.store, CART))[0]?.outcome).toBe('Running');
      expect(await second.store.listOpenRollouts('prod')).toEqual([
        expect.objectContaining({ name: 'cart', revision: 'c2' }),
      ]);
    },
  );

  it('closes nothing while the list fails; the next successful resync does', async () => {
    const script = new CanaryScript(fake, 'demo', 'podinfo');
    script.initialized('r1', 'podinfo:6.0.0');
    const first = await setup();
    script.release(1, 'r2', 'r1', IMAGES);
    await waitForOutcome(first.store, 'r2', 'Running');
    await first.ingestor.stop();
    running.splice(running.indexOf(first.ingestor), 1);

    fake.remove('demo', 'podinfo');
    await fake.restart();
    fake.failRequests = 500;
    const second = await setup('SQLITE_3', { store: first.store });
    // The resync at start and the one after the stream's reset both fail, as does a scheduled one.
    const lists = () => fake.requests.filter(r => r.path === '/api/v1/canaries').length;
    await waitFor(() => lists() >= 2, { what: 'two failed lists' });
    await second.ingestor.resync();
    expect(lists()).toBeGreaterThanOrEqual(3);
    expect((await history(second.store))[0]?.outcome).toBe('Running');
    expect(second.transitions).toEqual([]);

    fake.failRequests = undefined;
    await second.ingestor.resync();
    const closed = await waitForOutcome(second.store, 'r2', 'Superseded');
    expect(closed.reason).toBe('the canary no longer exists on controller prod');
  });

  it('keeps one unreachable controller from stalling a healthy one', async () => {
    const dead = await FakeController.start();
    const deadUrl = dead.url;
    await dead.stop();
    const script = new CanaryScript(fake, 'demo', 'podinfo');
    script.promote('r2', 'r1', IMAGES);
    const { store, ingestor } = await setup('SQLITE_3', {
      controllers: [
        { name: 'down', url: deadUrl },
        { name: 'prod', url: fake.url },
      ],
    });
    await waitForComplete(store, 'r2', 4, 6);
    await ingestor.resync();
    expect((await history(store))[0]?.checks).toHaveLength(4);
  });

  it('warns once per outage of a stream, not on every retry, and says when it is back', async () => {
    const store = await DatabaseRolloutStore.create({ database: await databases.init('SQLITE_3') });
    const registry = new ConfigControllerRegistry(
      [{ name: 'prod', url: fake.url, token: fake.token }],
      {
        stream: FAST,
      },
    );
    const logger = mockServices.logger.mock();
    const { ingestor } = createIngestion({ config: config(), store, registry, logger });
    running.push(ingestor);
    fake.failStream = 503;
    await ingestor.start();
    await waitFor(() => (logger.debug as jest.Mock).mock.calls.length >= 3, {
      what: 'several retries',
    });
    fake.failStream = undefined;
    await waitFor(() => (logger.info as jest.Mock).mock.calls.length >= 1, {
      what: 'the stream back',
    });
    const warnings = (logger.warn as jest.Mock).mock.calls.map(c => String(c[0]));
    expect(warnings.filter(w => w.includes('refused the stream'))).toEqual([
      'canary ingestion: controller prod refused the stream (503) (retrying with backoff)',
    ]);
    expect((logger.info as jest.Mock).mock.calls[0]?.[0]).toBe(
      'canary ingestion: following the stream of prod again',
    );
  });

  it('keeps ingesting when a listener throws; the other listeners still hear every transition', async () => {
    const heard: string[] = [];
    const script = new CanaryScript(fake, 'demo', 'podinfo');
    script.initialized('r1', 'podinfo:6.0.0');
    const { store } = await setup('SQLITE_3', {
      listeners: [
        () => {
          throw new Error('alert sink is down');
        },
        t => heard.push(t.rollout.outcome),
      ],
    });
    script.promote('r2', 'r1', IMAGES);
    await waitForComplete(store, 'r2', 4, 6);
    await waitFor(() => heard.length === 2);
    expect(heard).toEqual(['Running', 'Succeeded']);
  });

  it('reads a burst of changes with at most one detail read in flight and one pending', async () => {
    const script = new CanaryScript(fake, 'demo', 'podinfo');
    script.initialized('r1', 'podinfo:6.0.0');
    const { store } = await setup();
    await waitFor(() => (fake.detailReads.get('demo/podinfo') ?? 0) >= 1);
    fake.detailDelayMs = 300;
    const before = fake.detailReads.get('demo/podinfo') ?? 0;
    script.release(1, 'r2', 'r1', IMAGES);
    for (let w = 1; w <= 10; w += 1) {
      script.step(
        1 + w,
        {
          phase: 'Progressing',
          revision: 'r2',
          promotedRevision: 'r1',
          images: IMAGES,
          weight: w * 5,
        },
        { check: true },
      );
    }
    const rollout = await waitFor(async () => {
      const r = (await history(store))[0];
      return r?.checks.length === 20 ? r : undefined;
    });
    expect(rollout.maxWeightReached).toBe(50);
    expect((fake.detailReads.get('demo/podinfo') ?? 0) - before).toBeLessThanOrEqual(3);
  });

  it('reads the detail once more after a rollout ends, for the Events the controller writes last', async () => {
    const script = new CanaryScript(fake, 'demo', 'podinfo');
    script.initialized('r1', 'podinfo:6.0.0');
    const { store } = await setup('SQLITE_3', { finalReadDelayMs: 1_000 });
    script.release(1, 'r2', 'r1', IMAGES);
    // One message, one read at a time: no read of the release may still be pending below.
    await waitFor(async () => (await history(store))[0]?.events.length === 1, {
      what: 'the release read',
    });
    const failed = {
      phase: 'Failed',
      revision: 'r2',
      promotedRevision: 'r1',
      images: IMAGES,
      message: 'Canary analysis failed, Deployment scaled to zero.',
    };
    script.step(5, failed, { event: 'Canary failed podinfo.demo' });
    await waitFor(
      async () =>
        (await history(store))[0]?.events.some(e => e.message.startsWith('Canary failed')),
      { what: 'the Failed rollout with the detail read it triggered' },
    );
    // The last Event reaches the controller's cache after its final status: no stream message.
    const lastId = fake.lastId;
    script.step(5, failed, {
      event: 'Rolling back podinfo.demo failed checks threshold reached 2',
    });
    expect(fake.lastId).toBe(lastId);
    const rollout = await waitFor(async () => {
      const r = (await history(store))[0];
      return r?.events.some(e => e.message.startsWith('Rolling back')) ? r : undefined;
    });
    expect(rollout.outcome).toBe('Failed');
    expect(rollout.events.map(e => e.message)).toEqual([
      'New revision detected! Scaling up podinfo.demo',
      'Canary failed podinfo.demo',
      'Rolling back podinfo.demo failed checks threshold reached 2',
    ]);
  });

  it('records the acknowledged manual action as an actor of the rollout', async () => {
    const script = new CanaryScript(fake, 'demo', 'podinfo');
    script.initialized('r1', 'podinfo:6.0.0');
    const { store } = await setup();
    script.release(1, 'r2', 'r1', IMAGES);
    script.step(5, {
      phase: 'Failed',
      revision: 'r2',
      promotedRevision: 'r1',
      images: IMAGES,
      message: 'Canary analysis failed: aborted by user:default/jane',
      manualAction: {
        id: 'req-1',
        action: 'abort',
        revision: 'r2',
        requestedBy: 'user:default/jane',
        reason: 'error rate',
        outcome: 'Applied',
        acknowledgedAt: new Date().toISOString(),
      },
    });
    await waitForOutcome(store, 'r2', 'Failed');
    const failed = await waitFor(async () => {
      const r = (await history(store))[0];
      return r?.actors.length ? r : undefined;
    });
    expect(failed.reason).toBe('Canary analysis failed: aborted by user:default/jane');
    expect(failed.actors).toEqual([
      expect.objectContaining({
        action: 'abort',
        by: 'user:default/jane',
        reason: 'error rate',
        outcome: 'Applied',
      }),
    ]);
  });

  it('prunes rollouts that ended before the retention window', async () => {
    const script = new CanaryScript(fake, 'demo', 'podinfo');
    script.promote('r2', 'r1', IMAGES);
    const { store, ingestor } = await setup();
    const done = await waitForOutcome(store, 'r2', 'Succeeded');
    const ended = Date.parse(done.endedAt!);
    expect(await ingestor.pruneHistory(new Date(ended + 29 * 86_400_000))).toBe(0);
    expect(await ingestor.pruneHistory(new Date(ended + 31 * 86_400_000))).toBe(1);
    expect(await history(store)).toEqual([]);
  });
});
