// One round trip against the real Aviary controller: the playground (Kubernetes API emulator,
// mesh, Prometheus, aviary-controller) is started as a child process, the plugin reads its
// podinfo canary and sends an action that the controller acknowledges with the Backstage user.
import { TestDatabases } from '@backstage/backend-test-utils';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { ALICE, BOB, startCanaryBackend } from './__testUtils__/backend';
import { playgroundPodinfo, sampleEntities } from './__testUtils__/catalog';

jest.setTimeout(240_000);

const CLI = resolve(__dirname, '../../../../playground/dist/cli.js');
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

interface PlaygroundState {
  ready: boolean;
  controller?: { url: string; apiToken: string };
}

describe('against the real controller (playground)', () => {
  let dir: string;
  let up: ChildProcess | undefined;
  let output = '';
  let state: PlaygroundState;
  let backend: Awaited<ReturnType<typeof startCanaryBackend>> | undefined;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build at the root`);
    dir = mkdtempSync(join(tmpdir(), 'canary-backend-playground-'));
    up = spawn(
      process.execPath,
      [CLI, 'up', '--state-dir', dir, '--port', '0', '--mesh-port', '0', '--no-portal'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    up.stdout!.on('data', chunk => (output += String(chunk)));
    up.stderr!.on('data', chunk => (output += String(chunk)));
    const deadline = Date.now() + 180_000;
    for (;;) {
      if (up.exitCode !== null) throw new Error(`playground up exited: ${output}`);
      const file = join(dir, 'state.json');
      if (existsSync(file)) {
        state = JSON.parse(readFileSync(file, 'utf8')) as PlaygroundState;
        if (state.ready && state.controller) break;
      }
      if (Date.now() > deadline) throw new Error(`playground not ready: ${output}`);
      await new Promise(r => setTimeout(r, 250));
    }
    backend = await startCanaryBackend({
      knex: await databases.init('SQLITE_3'),
      entities: [...sampleEntities, playgroundPodinfo],
      canary: {
        controllers: [
          { name: 'playground', url: state.controller!.url, token: state.controller!.apiToken },
        ],
        history: { resyncInterval: '1h' },
      },
    });
  });

  afterAll(async () => {
    await backend?.backend.stop();
    if (dir) {
      spawnSync(process.execPath, [CLI, 'down', '--state-dir', dir], { stdio: 'ignore' });
      if (up && up.exitCode === null) {
        await new Promise(r => {
          up!.once('exit', r);
          setTimeout(r, 20_000);
        });
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the canary and acts on it on behalf of the signed-in user', async () => {
    const server = backend!.server;
    const entity = await request(server)
      .get('/api/canary/entity/component/demo/podinfo/canaries')
      .set(ALICE);
    expect(entity.status).toBe(200);
    expect(entity.body.canaries[0]).toMatchObject({
      ref: { cluster: 'playground', namespace: 'demo', name: 'podinfo' },
      state: { cluster: 'playground', namespace: 'demo', name: 'podinfo', target: 'podinfo' },
    });

    const refused = await request(server)
      .post('/api/canary/clusters/playground/namespaces/demo/canaries/podinfo/actions')
      .set(BOB)
      .send({ action: 'pause', reason: 'not my service' });
    expect(refused.status).toBe(403);

    // The controller needs a revision to scope the action to: wait until it has analysed one.
    let revision: string | undefined;
    for (let i = 0; i < 240 && !revision; i++) {
      const detail = await request(server)
        .get('/api/canary/clusters/playground/namespaces/demo/canaries/podinfo')
        .set(ALICE);
      revision = detail.body.revision;
      if (!revision) await new Promise(r => setTimeout(r, 250));
    }
    expect(revision).toBeDefined();

    const action = await request(server)
      .post('/api/canary/clusters/playground/namespaces/demo/canaries/podinfo/actions')
      .set(ALICE)
      .send({ action: 'pause', reason: 'checking the dashboards', revision });
    expect(action.status).toBe(202);
    const { requestId } = action.body as { requestId: string };

    // The controller acknowledges the request it recorded, attributed to the Backstage user.
    let ack: Record<string, unknown> | undefined;
    for (let i = 0; i < 240; i++) {
      const detail = await request(server)
        .get('/api/canary/clusters/playground/namespaces/demo/canaries/podinfo')
        .set(ALICE);
      if (detail.body.manualAction?.id === requestId && detail.body.manualAction.outcome) {
        ack = detail.body.manualAction;
        break;
      }
      await new Promise(r => setTimeout(r, 250));
    }
    expect(ack).toMatchObject({
      id: requestId,
      action: 'pause',
      requestedBy: 'user:default/alice',
      reason: 'checking the dashboards',
    });
  });
});
