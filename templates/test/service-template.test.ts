// The service template rendered through the real fetch:template action with several parameter
// sets: the service repository works (its own tests pass), every fleet manifest validates, the
// fleet pull request only adds files and, merged into a fleet made by the fleet template, builds
// and wires up: Canary -> MetricTemplates/AlertProvider/load tester, image policy -> setter marker.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { validateManifests, type Manifest } from '@aviary/charts/test/support/validate';
import { entityProblems } from './support/entities';
import {
  allObjects,
  buildCluster,
  isManifestFile,
  kustomize,
  overlayAddOnly,
  readManifests,
  type ClusterBuild,
} from './support/fleet';
import { listFiles, runTemplate, type Parameters, type TemplateRun } from './support/scaffolder';

const run = promisify(execFile);

const FLEET = { repoUrl: 'github.com?owner=acme&repo=fleet', owner: 'group:default/platform' };
const BASE = {
  name: 'checkout',
  owner: 'group:default/payments',
  repoUrl: 'github.com?owner=Acme&repo=Checkout-Service',
  fleetRepoUrl: 'github.com?owner=acme&repo=fleet',
};

const SETS: Array<[string, Parameters]> = [
  ['defaults', BASE],
  [
    'public hosts, a fast analysis and a custom port',
    {
      ...BASE,
      domain: 'apps.example.com',
      port: 9898,
      analysisInterval: '30s',
      stepWeight: 20,
      maxWeight: 80,
      threshold: 3,
      successRate: 99.5,
      latencyMs: 250,
    },
  ],
  [
    'one cluster, no load test, no alert channel',
    {
      ...BASE,
      name: 'ledger',
      clusters: ['kind'],
      loadTest: false,
      alertChannel: '',
      imageRange: '~1.4.0',
    },
  ],
];

const seconds = (d: string) => Number(d.slice(0, -1)) * (d.endsWith('m') ? 60 : 1);

describe.each(SETS)('service template with %s', (_name, given) => {
  let service: TemplateRun;
  let name: string;
  let clusters: string[];
  let fleetRoot: string;
  let prFiles: string[];
  const builds = new Map<string, ClusterBuild>();

  beforeAll(async () => {
    service = await runTemplate('service', given);
    name = service.parameters.name as string;
    clusters = service.parameters.clusters as string[];
    // The fleet the pull request targets, made by the fleet template for the same clusters.
    const fleet = await runTemplate('fleet', {
      ...FLEET,
      clusters,
      alertChannels: [{ name: 'on-call', type: 'slack' }],
    });
    fleetRoot = fleet.workspace;
    prFiles = overlayAddOnly(path.join(service.workspace, 'fleet'), fleetRoot);
    for (const c of clusters) builds.set(c, await buildCluster(fleetRoot, c));
  });

  const file = (rel: string) => fs.readFileSync(path.join(service.workspace, rel), 'utf8');

  it('opens a fleet pull request that only adds the service and its per-cluster Kustomizations', () => {
    expect(prFiles).toEqual(
      [
        ...clusters.map(c => `clusters/${c}/apps/${name}.yaml`),
        ...['canary', 'deployment', 'hpa', 'image-automation', 'kustomization', 'namespace'].map(
          f => `apps/${name}/${f}.yaml`,
        ),
      ].sort(),
    );
    const pr = service.steps.find(s => s.action === 'publish:github:pull-request')!;
    expect(pr.input).toMatchObject({
      repoUrl: given.fleetRepoUrl,
      sourcePath: './fleet',
      branchName: `onboard-${name}`,
    });
  });

  it('creates a service repository with health and metrics endpoints that pass their tests', async () => {
    const app = path.join(service.workspace, 'app');
    expect(listFiles(app)).toEqual([
      '.dockerignore',
      '.github/workflows/release.yaml',
      'Dockerfile',
      'README.md',
      'catalog-info.yaml',
      'package.json',
      'src/metrics.js',
      'src/server.js',
      'test/server.test.js',
    ]);
    const { stdout } = await run(process.execPath, ['--test'], { cwd: app });
    expect(stdout).toMatch(/# pass 1\b/);
    expect(stdout).toMatch(/# fail 0\b/);
    expect(JSON.parse(file('app/package.json')).name).toBe(name);

    const dockerfile = file('app/Dockerfile');
    expect(dockerfile).toContain(`EXPOSE ${service.parameters.port}`);
    expect(dockerfile).toMatch(/^USER node$/m);
    for (const f of listFiles(app)) expect(file(`app/${f}`)).not.toMatch(/\$\{\{ *values/);
  });

  it('builds and pushes the image on a version tag', () => {
    const workflow = yaml.load(file('app/.github/workflows/release.yaml')) as any;
    expect(workflow.on.push.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+']);
    expect(workflow.permissions.packages).toBe('write');
    const steps = workflow.jobs.image.steps as Array<{ uses?: string; with?: any }>;
    expect(steps.find(s => s.uses?.startsWith('docker/metadata-action'))!.with).toEqual({
      images: 'ghcr.io/${{ github.repository }}',
      tags: 'type=semver,pattern={{version}}',
    });
    expect(steps.find(s => s.uses?.startsWith('docker/build-push-action'))!.with.push).toBe(true);
    expect(workflow.jobs.image.needs).toBe('test');
  });

  it('registers a catalog entity with the canary and alert-channel annotations', async () => {
    const entity = yaml.load(file('app/catalog-info.yaml')) as any;
    expect(await entityProblems(entity)).toEqual([]);
    expect(entity.metadata.annotations['aviary.dev/canary']).toBe(
      clusters.map(c => `${c}:${name}/${name}`).join(','),
    );
    const channel = service.parameters.alertChannel as string;
    if (channel) expect(entity.metadata.annotations['aviary.dev/alert-channel']).toBe(channel);
    else expect(entity.metadata.annotations).not.toHaveProperty('aviary.dev/alert-channel');
    expect(entity.metadata.annotations['backstage.io/kubernetes-id']).toBe(name);
    expect(entity.spec.owner).toBe(given.owner);
    expect(service.steps.find(s => s.action === 'catalog:register')!.input.catalogInfoPath).toBe(
      '/catalog-info.yaml',
    );
  });

  it('validates every manifest of the pull request and builds its kustomization', async () => {
    const files = prFiles.filter(isManifestFile);
    expect(validateManifests(files.flatMap(f => readManifests(path.join(fleetRoot, f))))).toEqual(
      [],
    );
    const built = await kustomize(path.join(fleetRoot, `apps/${name}`));
    expect(built.map(o => o.kind).sort()).toEqual([
      'Canary',
      'Deployment',
      'HorizontalPodAutoscaler',
      'ImagePolicy',
      'ImageRepository',
      'Namespace',
    ]);
  });

  it('merged into the fleet, everything Flux applies validates and references resolve', () => {
    for (const c of clusters) {
      const build = builds.get(c)!;
      const objects = allObjects(build);
      expect(validateManifests(objects)).toEqual([]);

      const ks = build.kustomizations.find(k => k.kustomization.metadata.name === `apps-${name}`)!;
      expect(ks).toBeDefined();
      const names = build.kustomizations.map(k => k.kustomization.metadata.name);
      for (const dep of (ks.kustomization.spec as any).dependsOn) expect(names).toContain(dep.name);

      const canary = ks.objects.find(o => o.kind === 'Canary') as any;
      const find = (kind: string, ref: { name: string; namespace?: string }) =>
        objects.find(
          o =>
            o.kind === kind &&
            o.metadata.name === ref.name &&
            o.metadata.namespace === ref.namespace,
        );
      for (const metric of canary.spec.analysis.metrics) {
        expect(find('MetricTemplate', metric.templateRef)).toBeDefined();
      }
      for (const alert of canary.spec.analysis.alerts ?? []) {
        expect(find('AlertProvider', alert.providerRef)).toBeDefined();
      }
      for (const hook of canary.spec.analysis.webhooks ?? []) {
        expect(hook.url).toBe('http://aviary-loadtester.aviary-system/');
      }
      expect(
        ks.objects.every(o => o.metadata.labels?.['backstage.io/kubernetes-id'] === name),
      ).toBe(true);
      // The fleet's image update automation scans the directory holding the Deployment.
      const automation = objects.find(o => o.kind === 'ImageUpdateAutomation') as any;
      expect(`apps/${name}/deployment.yaml`.startsWith(automation.spec.update.path.slice(2))).toBe(
        true,
      );
      if (given.domain) {
        expect(canary.spec.service.hosts).toEqual([`${name}.${c}.${given.domain}`]);
        expect(canary.spec.service.gateways).toContain('istio-system/public-gateway');
        expect(
          find('Gateway', { name: 'public-gateway', namespace: 'istio-system' }),
        ).toBeDefined();
      } else {
        expect(canary.spec.service).not.toHaveProperty('hosts');
      }
    }
  });

  it('follows the canary rules: no replicas, injected namespace, HPA and Canary on the Deployment', () => {
    const objects = builds
      .get(clusters[0]!)!
      .kustomizations.find(k => k.kustomization.metadata.name === `apps-${name}`)!.objects as any[];
    const deployment = objects.find(o => o.kind === 'Deployment');
    expect(deployment.spec).not.toHaveProperty('replicas');
    expect(objects.find(o => o.kind === 'Namespace').metadata.labels['istio-injection']).toBe(
      'enabled',
    );
    expect(objects.find(o => o.kind === 'HorizontalPodAutoscaler').spec.scaleTargetRef.name).toBe(
      name,
    );
    const canary = objects.find(o => o.kind === 'Canary');
    expect(canary.spec.targetRef.name).toBe(deployment.metadata.name);
    expect(canary.spec.autoscalerRef.name).toBe(name);
    expect(canary.spec.service.port).toBe(service.parameters.port);
    expect(canary.spec.analysis).toMatchObject({
      interval: service.parameters.analysisInterval,
      stepWeight: service.parameters.stepWeight,
      maxWeight: service.parameters.maxWeight,
      threshold: service.parameters.threshold,
    });
    // No objects the controller owns.
    expect(
      objects.filter(o => ['Service', 'VirtualService', 'DestinationRule'].includes(o.kind)),
    ).toEqual([]);
  });

  it("gives each cluster's Kustomization a timeout longer than a canary run", () => {
    for (const c of clusters) {
      const ks = builds.get(c)!.entry.find(o => o.metadata.name === `apps-${name}`) as any;
      const p = service.parameters as any;
      const run = seconds(p.analysisInterval) * Math.ceil(p.maxWeight / p.stepWeight) + 600;
      expect(seconds(ks.spec.timeout)).toBeGreaterThanOrEqual(run);
      expect(ks.spec.healthCheckExprs[0]).toMatchObject({
        apiVersion: 'aviary.dev/v1beta1',
        kind: 'Canary',
      });
    }
  });

  it('lets Flux image automation move a new tag to the Deployment with no human edit', async () => {
    const dir = path.join(fleetRoot, `apps/${name}`);
    const objects = await kustomize(dir);
    const policy = objects.find(o => o.kind === 'ImagePolicy') as any;
    const repository = objects.find(o => o.kind === 'ImageRepository') as any;
    expect(policy.spec.policy.semver.range).toBe(service.parameters.imageRange);
    expect(policy.spec.imageRepositoryRef.name).toBe(repository.metadata.name);

    // The setter marker names the policy; the automation's path covers the file.
    const deploymentFile = path.join(dir, 'deployment.yaml');
    const text = fs.readFileSync(deploymentFile, 'utf8');
    const marker = `# {"$imagepolicy": "${policy.metadata.namespace}:${policy.metadata.name}"}`;
    const line = text.split('\n').find(l => l.includes(marker))!;
    expect(line).toMatch(new RegExp(`image: ${repository.spec.image}:[^ ]+ `));

    // What the Setters strategy does with a new tag: rewrite the marked value, nothing else.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'setter-'));
    fs.cpSync(dir, scratch, { recursive: true });
    fs.writeFileSync(
      path.join(scratch, 'deployment.yaml'),
      text.replace(/(image: \S+:)\S+( # \{"\$imagepolicy")/, '$19.9.9$2'),
    );
    const updated = await kustomize(scratch);
    const image = (o: Manifest[]) =>
      (o.find(x => x.kind === 'Deployment') as any).spec.template.spec.containers[0].image;
    expect(image(updated)).toBe(`${repository.spec.image}:9.9.9`);
    expect(validateManifests(updated)).toEqual([]);
  });
});

describe('service template onboarding', () => {
  it('onboards two services into one fleet without touching the same file twice', async () => {
    const fleet = await runTemplate('fleet', FLEET);
    const first = await runTemplate('service', BASE);
    const second = await runTemplate('service', {
      ...BASE,
      name: 'payments',
      repoUrl: 'github.com?owner=acme&repo=payments',
    });
    overlayAddOnly(path.join(first.workspace, 'fleet'), fleet.workspace);
    expect(() =>
      overlayAddOnly(path.join(second.workspace, 'fleet'), fleet.workspace),
    ).not.toThrow();
    // Onboarding the same service again would edit files: refused.
    expect(() => overlayAddOnly(path.join(first.workspace, 'fleet'), fleet.workspace)).toThrow(
      /already exists/,
    );
    const staging = allObjects(await buildCluster(fleet.workspace, 'staging'));
    expect(
      staging
        .filter(o => o.kind === 'Canary')
        .map(o => o.metadata.name)
        .sort(),
    ).toEqual(['checkout', 'payments']);
    expect(validateManifests(staging)).toEqual([]);
  });

  it.each([
    ['an uppercase name', { name: 'Checkout' }, /name does not match pattern/],
    ['a privileged port', { port: 80 }, /port must be greater than or equal to 1024/],
    ['a zero traffic step', { stepWeight: 0 }, /stepWeight must be greater than or equal to 1/],
    ['an interval in hours', { analysisInterval: '1h' }, /analysisInterval does not match pattern/],
    ['a domain with a scheme', { domain: 'https://example.com' }, /domain does not match pattern/],
    ['no fleet repository', { fleetRepoUrl: undefined }, /requires property "fleetRepoUrl"/],
  ])('rejects %s', async (_name, change, message) => {
    await expect(runTemplate('service', { ...BASE, ...change })).rejects.toThrow(message);
  });
});
