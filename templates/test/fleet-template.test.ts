// The fleet template rendered through the real fetch:template action with several parameter
// sets: every manifest validates against its schema (Kubernetes, Flux, Istio, Aviary CRDs),
// every kustomization builds with kubectl, and the cluster entry points apply in the right order.
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { helmTemplate } from '@aviary/charts/test/support/helm';
import { validateManifests, type Manifest } from '@aviary/charts/test/support/validate';
import { entityProblems } from './support/entities';
import {
  allObjects,
  buildCluster,
  isManifestFile,
  kustomizationDirs,
  kustomize,
  readManifests,
  substitute,
  type ClusterBuild,
} from './support/fleet';
import { listFiles, runTemplate, type Parameters, type TemplateRun } from './support/scaffolder';

const BASE = { repoUrl: 'github.com?owner=acme&repo=fleet', owner: 'group:default/platform' };

const SETS: Array<[string, Parameters]> = [
  ['defaults (staging, production)', BASE],
  [
    'one cluster, Istio v1beta1, NodePort gateway, no alert channels',
    {
      ...BASE,
      clusters: ['kind'],
      istioApiVersion: 'v1beta1',
      gatewayServiceType: 'NodePort',
      gatewayHosts: ['*.apps.example.com', 'example.com'],
      alertChannels: [],
      istioVersion: '~1.27.0',
    },
  ],
  [
    'three clusters, several alert channels, another branch',
    {
      ...BASE,
      repoUrl: 'github.com?owner=Acme-Corp&repo=gitops-fleet',
      clusters: ['dev', 'eu-prod', 'us-prod'],
      branch: 'release/fleet',
      aviaryVersion: '>=0.1.0 <1.0.0',
      alertChannels: [
        { name: 'on-call', type: 'slack', channel: '#on-call' },
        { name: 'teams', type: 'msteams' },
        { name: 'ops-discord', type: 'discord' },
      ],
    },
  ],
];

const byKind = (objects: Manifest[], kind: string) => objects.filter(o => o.kind === kind);

describe.each(SETS)('fleet template with %s', (_name, given) => {
  let run: TemplateRun;
  let clusters: string[];
  const builds = new Map<string, ClusterBuild>();

  beforeAll(async () => {
    run = await runTemplate('fleet', given);
    clusters = run.parameters.clusters as string[];
    for (const c of clusters) builds.set(c, await buildCluster(run.workspace, c));
  });

  it('writes the Flux layout: cluster entry points, infrastructure and the apps tier', () => {
    const files = listFiles(run.workspace);
    for (const c of clusters) {
      expect(files).toEqual(
        expect.arrayContaining([
          `clusters/${c}/infrastructure.yaml`,
          `clusters/${c}/apps.yaml`,
          `apps/_shared/${c}/kustomization.yaml`,
        ]),
      );
      // Flux generates the kustomization of a cluster's entry point, so new files are picked up.
      expect(files).not.toContain(`clusters/${c}/kustomization.yaml`);
    }
    expect(files).toEqual(
      expect.arrayContaining([
        'infrastructure/controllers/istio.yaml',
        'infrastructure/controllers/prometheus.yaml',
        'infrastructure/controllers/aviary.yaml',
        'infrastructure/configs/public-gateway.yaml',
        'infrastructure/configs/metric-templates.yaml',
        'catalog-info.yaml',
        'README.md',
        '.sourceignore',
      ]),
    );
    for (const file of files) {
      expect(fs.readFileSync(path.join(run.workspace, file), 'utf8')).not.toContain('${{');
    }
  });

  it('builds every kustomization with kubectl kustomize, without deprecated fields', async () => {
    const dirs = kustomizationDirs(run.workspace);
    expect(dirs.length).toBeGreaterThanOrEqual(2 + clusters.length);
    for (const dir of dirs) {
      const config = yaml.load(
        fs.readFileSync(path.join(run.workspace, dir, 'kustomization.yaml'), 'utf8'),
      );
      for (const field of ['bases', 'patchesJson6902', 'patchesStrategicMerge', 'commonLabels']) {
        expect(config).not.toHaveProperty(field);
      }
      await expect(kustomize(path.join(run.workspace, dir))).resolves.toBeDefined();
    }
  });

  it('validates every manifest file and everything Flux applies against its schema', () => {
    const files = listFiles(run.workspace).filter(isManifestFile);
    // Raw files still carry ${var} for postBuild; values are checked after substitution below.
    const raw = files.flatMap(f => readManifests(path.join(run.workspace, f)));
    expect(validateManifests(substitute(raw, {}))).toEqual([]);
    for (const c of clusters) expect(validateManifests(allObjects(builds.get(c)!))).toEqual([]);
  });

  it('orders each cluster: infra-controllers, then infra-configs, then apps', () => {
    for (const c of clusters) {
      const ks = Object.fromEntries(
        builds
          .get(c)!
          .kustomizations.map(k => [k.kustomization.metadata.name, k.kustomization as any]),
      );
      expect(Object.keys(ks).sort()).toEqual(['apps', 'infra-configs', 'infra-controllers']);
      expect(ks['infra-controllers'].spec.dependsOn).toBeUndefined();
      expect(ks['infra-configs'].spec.dependsOn).toEqual([{ name: 'infra-controllers' }]);
      expect(ks['apps'].spec.dependsOn).toEqual([{ name: 'infra-configs' }]);
      for (const k of Object.values(ks)) {
        expect(k.apiVersion).toBe('kustomize.toolkit.fluxcd.io/v1');
        expect(k.spec).toMatchObject({ prune: true, wait: true });
        expect(k.spec.sourceRef).toEqual({ kind: 'GitRepository', name: 'flux-system' });
      }
      expect(ks['infra-controllers'].spec.postBuild.substitute).toMatchObject({ cluster_name: c });
    }
  });

  it('installs Istio, Prometheus and Aviary as HelmReleases in dependency order', () => {
    const controllers = builds
      .get(clusters[0]!)!
      .kustomizations.find(k => k.kustomization.metadata.name === 'infra-controllers')!.objects;
    const releases = byKind(controllers, 'HelmRelease') as any[];
    expect(releases.map(r => `${r.metadata.namespace}/${r.metadata.name}`).sort()).toEqual([
      'aviary-system/aviary',
      'istio-system/istio-base',
      'istio-system/istio-gateway',
      'istio-system/istiod',
      'istio-system/prometheus',
    ]);
    const names = new Set(releases.map(r => `${r.metadata.namespace}/${r.metadata.name}`));
    for (const r of releases) {
      expect(r.apiVersion).toBe('helm.toolkit.fluxcd.io/v2');
      for (const dep of r.spec.dependsOn ?? []) {
        expect(names).toContain(`${dep.namespace ?? r.metadata.namespace}/${dep.name}`);
      }
      // Chart versions come from the cluster's postBuild variables.
      if (r.spec.chart) expect(r.spec.chart.spec.version).not.toMatch(/\$\{/);
    }
    const istiod = releases.find(r => r.metadata.name === 'istiod');
    expect(istiod.spec.chart.spec.version).toBe(given.istioVersion ?? '1.28.x');
    const aviary = releases.find(r => r.metadata.name === 'aviary');
    expect(aviary.spec.install.crds).toBe('CreateReplace');
    expect(aviary.spec.upgrade.crds).toBe('CreateReplace');
    expect(aviary.spec.values.clusterName).toBe(clusters[0]);
  });

  it("passes the Aviary HelmRelease's values to charts/aviary, which accepts them", async () => {
    const controllers = builds
      .get(clusters[0]!)!
      .kustomizations.find(k => k.kustomization.metadata.name === 'infra-controllers')!.objects;
    const release = byKind(controllers, 'HelmRelease').find(
      r => r.metadata.name === 'aviary',
    ) as any;
    const chart = await helmTemplate('aviary', {
      release: release.spec.releaseName,
      namespace: release.metadata.namespace,
      values: release.spec.values,
    });
    expect(validateManifests(chart)).toEqual([]);
    // The webhooks of onboarded services call this Service.
    expect(
      chart.find(o => o.kind === 'Service' && o.metadata.name === 'aviary-loadtester'),
    ).toBeDefined();
  });

  it('configures the shared Gateway, MetricTemplates and AlertProviders', () => {
    const configs = builds
      .get(clusters[0]!)!
      .kustomizations.find(k => k.kustomization.metadata.name === 'infra-configs')!
      .objects as any[];
    const gateway = configs.find(o => o.kind === 'Gateway');
    expect(gateway.apiVersion).toBe(`networking.istio.io/${given.istioApiVersion ?? 'v1'}`);
    expect(`${gateway.metadata.namespace}/${gateway.metadata.name}`).toBe(
      'istio-system/public-gateway',
    );
    expect(gateway.spec.servers[0].hosts).toEqual(given.gatewayHosts ?? ['*']);
    expect(byKind(configs, 'MetricTemplate').map(o => o.metadata.name)).toEqual([
      'error-rate',
      'latency',
    ]);
    const channels = (run.parameters.alertChannels as Array<{ name: string; type: string }>) ?? [];
    const providers = byKind(configs, 'AlertProvider').map(
      o => `${o.metadata.name}:${(o as any).spec.type}`,
    );
    expect(providers.sort()).toEqual(channels.map(c => `${c.name}:${c.type}`).sort());
  });

  it('runs image update automation in exactly one cluster, the first', () => {
    const active = clusters.filter(c => {
      const apps = builds
        .get(c)!
        .kustomizations.find(k => k.kustomization.metadata.name === 'apps')!;
      const automation = apps.objects.find(o => o.kind === 'ImageUpdateAutomation') as any;
      expect(automation.spec.update).toEqual({ path: './apps', strategy: 'Setters' });
      expect(automation.spec.git.push.branch).toBe(given.branch ?? 'main');
      return automation.spec.suspend === false;
    });
    expect(active).toEqual([clusters[0]]);
  });

  it('describes the fleet with a valid catalog entity and publishes it', async () => {
    const entity = yaml.load(
      fs.readFileSync(path.join(run.workspace, 'catalog-info.yaml'), 'utf8'),
    );
    expect(await entityProblems(entity)).toEqual([]);
    expect(run.steps.map(s => `${s.id}:${s.action}`)).toEqual([
      'fleet:fetch:template',
      ...clusters.map(() => 'clusters:fetch:template'),
      'publish:publish:github',
      'register:catalog:register',
    ]);
    expect(run.steps.find(s => s.id === 'publish')!.input).toMatchObject({
      repoUrl: given.repoUrl,
      defaultBranch: given.branch ?? 'main',
    });
  });
});

describe('fleet template parameters', () => {
  it.each([
    ['an invalid cluster name', { clusters: ['Prod_EU'] }, /clusters\[0\] does not match pattern/],
    ['no clusters', { clusters: [] }, /clusters does not meet minimum length of 1/],
    ['a duplicate cluster', { clusters: ['a', 'a'] }, /contains duplicate item/],
    [
      'an unknown alert type',
      { alertChannels: [{ name: 'x', type: 'pager' }] },
      /type is not one of enum values/,
    ],
    ['a missing owner', { owner: undefined }, /requires property "owner"/],
    [
      'an aviary chart that is not OCI',
      { aviaryChart: 'https://charts.example.com' },
      /aviaryChart does not match pattern/,
    ],
  ])('rejects %s', async (_name, change, message) => {
    await expect(runTemplate('fleet', { ...BASE, ...change })).rejects.toThrow(message);
  });
});
