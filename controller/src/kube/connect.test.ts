import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from './client.js';
import { startTestCluster } from './test-support/cluster.js';

describe('connect', () => {
  it('without a kubeconfig option finds the cluster through $KUBECONFIG, as kubectl does', async () => {
    const cluster = await startTestCluster();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aviary-connect-'));
    const previous = process.env.KUBECONFIG;
    try {
      const file = path.join(dir, 'kubeconfig');
      writeFileSync(file, cluster.emulator.kubeconfig());
      process.env.KUBECONFIG = file;
      const client = connect();
      expect(client.server).toBe(cluster.emulator.url);
      const namespaces = await client.request<{ items: unknown[] }>({
        method: 'GET',
        path: '/api/v1/namespaces',
      });
      expect(namespaces.items.length).toBeGreaterThan(0);
    } finally {
      if (previous === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = previous;
      rmSync(dir, { recursive: true, force: true });
      await cluster.stop();
    }
  });
});
