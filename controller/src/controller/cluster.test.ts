import { EVENTS, type CoreEvent, type Logger } from '../kube/index.js';
import { eventually, startTestCluster, type TestCluster } from '../kube/test-support/cluster.js';
import { Cluster } from './cluster.js';

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

let kube: TestCluster;
let cluster: Cluster | undefined;

beforeAll(async () => {
  kube = await startTestCluster();
});
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});
afterAll(() => kube.stop());

function event(
  ns: string,
  name: string,
  involved: { apiVersion: string; kind: string; name: string },
  lastTimestamp: string,
): Partial<CoreEvent> {
  return {
    metadata: { namespace: ns, name },
    involvedObject: { ...involved, namespace: ns },
    type: 'Normal',
    reason: 'Synced',
    message: name,
    count: 1,
    firstTimestamp: lastTimestamp,
    lastTimestamp,
  };
}

describe('Cluster Events cache', () => {
  it('indexes Events about aviary.dev Canaries (in --namespace), newest first, at most the limit', async () => {
    const ns = await kube.namespace('events');
    const other = await kube.namespace('events-other');
    const cart = { apiVersion: 'aviary.dev/v1beta1', kind: 'Canary', name: 'cart' };
    await kube.writer.create(EVENTS, event(ns, 'cart.1', cart, '2026-01-02T03:00:00Z'));
    await kube.writer.create(EVENTS, event(ns, 'cart.3', cart, '2026-01-02T03:02:00Z'));
    await kube.writer.create(EVENTS, event(ns, 'cart.2', cart, '2026-01-02T03:01:00Z'));
    await kube.writer.create(
      EVENTS,
      event(
        ns,
        'deploy',
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'cart' },
        '2026-01-02T03:05:00Z',
      ),
    );
    await kube.writer.create(
      EVENTS,
      event(
        ns,
        'flagger',
        { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', name: 'cart' },
        '2026-01-02T03:05:00Z',
      ),
    );
    await kube.writer.create(EVENTS, event(other, 'cart.x', cart, '2026-01-02T03:05:00Z'));
    cluster = new Cluster({ client: kube.client, namespace: ns, logger: quiet });
    await cluster.start();
    const names = await eventually(() => {
      const found = cluster?.canaryEvents(ns, 'cart').map(e => e.metadata?.name) ?? [];
      return found.length === 3 ? found : undefined;
    }, 'the canary Events');
    expect(names).toEqual(['cart.3', 'cart.2', 'cart.1']);
    expect(cluster.canaryEvents(ns, 'cart', 2).map(e => e.metadata?.name)).toEqual([
      'cart.3',
      'cart.2',
    ]);
    expect(cluster.canaryEvents(other, 'cart')).toEqual([]);
    expect(cluster.events.list().map(e => e.metadata?.namespace)).not.toContain(other);
  });
});
