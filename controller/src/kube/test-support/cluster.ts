// Test support: an emulated cluster with Aviary's and Istio's CRDs, and polling helpers.
// Tests poll for conditions; they never sleep for a fixed time.
import { ISTIO_CRDS, startKubeEmulator } from '@aviary/playground';
import type {
  EmulatorOptions,
  KubeEmulator,
  KubeObject as PlaygroundObject,
} from '@aviary/playground';
import { buildCrd } from '../../api/crd.js';
import { crdDefinitions } from '../../api/schema/index.js';
import { connect, type KubeClient } from '../client.js';
import { NAMESPACES } from '../resources.js';
import { createObjectWriter, type ObjectWriter } from '../writer.js';

export interface TestCluster {
  emulator: KubeEmulator;
  client: KubeClient;
  writer: ObjectWriter;
  /** Creates a namespace with a unique name starting with `prefix`. */
  namespace(prefix: string): Promise<string>;
  stop(): Promise<void>;
}

let namespaces = 0;

export async function startTestCluster(options: EmulatorOptions = {}): Promise<TestCluster> {
  // buildCrd returns generic JSON; it is a complete CustomResourceDefinition.
  const aviaryCrds = crdDefinitions.map(def => buildCrd(def) as unknown as PlaygroundObject);
  const emulator = await startKubeEmulator({
    rolloutDelayMs: 20,
    ...options,
    crds: [...ISTIO_CRDS, ...aviaryCrds, ...(options.crds ?? [])],
  });
  const client = connect({ kubeconfigData: emulator.kubeconfig() });
  const writer = createObjectWriter(client);
  return {
    emulator,
    client,
    writer,
    async namespace(prefix) {
      const name = `${prefix}-${++namespaces}`;
      await writer.create(NAMESPACES, { metadata: { name } });
      return name;
    },
    async stop() {
      client.close();
      await emulator.stop();
    },
  };
}

/** Polls `check` until it returns a truthy value (errors count as "not yet"). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what = 'condition',
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}
