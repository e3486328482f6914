// End to end on the Kubernetes API emulator: the controller chart's objects (as the fleet's
// HelmRelease would install them) and a service onboarded by the service template (as Flux would
// apply its Kustomization) are applied with kubectl; then the real aviary-controller binary runs
// with the flags and environment of the chart's Deployment and initialises the canary. Every API
// request it makes goes through an auditing proxy and is held against the chart's RBAC.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ISTIO_CRDS, startKubeEmulator, type KubeEmulator } from '@aviary/playground';
import { helmTemplate } from '@aviary/charts/test/support/helm';
import type { Manifest } from '@aviary/charts/test/support/validate';
import {
  apply,
  ControllerProcess,
  kubectl,
  rbacAllows,
  startAuditProxy,
  waitFor,
  type AuditProxy,
} from './support/cluster';
import { buildCluster, overlayAddOnly, type ClusterBuild } from './support/fleet';
import { runTemplate } from './support/scaffolder';

const CLUSTER = 'kind';
const SERVICE = 'checkout';

/** Flux's own kinds: the emulator has no Flux controllers or CRDs; their schemas are tested elsewhere. */
const isFlux = (o: Manifest) => o.apiVersion.split('/')[0]!.endsWith('.toolkit.fluxcd.io');

describe('e2e: controller chart and an onboarded service on the Kubernetes API emulator', () => {
  let emulator: KubeEmulator;
  let kubeconfig: string;
  let build: ClusterBuild;
  let chart: Manifest[];
  let proxy: AuditProxy;
  let controller: ControllerProcess | undefined;
  let alerts: http.Server;
  const skipped: string[] = [];

  const objectsOf = (ks: string) =>
    build.kustomizations.find(k => k.kustomization.metadata.name === ks)!.objects;
  const peek = (group: string, plural: string, ns: string | undefined, name: string) =>
    emulator.peek(group, plural, ns, name) as any;

  beforeAll(async () => {
    emulator = await startKubeEmulator({ crds: ISTIO_CRDS, rolloutDelayMs: 50 });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aviary-e2e-'));
    kubeconfig = path.join(tmp, 'kubeconfig');
    await emulator.writeKubeconfig(kubeconfig);

    // A fleet for one cluster with the service merged in through its add-only pull request.
    const fleet = await runTemplate('fleet', {
      repoUrl: 'github.com?owner=acme&repo=fleet',
      owner: 'group:default/platform',
      clusters: [CLUSTER],
    });
    const service = await runTemplate('service', {
      name: SERVICE,
      owner: 'group:default/payments',
      repoUrl: 'github.com?owner=acme&repo=checkout',
      fleetRepoUrl: 'github.com?owner=acme&repo=fleet',
      clusters: [CLUSTER],
      domain: 'example.com',
    });
    overlayAddOnly(path.join(service.workspace, 'fleet'), fleet.workspace);
    build = await buildCluster(fleet.workspace, CLUSTER);

    // The controller chart, rendered with the values of the fleet's Aviary HelmRelease.
    const release = objectsOf('infra-controllers').find(
      o => o.kind === 'HelmRelease' && o.metadata.name === 'aviary',
    ) as any;
    chart = await helmTemplate('aviary', {
      release: release.spec.releaseName,
      namespace: release.metadata.namespace,
      values: release.spec.values,
      includeCrds: true,
      skipTests: true,
    });

    // Where the AlertProvider's webhook Secret points (created out of band, as the fleet README says).
    alerts = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>(resolve => alerts.listen(0, '127.0.0.1', resolve));
    proxy = await startAuditProxy(emulator);
  });

  afterAll(async () => {
    await controller?.stop();
    await proxy?.close();
    await new Promise(resolve => alerts?.close(resolve));
    await emulator?.stop();
  });

  /** Applies in Flux's order; returns what the emulator cannot hold (Flux kinds). */
  const applyAll = async (objects: Manifest[]) => {
    const accepted = objects.filter(o => !isFlux(o));
    for (const o of objects.filter(isFlux)) skipped.push(`${o.kind}/${o.metadata.name}`);
    if (accepted.length > 0) await apply(kubeconfig, accepted);
    return accepted;
  };

  it('accepts the controller chart: CRDs, namespace, RBAC, Secret, Service, controller and load tester', async () => {
    const crds = chart.filter(o => o.kind === 'CustomResourceDefinition');
    await apply(kubeconfig, crds);
    await kubectl(kubeconfig, [
      'wait',
      '--for=condition=Established',
      ...crds.map(c => `crd/${c.metadata.name}`),
    ]);
    await applyAll(objectsOf('infra-controllers').filter(o => o.kind === 'Namespace'));
    const rest = chart.filter(o => o.kind !== 'CustomResourceDefinition');
    await apply(kubeconfig, rest);
    for (const o of rest) {
      const got = await kubectl(kubeconfig, [
        'get',
        o.kind.toLowerCase(),
        o.metadata.name,
        '-n',
        'aviary-system',
        '-o',
        'name',
      ]);
      expect(got.trim()).toMatch(new RegExp(`/${o.metadata.name}$`));
    }
    await kubectl(kubeconfig, [
      'rollout',
      'status',
      'deployment/aviary',
      '-n',
      'aviary-system',
      '--timeout=60s',
    ]);
  });

  it('accepts the infrastructure configs and the service exactly as Flux would apply them', async () => {
    await kubectl(kubeconfig, [
      'create',
      'secret',
      'generic',
      'on-call-webhook',
      '-n',
      'aviary-system',
      `--from-literal=address=http://127.0.0.1:${(alerts.address() as AddressInfo).port}/`,
    ]);
    const configs = await applyAll(objectsOf('infra-configs'));
    expect(configs.map(o => o.kind).sort()).toEqual([
      'AlertProvider',
      'Gateway',
      'MetricTemplate',
      'MetricTemplate',
    ]);
    await applyAll(objectsOf('apps'));
    const app = await applyAll(objectsOf(`apps-${SERVICE}`));
    expect(app.map(o => o.kind).sort()).toEqual([
      'Canary',
      'Deployment',
      'HorizontalPodAutoscaler',
      'Namespace',
    ]);
    // Flux's own objects stay out: the emulator has no Flux controllers or CRDs (their schemas
    // are validated by the template tests).
    expect(skipped.sort()).toEqual([
      'ImagePolicy/checkout',
      'ImageRepository/checkout',
      'ImageUpdateAutomation/apps',
    ]);
    const canary = await kubectl(kubeconfig, [
      'get',
      'canary',
      SERVICE,
      '-n',
      SERVICE,
      '-o',
      'json',
    ]);
    expect(JSON.parse(canary).metadata.labels['backstage.io/kubernetes-id']).toBe(SERVICE);
  });

  it("initialises the canary: aviary-controller runs with the chart Deployment's flags", async () => {
    const deployment = chart.find(
      o => o.kind === 'Deployment' && o.metadata.name === 'aviary',
    ) as any;
    const container = deployment.spec.template.spec.containers[0];
    const secret = chart.find(o => o.kind === 'Secret') as any;
    const proxyKubeconfig = path.join(path.dirname(kubeconfig), 'controller.kubeconfig');
    fs.writeFileSync(proxyKubeconfig, proxy.kubeconfig);
    const args = (container.args as string[]).map(a => (a.startsWith('--port=') ? '--port=0' : a));
    controller = ControllerProcess.start([...args, '--kubeconfig', proxyKubeconfig], {
      POD_NAME: 'aviary-e2e',
      POD_NAMESPACE: 'aviary-system',
      AVIARY_API_TOKEN: Buffer.from(secret.data.token, 'base64').toString(),
    });

    const status = await waitFor(
      'the canary to be Initialized',
      () => {
        if (!controller!.running) throw new Error(`controller exited:\n${controller!.tail()}`);
        const phase = peek('aviary.dev', 'canaries', SERVICE, SERVICE)?.status?.phase;
        return phase === 'Initialized'
          ? peek('aviary.dev', 'canaries', SERVICE, SERVICE).status
          : undefined;
      },
      60_000,
    ).catch(error => {
      throw new Error(`${(error as Error).message}\n${controller!.tail()}`);
    });
    expect(status.canaryWeight ?? 0).toBe(0);

    // Flagger's names for what the controller creates from one Canary.
    expect(peek('apps', 'deployments', SERVICE, `${SERVICE}-primary`)).toBeDefined();
    expect(
      peek('autoscaling', 'horizontalpodautoscalers', SERVICE, `${SERVICE}-primary`),
    ).toBeDefined();
    for (const name of [SERVICE, `${SERVICE}-primary`, `${SERVICE}-canary`]) {
      expect(peek('', 'services', SERVICE, name)).toBeDefined();
    }
    for (const name of [`${SERVICE}-primary`, `${SERVICE}-canary`]) {
      expect(peek('networking.istio.io', 'destinationrules', SERVICE, name)).toBeDefined();
    }
    const vs = peek('networking.istio.io', 'virtualservices', SERVICE, SERVICE);
    expect(vs.spec.hosts).toContain(`${SERVICE}.${CLUSTER}.example.com`);
    expect(vs.spec.gateways).toContain('istio-system/public-gateway');
    const weights = Object.fromEntries(
      vs.spec.http[0].route.map((r: any) => [r.destination.host, r.weight]),
    );
    expect(weights).toEqual({ [`${SERVICE}-primary`]: 100, [`${SERVICE}-canary`]: 0 });
    // The target is scaled to zero once the primary serves.
    await waitFor('the target Deployment to scale to zero', () =>
      peek('apps', 'deployments', SERVICE, SERVICE)?.spec?.replicas === 0 ? true : undefined,
    );
    // Leader election through a Lease in the release namespace.
    expect(
      proxy.requests.some(
        r => r.group === 'coordination.k8s.io' && r.namespace === 'aviary-system',
      ),
    ).toBe(true);
  });

  it("makes only API requests the chart's RBAC allows (least privilege holds)", () => {
    const roles = chart.filter(o => o.kind === 'ClusterRole' || o.kind === 'Role');
    const denied = proxy.requests.filter(r => !rbacAllows(roles, r));
    expect(proxy.requests.length).toBeGreaterThan(10);
    expect(
      denied.map(
        r =>
          `${r.verb} ${r.group || 'core'}/${r.resource}${r.namespace ? ` in ${r.namespace}` : ''}`,
      ),
    ).toEqual([]);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    expect(await controller!.stop()).toBe(0);
  });
});
