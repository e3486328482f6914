import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Canary } from '../api/types.js';
import { canary } from '../http/api/test-fakes.js';
import { CANARIES } from '../kube/index.js';
import { startTestCluster, type TestCluster } from '../kube/test-support/cluster.js';
import { EXIT, runAviary } from './aviary-cli.js';

describe('aviary straight against the cluster (kubeconfig)', () => {
  let cluster: TestCluster;
  let kubeconfig: string;
  let ns: string;

  beforeAll(async () => {
    cluster = await startTestCluster();
    kubeconfig = path.join(mkdtempSync(path.join(os.tmpdir(), 'aviary-cli-')), 'kubeconfig');
    await cluster.emulator.writeKubeconfig(kubeconfig);
    ns = await cluster.namespace('cli');
    const created = await cluster.writer.create<Canary>(CANARIES, canary(ns, 'web'));
    await cluster.writer.replaceStatus<Canary>(CANARIES, {
      ...created,
      status: { phase: 'Progressing', canaryWeight: 20, lastAppliedSpec: 'rev-7' },
    });
  });
  afterAll(() => cluster.stop());

  async function aviary(...argv: string[]) {
    let out = '';
    let err = '';
    const code = await runAviary([...argv, '--kubeconfig', kubeconfig], {
      env: {},
      io: { out: t => (out += t), err: t => (err += t) },
    });
    return { code, out, err };
  }

  it('lists and reads canaries', async () => {
    const list = await aviary('list', '-n', ns);
    expect(list.err).toBe('');
    expect(list.out).toMatch(new RegExp(`${ns}\\s+web\\s+Progressing\\s+20`));
    const got = await aviary('get', `${ns}/web`, '-o', 'json');
    expect(JSON.parse(got.out)).toMatchObject({ name: 'web', revision: 'rev-7' });
  });

  it('writes the same manual-action patch as the API, attributed to --as', async () => {
    const res = await aviary(
      'pause',
      `${ns}/web`,
      '--as',
      'jane',
      '--reason',
      'lunch',
      '-o',
      'json',
    );
    expect(res.code).toBe(EXIT.ok);
    const accepted = JSON.parse(res.out) as { id: string };
    const live = await cluster.writer.read<Canary>(CANARIES, ns, 'web');
    expect(live?.spec).toMatchObject({
      manualAction: {
        id: accepted.id,
        action: 'pause',
        revision: 'rev-7',
        requestedBy: 'jane',
        reason: 'lunch',
      },
    });
  });

  it('wait times out with 2 when the canary does not finish', async () => {
    const res = await aviary('wait', `${ns}/web`, '--timeout', '500ms');
    expect(res.code).toBe(EXIT.timeout);
    expect(res.out).toContain('Progressing');
  });
});
