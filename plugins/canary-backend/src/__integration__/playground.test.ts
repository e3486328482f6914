// Ingestion from the real controller running against the Kubernetes emulator (the playground):
// a release promoted by the real controller on real Prometheus data must show up as one complete
// rollout, across a restart of the ingestor in the middle; a bad release as a failed one with the
// controller's reason. Needs the playground built (`npm run build` at the repository root) and
// Prometheus installed. Takes two to four minutes.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { mockServices } from '@backstage/backend-test-utils';
import type { CanaryRef, RolloutWithChecks } from '@aviary/backstage-plugin-canary-common';
import {
  ConfigControllerRegistry,
  HttpControllerClient,
  type ControllerStreamMessage,
} from '../controllers';
import { DatabaseRolloutStore } from '../database';
import { createIngestion, type RolloutIngestor } from '../ingest';
import { createTestDatabases } from '../database/__fixtures__/rollouts';
import { waitFor } from '../__testUtils__/waitFor';

jest.setTimeout(8 * 60_000);

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../../..');
const CLI = path.join(ROOT, 'playground/dist/cli.js');
const PODINFO: CanaryRef = { cluster: 'playground', namespace: 'demo', name: 'podinfo' };
const IMAGE = 'ghcr.io/stefanprodan/podinfo';

const databases = createTestDatabases();
let dir: string;
let up: ChildProcess | undefined;
let output = '';
let controller: { url: string; apiToken: string };

async function playground(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, ...args, '--state-dir', dir], { cwd: ROOT });
  return stdout;
}

beforeAll(async () => {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run \`npm run build\` at the repository root`);
  dir = await mkdtemp(path.join(tmpdir(), 'canary-backend-playground-'));
  up = spawn(
    process.execPath,
    [CLI, 'up', '--no-portal', '--port', '0', '--mesh-port', '0', '--state-dir', dir],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  up.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  up.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  await waitFor(() => output.includes('Aviary playground is up') || up?.exitCode !== null, {
    timeoutMs: 120_000,
    intervalMs: 200,
    what: 'the playground to come up',
  });
  if (!output.includes('Aviary playground is up'))
    throw new Error(`playground up failed:\n${output}`);
  const state = JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8')) as {
    controller: { url: string; apiToken: string };
  };
  controller = state.controller;
});

afterAll(async () => {
  if (dir) {
    await playground('down').catch(() => undefined);
    if (up && up.exitCode === null) {
      await waitFor(() => up?.exitCode !== null, {
        timeoutMs: 15_000,
        what: 'playground up to exit',
      }).catch(() => up?.kill('SIGKILL'));
    }
    await rm(dir, { recursive: true, force: true });
  }
});

describe('against the real controller', () => {
  it('lists, reads, streams and acts through the client', async () => {
    const client = new HttpControllerClient({
      name: 'playground',
      url: controller.url,
      token: controller.apiToken,
    });
    const list = await client.list({ namespace: 'demo' });
    expect(list.map(c => [c.cluster, c.name, c.phase])).toEqual([
      ['playground', 'abtest', 'Initialized'],
      ['playground', 'podinfo', 'Initialized'],
    ]);
    const detail = await client.get('demo', 'podinfo');
    expect(detail?.images.primary).toEqual([`${IMAGE}:6.0.0`]);
    expect(detail?.spec.analysis?.metrics).toEqual(['request-success-rate', 'request-duration']);
    expect(await client.get('demo', 'nothing')).toBeUndefined();

    const messages: ControllerStreamMessage[] = [];
    const handle = client.stream({ onMessage: async m => void messages.push(m) });
    try {
      await waitFor(() => messages.some(m => m.kind === 'hello'));
      const { requestId } = await client.act('demo', 'abtest', {
        action: 'pause',
        reason: 'integration test',
        onBehalfOf: 'user:default/tester',
      });
      const ack = await waitFor(() =>
        messages.find(
          m =>
            m.kind === 'canary' &&
            m.canary.manualAction?.id === requestId &&
            m.canary.manualAction.outcome,
        ),
      );
      expect(ack.kind === 'canary' && ack.canary.manualAction?.requestedBy).toBe(
        'user:default/tester',
      );
      await client.act('demo', 'abtest', {
        action: 'resume',
        reason: 'integration test',
        onBehalfOf: 'user:default/tester',
      });
    } finally {
      handle.close();
    }

    const wrong = new HttpControllerClient({
      name: 'playground',
      url: controller.url,
      token: 'wrong',
    });
    await expect(wrong.list()).rejects.toMatchObject({ status: 502 });
  });

  it('ingests a promotion and a rollback as a complete rollout history, across an ingestor restart', async () => {
    const store = await DatabaseRolloutStore.create({ database: await databases.init('SQLITE_3') });
    const registry = new ConfigControllerRegistry([
      { name: 'playground', url: controller.url, token: controller.apiToken },
    ]);
    const logger = mockServices.logger.mock();
    const config = {
      controllers: [],
      alertChannels: new Map(),
      history: { retentionDays: 30, resyncIntervalSeconds: 300 },
    };
    const start = async (): Promise<RolloutIngestor> => {
      const { ingestor } = createIngestion({ config, store, registry, logger });
      await ingestor.start();
      return ingestor;
    };
    let lastSeen: RolloutWithChecks | undefined;
    const rolloutOf = async (image: string): Promise<RolloutWithChecks | undefined> => {
      const page = await store.listRollouts(PODINFO, { limit: 20 });
      const found = page.items.find(r => r.images.canary.includes(image));
      lastSeen = found ? await store.getRollout(found.id) : undefined;
      return lastSeen;
    };
    // On a timeout, say what was recorded (a loaded machine can make the analysis itself fail).
    const describeLastSeen = (error: unknown) => {
      const seen = lastSeen
        ? `${lastSeen.outcome} (${lastSeen.reason ?? 'no reason'}), ${lastSeen.checks.length} checks, ${lastSeen.events.length} events`
        : 'nothing';
      throw new Error(
        `${(error as Error).message}; last recorded: ${seen}\n${output.slice(-2000)}`,
      );
    };

    let ingestor = await start();
    try {
      await waitFor(async () => (await store.getStreamCursor('playground')) !== undefined, {
        timeoutMs: 30_000,
      });
      expect((await store.listRollouts(PODINFO, { limit: 5 })).items).toEqual([]);

      // Event times have whole seconds: release in a later second than the first deploy's last
      // Event, or no one could tell that Event from the rollout's (the start rounds down).
      const client = new HttpControllerClient({
        name: 'playground',
        url: controller.url,
        token: controller.apiToken,
      });
      const firstDeploy = await waitFor(
        async () => {
          const detail = await client.get('demo', 'podinfo');
          const done = detail?.events.some(e => e.message.startsWith('Initialization done'));
          if (detail?.phase !== 'Initialized' || !done) return undefined;
          return Math.max(...detail.events.map(e => Date.parse(e.lastTimestamp ?? '') || 0));
        },
        { timeoutMs: 30_000, what: 'podinfo initialised' },
      );
      await waitFor(() => Date.now() >= firstDeploy + 1000, { what: 'the next second' });
      await playground('release', 'podinfo', '6.0.1');
      // Restart the ingestor (a backend restart) in the middle of the analysis.
      await waitFor(
        async () => ((await rolloutOf(`${IMAGE}:6.0.1`))?.maxWeightReached ?? 0) >= 25,
        {
          timeoutMs: 120_000,
          intervalMs: 250,
          what: 'the 6.0.1 rollout at weight 25',
        },
      );
      await ingestor.stop();
      ingestor = await start();

      const promoted = await waitFor(
        async () => {
          const r = await rolloutOf(`${IMAGE}:6.0.1`);
          const done =
            r?.outcome === 'Succeeded' &&
            r.events.some(e => e.message.startsWith('Promotion completed'));
          return done ? r : undefined;
        },
        { timeoutMs: 240_000, intervalMs: 500, what: '6.0.1 promoted and recorded' },
      ).catch(describeLastSeen);
      expect(promoted).toMatchObject({
        ...PODINFO,
        images: { canary: [`${IMAGE}:6.0.1`], primary: [`${IMAGE}:6.0.0`] },
        outcome: 'Succeeded',
        maxWeightReached: 50,
        failedChecks: 0,
      });
      expect(Date.parse(promoted.endedAt!)).toBeGreaterThan(Date.parse(promoted.startedAt));
      const metrics = new Set(promoted.checks.map(c => c.metric));
      expect(metrics).toEqual(new Set(['request-success-rate', 'request-duration']));
      for (const check of promoted.checks) {
        expect(check).toMatchObject({ outcome: 'value', verdict: 'pass' });
        expect(typeof check.value).toBe('number');
      }
      expect(promoted.checkCount).toBe(promoted.checks.length);
      // No duplicates: one check per metric and time, one event per time and message.
      expect(new Set(promoted.checks.map(c => `${c.metric}@${c.time}`)).size).toBe(
        promoted.checks.length,
      );
      expect(new Set(promoted.events.map(e => `${e.message}@${e.time}`)).size).toBe(
        promoted.events.length,
      );
      const messages = promoted.events.map(e => e.message);
      expect(messages).toEqual(
        expect.arrayContaining([
          'New revision detected! Scaling up podinfo.demo',
          'Advance podinfo.demo canary weight 25',
          'Advance podinfo.demo canary weight 50',
          'Promotion completed! Scaling down podinfo.demo',
        ]),
      );
      // Nothing of the first deploy (before the rollout started) is in its events.
      expect(messages).not.toContain('Initialization done! podinfo.demo');

      await playground('release', 'podinfo', '6.0.2');
      await playground('inject', 'podinfo', '--errors', '30');
      const failed = await waitFor(
        async () => {
          const r = await rolloutOf(`${IMAGE}:6.0.2`);
          return r?.outcome === 'Failed' && r.events.some(e => e.message.startsWith('Rolling back'))
            ? r
            : undefined;
        },
        { timeoutMs: 240_000, intervalMs: 500, what: '6.0.2 rolled back and recorded' },
      ).catch(describeLastSeen);
      expect(failed.reason).toMatch(/fail/i);
      expect(
        failed.checks.some(c => c.metric === 'request-success-rate' && c.verdict === 'fail'),
      ).toBe(true);
      // The history counts the failing measurements (the controller resets its own count to 0).
      expect(failed.failedChecks).toBe(failed.checks.filter(c => c.verdict === 'fail').length);
      expect(failed.failedChecks).toBeGreaterThan(0);
      expect(failed.images).toEqual({ canary: [`${IMAGE}:6.0.2`], primary: [`${IMAGE}:6.0.1`] });

      const history = await store.listRollouts(PODINFO, { limit: 20 });
      expect(history.items.map(r => [r.images.canary[0], r.outcome])).toEqual([
        [`${IMAGE}:6.0.2`, 'Failed'],
        [`${IMAGE}:6.0.1`, 'Succeeded'],
      ]);
      expect(
        (await store.listRollouts({ ...PODINFO, name: 'abtest' }, { limit: 5 })).items,
      ).toEqual([]);
    } finally {
      await ingestor.stop();
    }
  });
});
