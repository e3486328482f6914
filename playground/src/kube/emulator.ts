/**
 * The Kubernetes API emulator: an HTTP server that speaks enough of the Kubernetes REST API for
 * kubectl and @kubernetes/client-node to work unchanged. Usable in-process (tests) and from the
 * `aviary-playground kube` command.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { registerBuiltins } from './builtins.js';
import { CrdController, validateCrd } from './crds.js';
import { errors } from './errors.js';
import { GarbageCollector } from './garbage-collector.js';
import { kubeconfigYaml } from './kubeconfig.js';
import { ObjectApi } from './objects.js';
import { ResourceRegistry } from './resources.js';
import { createHandler } from './server.js';
import { ObjectStore } from './store.js';
import { createServingCert } from './tls.js';
import type { KubeObject } from './types.js';
import { WatchHub } from './watch.js';
import { WorkloadSimulator } from './workloads.js';

export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  host?: string;
  /** Bearer token clients must present; generated when omitted. */
  token?: string;
  /** Delay before a Deployment's pods count as rolled out. Default 500 ms. */
  rolloutDelayMs?: number;
  /** Changes kept per resource for watch resumption (at least this many; trimmed in batches); older positions get 410 Gone. Default 10000. */
  historyLimit?: number;
  /** How often watches that asked for bookmarks get one. Default 5000 ms. */
  bookmarkIntervalMs?: number;
  /** Longest a watch stays open before the server ends it (clients re-watch). Default 1800 s. */
  maxWatchSeconds?: number;
  /** Namespaces created at start. Default: default, kube-system, kube-public, kube-node-lease. */
  namespaces?: string[];
  /** CustomResourceDefinitions installed at start (e.g. `ISTIO_CRDS`, the Aviary CRDs). */
  crds?: KubeObject[];
}

export interface KubeEmulator {
  /** e.g. https://127.0.0.1:43121 */
  readonly url: string;
  /** PEM of the CA that signed the serving certificate (what the kubeconfig trusts). */
  readonly caPem: string;
  readonly port: number;
  readonly token: string;
  /** kubeconfig YAML pointing at this emulator. */
  kubeconfig(): string;
  writeKubeconfig(file: string): Promise<void>;
  /** Forgets watch history: clients resuming from an older resourceVersion get 410 Gone and relist. */
  compactHistory(): void;
  /** Ends all open watch connections (clients reconnect from their last resourceVersion). */
  dropWatches(): void;
  /** Number of objects stored. */
  objectCount(): number;
  /** Current resourceVersion. */
  resourceVersion(): number;
  /** Reads an object as stored (for assertions), or undefined. */
  peek(
    group: string,
    plural: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined;
  stop(): Promise<void>;
}

const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function startKubeEmulator(options: EmulatorOptions = {}): Promise<KubeEmulator> {
  const registry = new ResourceRegistry();
  registerBuiltins(registry);
  const crdType = registry.get('apiextensions.k8s.io', 'customresourcedefinitions');
  if (crdType) crdType.validate = validateCrd;
  const store = new ObjectStore(options.historyLimit ?? 10_000);
  const objects = new ObjectApi(store);
  const crds = new CrdController(store, registry);
  const gc = new GarbageCollector(store, objects, registry);
  const workloads = new WorkloadSimulator(store, objects, registry, options.rolloutDelayMs ?? 500);
  const watches = new WatchHub(store, objects, {
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 5000,
    maxTimeoutSeconds: options.maxWatchSeconds ?? 1800,
  });
  const token = options.token ?? randomBytes(24).toString('base64url');

  const nsType = registry.lookup('', 'v1', 'namespaces');
  if (!nsType) throw new Error('namespaces are not registered');
  for (const name of options.namespaces ?? DEFAULT_NAMESPACES)
    objects.create(nsType, undefined, { metadata: { name } });

  const crdServed = registry.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
  if (!crdServed) throw new Error('customresourcedefinitions are not registered');
  for (const crd of options.crds ?? []) objects.create(crdServed, undefined, crd);

  const host = options.host ?? '127.0.0.1';
  let address = '';
  const cert = createServingCert();
  const server = createServer(
    { cert: cert.certPem, key: cert.keyPem },
    createHandler({ registry, store, objects, watches, token, address: () => address }),
  );
  server.keepAliveTimeout = 60_000;
  const sockets = new Set<Duplex>();
  server.on('secureConnection', s => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (err, socket) => {
    // Requests the HTTP parser rejects still get a Kubernetes Status body.
    if (!socket.writable) return;
    const body = JSON.stringify(
      errors.badRequest(`malformed HTTP request: ${err.message}`).toStatus(),
    );
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  address = `${host}:${port}`;
  const url = `https://${address}`;

  return {
    url,
    port,
    token,
    caPem: cert.certPem,
    kubeconfig: () => kubeconfigYaml(url, token, cert.certPem),
    writeKubeconfig: file =>
      writeFile(file, kubeconfigYaml(url, token, cert.certPem), { mode: 0o600 }),
    compactHistory: () => store.compact(),
    dropWatches: () => watches.closeAll(),
    objectCount: () => store.size(),
    resourceVersion: () => store.currentRv,
    peek: (group, plural, namespace, name) => {
      const type = registry.get(group, plural);
      return type ? store.get(type.storageKey, namespace, name) : undefined;
    },
    stop: async () => {
      workloads.stop();
      gc.stop();
      crds.stop();
      watches.closeAll();
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}
