import * as k8s from '@kubernetes/client-node';
import { startKubeEmulator } from '../../src/index.js';
import type { KubeEmulator } from '../../src/index.js';

let emulator: KubeEmulator;
beforeAll(async () => {
  emulator = await startKubeEmulator({ rolloutDelayMs: 20 });
});
afterAll(() => emulator.stop());

it('client-node lists namespaces over TLS with the generated kubeconfig', async () => {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(emulator.kubeconfig());
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const list = await core.listNamespace();
  expect(list.items.map(n => n.metadata?.name)).toEqual([
    'default',
    'kube-node-lease',
    'kube-public',
    'kube-system',
  ]);
});
