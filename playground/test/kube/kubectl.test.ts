/**
 * The real kubectl (preinstalled v1.32) against the emulator: the commands platform engineers
 * and our docs use must behave exactly as against a cluster.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startKubeEmulator } from '../../src/index.js';
import type { KubeEmulator } from '../../src/index.js';
import { eventually, kubectlFor } from '../support/kubectl.js';
import type { Kubectl } from '../support/kubectl.js';
import { deploymentYaml, widgetCrdYaml, widgetYaml } from './fixtures.js';

let emulator: KubeEmulator;
let kubectl: Kubectl;

beforeAll(async () => {
  emulator = await startKubeEmulator({ rolloutDelayMs: 30 });
  kubectl = kubectlFor(emulator);
});
afterAll(async () => {
  await emulator.stop();
  kubectl.cleanup();
});

const json = async <T = Record<string, any>>(args: string[]): Promise<T> =>
  JSON.parse(await kubectl.ok([...args, '-o', 'json'])) as T;

describe('discovery', () => {
  it('lists built-in resources with short names, namespacing and groups', async () => {
    const out = await kubectl.ok(['api-resources', '--no-headers']);
    const rows = out
      .trim()
      .split('\n')
      .map(l => l.trim().split(/\s+/));
    const find = (name: string, group: string) =>
      rows.find(r => r[0] === name && r.includes(group));
    expect(find('deployments', 'apps/v1')).toEqual([
      'deployments',
      'deploy',
      'apps/v1',
      'true',
      'Deployment',
    ]);
    expect(find('namespaces', 'v1')).toEqual(['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    expect(find('horizontalpodautoscalers', 'autoscaling/v2')?.[1]).toBe('hpa');
    expect(find('leases', 'coordination.k8s.io/v1')).toBeDefined();
    expect(find('events', 'events.k8s.io/v1')).toBeDefined();
    const versions = await kubectl.ok(['api-versions']);
    expect(versions.split('\n')).toEqual(
      expect.arrayContaining(['v1', 'apps/v1', 'autoscaling/v2', 'apiextensions.k8s.io/v1']),
    );
  });

  it('reports the server version', async () => {
    const v = JSON.parse(await kubectl.ok(['version', '-o', 'json'])) as {
      serverVersion: { minor: string };
    };
    expect(v.serverVersion.minor).toBe('32');
  });
});

describe('apply, get, describe, wait', () => {
  it('creates a Deployment and Service with apply and is idempotent', async () => {
    expect(
      await kubectl.ok(
        ['apply', '-f', '-'],
        deploymentYaml('podinfo', 'ghcr.io/stefanprodan/podinfo:6.0.0'),
      ),
    ).toBe('deployment.apps/podinfo created\nservice/podinfo created\n');
    expect(
      await kubectl.ok(
        ['apply', '-f', '-'],
        deploymentYaml('podinfo', 'ghcr.io/stefanprodan/podinfo:6.0.0'),
      ),
    ).toBe('deployment.apps/podinfo unchanged\nservice/podinfo unchanged\n');
    const d = await json(['get', 'deployment', 'podinfo']);
    expect(d.metadata.generation).toBe(1);
    expect(d.spec.progressDeadlineSeconds).toBe(600);
    expect(d.spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    const svc = await json(['get', 'service', 'podinfo']);
    expect(svc.spec.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(svc.spec.ports[0]).toEqual({
      name: 'http',
      port: 80,
      protocol: 'TCP',
      targetPort: 9898,
    });
  });

  it('waits for the simulated rollout with kubectl wait', async () => {
    const out = await kubectl.ok([
      'wait',
      '--for=condition=Available',
      'deployment/podinfo',
      '--timeout=10s',
    ]);
    expect(out.trim()).toBe('deployment.apps/podinfo condition met');
    const d = await json(['get', 'deployment', 'podinfo']);
    expect(d.status).toMatchObject({
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
    });
    expect(
      await kubectl.ok(['rollout', 'status', 'deployment/podinfo', '--timeout=10s']),
    ).toContain('successfully rolled out');
  });

  it('re-applies a changed manifest as a new generation with a three-way strategic merge', async () => {
    const out = await kubectl.ok(
      ['apply', '-f', '-'],
      deploymentYaml('podinfo', 'ghcr.io/stefanprodan/podinfo:6.0.1'),
    );
    expect(out).toContain('deployment.apps/podinfo configured');
    const d = await json(['get', 'deployment', 'podinfo']);
    expect(d.metadata.generation).toBe(2);
    expect(d.spec.template.spec.containers).toHaveLength(1);
    expect(d.spec.template.spec.containers[0].image).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
    await kubectl.ok(['rollout', 'status', 'deployment/podinfo', '--timeout=10s']);
  });

  it('prints tables, wide tables, label selections, yaml and jsonpath', async () => {
    const table = await kubectl.ok(['get', 'deployments']);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
    expect(table).toMatch(/podinfo\s+2\/2\s+2\s+2\s+\d+s/);
    const wide = await kubectl.ok(['get', 'deployments', '-o', 'wide']);
    expect(wide.split('\n')[0]).toMatch(/CONTAINERS\s+IMAGES\s+SELECTOR/);
    expect(wide).toContain('ghcr.io/stefanprodan/podinfo:6.0.1');
    await kubectl.ok(['apply', '-f', '-'], deploymentYaml('other', 'nginx:1.27', 1));
    const selected = await kubectl.ok(['get', 'deployments', '-l', 'app in (other)', '-o', 'name']);
    expect(selected.trim()).toBe('deployment.apps/other');
    const notSelected = await kubectl.ok(['get', 'deployments', '-l', 'app!=other', '-o', 'name']);
    expect(notSelected.trim()).toBe('deployment.apps/podinfo');
    expect(await kubectl.ok(['get', 'deployment', 'podinfo', '-o', 'yaml'])).toMatch(
      /^apiVersion: apps\/v1\nkind: Deployment\n/,
    );
    expect(
      await kubectl.ok([
        'get',
        'deployment',
        'podinfo',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ]),
    ).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
    const rs = await kubectl.ok(['get', 'replicasets', '-l', 'app=podinfo', '-o', 'name']);
    expect(rs.trim().split('\n')).toHaveLength(2);
  });

  it('describes a Deployment with its conditions and new ReplicaSet', async () => {
    const out = await kubectl.ok(['describe', 'deployment', 'podinfo']);
    expect(out).toMatch(
      /Replicas:\s+2 desired \| 2 updated \| 2 total \| 2 available \| 0 unavailable/,
    );
    expect(out).toMatch(/Available\s+True\s+MinimumReplicasAvailable/);
    expect(out).toMatch(/Progressing\s+True\s+NewReplicaSetAvailable/);
    expect(out).toMatch(/NewReplicaSet:\s+podinfo-\w+ \(2\/2 replicas created\)/);
  });
});

describe('patch and scale', () => {
  it('applies merge, JSON and strategic patches with the right semantics', async () => {
    await kubectl.ok([
      'patch',
      'deployment',
      'other',
      '--type',
      'merge',
      '-p',
      '{"metadata":{"labels":{"team":"a"}}}',
    ]);
    let d = await json(['get', 'deployment', 'other']);
    expect(d.metadata.labels).toEqual({ app: 'other', team: 'a' });
    expect(d.metadata.generation).toBe(1);

    await kubectl.ok([
      'patch',
      'deployment',
      'other',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/spec/replicas","value":3}]',
    ]);
    d = await json(['get', 'deployment', 'other']);
    expect(d.spec.replicas).toBe(3);
    expect(d.metadata.generation).toBe(2);

    // Strategic merge: env entries merge by name instead of replacing the list.
    await kubectl.ok([
      'patch',
      'deployment',
      'other',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"EXTRA","value":"x"}]}]}}}}',
    ]);
    d = await json(['get', 'deployment', 'other']);
    expect(d.spec.template.spec.containers[0].env).toEqual([
      { name: 'MODE', value: 'one' },
      { name: 'EXTRA', value: 'x' },
    ]);
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.27');

    const failed = await kubectl([
      'patch',
      'deployment',
      'other',
      '--type',
      'json',
      '-p',
      '[{"op":"remove","path":"/spec/nope"}]',
    ]);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('/spec/nope');
  });

  it('scales a Deployment through the scale subresource, down to zero', async () => {
    await kubectl.ok(['scale', 'deployment', 'other', '--replicas=0']);
    await eventually(
      async () => (await json(['get', 'deployment', 'other'])).status.observedGeneration === 4,
      10_000,
      'scale to 0 observed',
    );
    const d = await json(['get', 'deployment', 'other']);
    expect(d.spec.replicas).toBe(0);
    expect(d.status.replicas).toBeUndefined();
    expect(d.status.conditions.find((c: { type: string }) => c.type === 'Available').status).toBe(
      'True',
    );
  });
});

describe('watch', () => {
  it('streams changes to kubectl get --watch', async () => {
    const child = spawn(
      'kubectl',
      [
        '--cache-dir',
        join(kubectl.dir, 'cache'),
        'get',
        'configmaps',
        '--watch',
        '--output-watch-events',
      ],
      { env: kubectl.env },
    );
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    try {
      await kubectl
        .ok([
          'create',
          'configmap',
          'watched',
          '--from-literal=a=1',
          '--dry-run=client',
          '-o',
          'yaml',
        ])
        .then(yaml => kubectl.ok(['apply', '-f', '-'], yaml));
      await eventually(() => out.includes('ADDED'), 10_000, 'ADDED event');
      await kubectl.ok([
        'patch',
        'configmap',
        'watched',
        '--type',
        'merge',
        '-p',
        '{"data":{"a":"2"}}',
      ]);
      await kubectl.ok(['delete', 'configmap', 'watched']);
      await eventually(() => out.includes('DELETED'), 10_000, 'DELETED event');
      const rows = out
        .trim()
        .split('\n')
        .map(l => l.split(/\s+/).slice(0, 3));
      expect(rows).toEqual([
        ['EVENT', 'NAME', 'DATA'],
        ['ADDED', 'watched', '1'],
        ['MODIFIED', 'watched', '1'],
        ['DELETED', 'watched', '1'],
      ]);
    } finally {
      child.kill();
    }
  });
});

describe('custom resources', () => {
  it('serves a CRD with printer columns, defaults, validation and subresources', async () => {
    await kubectl.ok(['apply', '-f', '-'], widgetCrdYaml);
    await kubectl.ok([
      'wait',
      '--for=condition=Established',
      'crd/widgets.example.dev',
      '--timeout=10s',
    ]);
    expect(await kubectl.ok(['apply', '-f', '-'], widgetYaml('w1', 3))).toBe(
      'widget.example.dev/w1 created\n',
    );

    const table = await kubectl.ok(['get', 'widgets']);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+SIZE\s+AGE$/);
    expect(table.split('\n')[1]).toMatch(/^w1\s+3\s+\d+s$/);
    expect((await kubectl.ok(['get', 'wg', '-o', 'wide'])).split('\n')[1]).toMatch(
      /^w1\s+3\s+red\s+\d+s$/,
    );
    expect(await kubectl.ok(['get', 'all', '-o', 'name'])).toContain('widget.example.dev/w1');

    const w = await json(['get', 'widget', 'w1']);
    expect(w.spec).toEqual({ size: 3, color: 'red' });
    expect(w.metadata.generation).toBe(1);

    const bad = await kubectl(['apply', '-f', '-'], widgetYaml('w2', 30, '\n  color: green'));
    expect(bad.code).toBe(1);
    // kubectl renders the Status causes as a list.
    expect(bad.stderr).toContain('The Widget "w2" is invalid:');
    expect(bad.stderr).toContain(
      '* spec.size: Invalid value: 30: spec.size in body should be less than or equal to 10',
    );
    expect(bad.stderr).toContain(
      '* spec.color: Unsupported value: "green": supported values: "red", "blue"',
    );

    const typo = await kubectl(['apply', '-f', '-'], widgetYaml('w3', 3, '\n  sise: 4'));
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('unknown field "spec.sise"');
  });

  it('writes status only through the status subresource and bumps generation on spec changes only', async () => {
    await kubectl.ok([
      'patch',
      'widget',
      'w1',
      '--subresource=status',
      '--type',
      'merge',
      '-p',
      '{"status":{"phase":"Ready","conditions":[{"type":"Ready","status":"True"}]},"spec":{"size":9}}',
    ]);
    let w = await json(['get', 'widget', 'w1']);
    expect(w.status.phase).toBe('Ready');
    expect(w.spec.size).toBe(3);
    expect(w.metadata.generation).toBe(1);
    await kubectl.ok(['wait', '--for=condition=Ready', 'widget/w1', '--timeout=5s']);
    await kubectl.ok(['wait', '--for=jsonpath={.status.phase}=Ready', 'widget/w1', '--timeout=5s']);
    expect((await kubectl.ok(['get', 'widgets'])).split('\n')[1]).toMatch(/^w1\s+Ready\s+3\s+/);

    await kubectl.ok([
      'patch',
      'widget',
      'w1',
      '--type',
      'merge',
      '-p',
      '{"spec":{"size":4},"status":{"phase":"Ignored"}}',
    ]);
    w = await json(['get', 'widget', 'w1']);
    expect(w.spec.size).toBe(4);
    expect(w.status.phase).toBe('Ready');
    expect(w.metadata.generation).toBe(2);

    await kubectl.ok(['scale', 'widget', 'w1', '--replicas=5']);
    expect((await json(['get', 'widget', 'w1'])).spec.replicas).toBe(5);
  });

  it('serves every version of a multi-version CRD from one storage', async () => {
    const w = await json(['get', 'widgets.v1beta1.example.dev', 'w1']);
    expect(w.apiVersion).toBe('example.dev/v1beta1');
    expect(w.spec.size).toBe(4);
  });

  it('shows events about an object in describe and get events', async () => {
    const w = await json(['get', 'widget', 'w1']);
    const event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'w1.advance', namespace: 'default' },
      eventTime: new Date().toISOString().replace('Z', '000Z'),
      reportingController: 'aviary.dev/controller',
      reportingInstance: 'test',
      action: 'Advance',
      reason: 'Synced',
      type: 'Normal',
      note: 'Advance w1.default canary weight 10',
      regarding: {
        apiVersion: 'example.dev/v1',
        kind: 'Widget',
        name: 'w1',
        namespace: 'default',
        uid: w.metadata.uid,
      },
    };
    await kubectl.ok(['create', '-f', '-'], JSON.stringify(event));
    const events = await kubectl.ok(['get', 'events']);
    expect(events.split('\n')[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(events).toMatch(/Normal\s+Synced\s+widget\/w1\s+Advance w1.default canary weight 10/);
    const described = await kubectl.ok(['describe', 'widget', 'w1']);
    expect(described).toMatch(
      /Normal\s+Synced\s+\S+\s+aviary.dev\/controller\s+Advance w1.default canary weight 10/,
    );
  });

  it('removes custom objects when their CRD is deleted', async () => {
    await kubectl.ok(['delete', 'crd', 'widgets.example.dev']);
    const r = await kubectl(['get', 'widgets']);
    expect(r.code).toBe(1);
    // kubectl's discovery cache still knows the type, so the server answers the list with 404.
    expect(r.stderr).toContain('the server could not find the requested resource');
    expect(emulator.peek('example.dev', 'widgets', 'default', 'w1')).toBeUndefined();
  });
});

describe('kubectl create generators (protobuf bodies)', () => {
  it('creates namespaces, config maps, secrets and service accounts', async () => {
    await kubectl.ok(['create', 'namespace', 'gen']);
    await kubectl.ok([
      'create',
      'configmap',
      'cfg',
      '-n',
      'gen',
      '--from-literal=a=1',
      '--from-literal=b=two',
    ]);
    await kubectl.ok([
      'create',
      'secret',
      'generic',
      'token',
      '-n',
      'gen',
      '--from-literal=token=s3cr3t',
    ]);
    await kubectl.ok(['create', 'serviceaccount', 'bot', '-n', 'gen']);
    expect((await json(['get', 'namespace', 'gen'])).metadata.labels).toEqual({
      'kubernetes.io/metadata.name': 'gen',
    });
    expect((await json(['get', 'configmap', 'cfg', '-n', 'gen'])).data).toEqual({
      a: '1',
      b: 'two',
    });
    const secret = await json(['get', 'secret', 'token', '-n', 'gen']);
    expect(secret.type).toBe('Opaque');
    expect(Buffer.from(secret.data.token, 'base64').toString()).toBe('s3cr3t');
    expect((await json(['get', 'serviceaccount', 'bot', '-n', 'gen'])).metadata.namespace).toBe(
      'gen',
    );
  });

  it('refuses protobuf for other kinds with a 415 that says what to do', async () => {
    const r = await kubectl(['create', 'deployment', 'x', '--image=nginx']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('send application/json');
  });
});

describe('delete', () => {
  it('deletes and waits, then reports NotFound', async () => {
    expect(await kubectl.ok(['delete', 'deployment', 'other'])).toBe(
      'deployment.apps "other" deleted\n',
    );
    const r = await kubectl(['get', 'deployment', 'other']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error from server (NotFound): deployments.apps "other" not found');
    // The ReplicaSets it owned are garbage collected.
    await eventually(
      async () =>
        (await kubectl.ok(['get', 'replicasets', '-l', 'app=other', '-o', 'name'])).trim() === '',
      10_000,
      'replica sets collected',
    );
  });

  it('deletes a namespace with everything in it', async () => {
    await kubectl.ok(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n',
    );
    await kubectl.ok(['apply', '-n', 'team-a', '-f', '-'], deploymentYaml('app', 'nginx:1.27', 1));
    expect(await kubectl.ok(['delete', 'namespace', 'team-a', '--timeout=20s'])).toBe(
      'namespace "team-a" deleted\n',
    );
    expect((await kubectl(['get', 'namespace', 'team-a'])).code).toBe(1);
    expect(emulator.peek('apps', 'deployments', 'team-a', 'app')).toBeUndefined();
    expect(emulator.peek('', 'services', 'team-a', 'app')).toBeUndefined();
  });

  it('rejects unknown resource types and missing namespaces clearly', async () => {
    const r = await kubectl(['get', 'frobnicators']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the server doesn\'t have a resource type "frobnicators"');
    const missing = await kubectl(
      ['apply', '-n', 'nowhere', '-f', '-'],
      deploymentYaml('x', 'nginx:1.27', 1),
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('namespaces "nowhere" not found');
  });
});

describe('Istio CRDs preinstalled', () => {
  it('serves VirtualServices in every Istio networking version', async () => {
    const { ISTIO_CRDS } = await import('../../src/index.js');
    const withIstio = await startKubeEmulator({ crds: ISTIO_CRDS });
    const k = kubectlFor(withIstio);
    try {
      const vs = {
        apiVersion: 'networking.istio.io/v1beta1',
        kind: 'VirtualService',
        metadata: { name: 'podinfo' },
        spec: {
          hosts: ['podinfo'],
          http: [{ route: [{ destination: { host: 'podinfo-primary' }, weight: 100 }] }],
        },
      };
      await k.ok(['apply', '-f', '-'], JSON.stringify(vs));
      const v1 = JSON.parse(
        await k.ok(['get', 'virtualservices.v1.networking.istio.io', 'podinfo', '-o', 'json']),
      );
      expect(v1.apiVersion).toBe('networking.istio.io/v1');
      expect(v1.spec).toEqual(vs.spec);
      expect((await k.ok(['get', 'vs'])).split('\n')[0]).toMatch(/^NAME\s+AGE$/);
    } finally {
      await withIstio.stop();
      k.cleanup();
    }
  });
});
