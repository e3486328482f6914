/**
 * Built-in kinds through @kubernetes/client-node's typed APIs: what the controller and the
 * Backstage backend rely on (metadata bookkeeping, optimistic concurrency, generation, status
 * subresources, selectors, generateName, finalizers, garbage collection, namespace deletion).
 */
import * as k8s from '@kubernetes/client-node';
import { startKubeEmulator } from '../../src/index.js';
import type { KubeEmulator } from '../../src/index.js';
import type { Clients } from '../support/kube-client.js';
import {
  asJsonPatch,
  asMergePatch,
  asStrategicMergePatch,
  clientsFor,
  deployment,
  eventually,
  failure,
  rawWatch,
} from '../support/kube-client.js';

let emulator: KubeEmulator;
let c: Clients;

const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const rvOf = (o: { metadata?: k8s.V1ObjectMeta }) => Number(o.metadata?.resourceVersion);

beforeAll(async () => {
  emulator = await startKubeEmulator({ rolloutDelayMs: 20 });
  c = clientsFor(emulator);
  for (const name of ['crud', 'sel', 'gc', 'fin']) {
    await c.core.createNamespace({ body: { metadata: { name } } });
  }
});
afterAll(() => emulator.stop());

const notFoundStatus = (resource: string, name: string, group?: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: `${group ? `${resource}.${group}` : resource} "${name}" not found`,
  reason: 'NotFound',
  details: { name, kind: resource, ...(group ? { group } : {}) },
  code: 404,
});

describe('object metadata and optimistic concurrency', () => {
  it('assigns uid, creationTimestamp and a numeric resourceVersion on create', async () => {
    const cm = await c.core.createNamespacedConfigMap({
      namespace: 'crud',
      body: { metadata: { name: 'meta', labels: { a: 'b' } }, data: { k: 'v' } },
    });
    expect(cm.metadata?.uid).toMatch(UID);
    expect(cm.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(Number.isNaN(cm.metadata?.creationTimestamp?.getTime())).toBe(false);
    expect(cm.metadata?.resourceVersion).toMatch(/^[1-9]\d*$/);
    expect(cm.metadata?.namespace).toBe('crud');
    expect(cm.metadata?.generation).toBeUndefined();
    expect(cm.data).toEqual({ k: 'v' });
    const read = await c.core.readNamespacedConfigMap({ name: 'meta', namespace: 'crud' });
    expect(read.metadata?.uid).toBe(cm.metadata?.uid);
    expect(read.metadata?.resourceVersion).toBe(cm.metadata?.resourceVersion);
  });

  it('ignores client-supplied uid, resourceVersion and creationTimestamp on create', async () => {
    const cm = await c.core.createNamespacedConfigMap({
      namespace: 'crud',
      body: {
        metadata: {
          name: 'forged',
          uid: '00000000-0000-0000-0000-000000000000',
          resourceVersion: '999999',
          creationTimestamp: new Date('2001-01-01T00:00:00Z'),
        },
      },
    });
    expect(cm.metadata?.uid).not.toBe('00000000-0000-0000-0000-000000000000');
    expect(cm.metadata?.resourceVersion).not.toBe('999999');
    expect(cm.metadata?.creationTimestamp?.getUTCFullYear()).not.toBe(2001);
  });

  it('hands out strictly increasing resourceVersions across kinds and verbs', async () => {
    const seen: number[] = [];
    const cm = await c.core.createNamespacedConfigMap({
      namespace: 'crud',
      body: { metadata: { name: 'rv' } },
    });
    seen.push(rvOf(cm));
    const secret = await c.core.createNamespacedSecret({
      namespace: 'crud',
      body: { metadata: { name: 'rv' } },
    });
    seen.push(rvOf(secret));
    const patched = await c.core.patchNamespacedConfigMap(
      { name: 'rv', namespace: 'crud', body: { data: { a: '1' } } },
      asMergePatch(),
    );
    seen.push(rvOf(patched));
    const replaced = await c.core.replaceNamespacedConfigMap({
      name: 'rv',
      namespace: 'crud',
      body: { ...patched, data: { a: '2' } },
    });
    seen.push(rvOf(replaced));
    const sa = await c.core.createNamespacedServiceAccount({
      namespace: 'crud',
      body: { metadata: { name: 'rv' } },
    });
    seen.push(rvOf(sa));
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1] ?? Infinity);
    expect(emulator.resourceVersion()).toBeGreaterThanOrEqual(seen[seen.length - 1] ?? Infinity);
  });

  it('answers 409 Conflict for a replace with a stale resourceVersion and keeps the stored object', async () => {
    const v1 = await c.core.createNamespacedConfigMap({
      namespace: 'crud',
      body: { metadata: { name: 'occ' }, data: { n: '1' } },
    });
    const v2 = await c.core.replaceNamespacedConfigMap({
      name: 'occ',
      namespace: 'crud',
      body: { ...v1, data: { n: '2' } },
    });
    expect(rvOf(v2)).toBeGreaterThan(rvOf(v1));
    const { code, status } = await failure(
      c.core.replaceNamespacedConfigMap({
        name: 'occ',
        namespace: 'crud',
        body: { ...v1, data: { n: 'stale' } },
      }),
    );
    expect(code).toBe(409);
    expect(status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Operation cannot be fulfilled on configmaps "occ": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict',
      details: { name: 'occ', kind: 'configmaps' },
      code: 409,
    });
    const stored = await c.core.readNamespacedConfigMap({ name: 'occ', namespace: 'crud' });
    expect(stored.data).toEqual({ n: '2' });
    expect(stored.metadata?.resourceVersion).toBe(v2.metadata?.resourceVersion);
  });

  it('lets exactly one of two Lease holders win a concurrent renewal (leader election)', async () => {
    const lease = await c.coordination.createNamespacedLease({
      namespace: 'crud',
      body: {
        metadata: { name: 'aviary-leader' },
        spec: { holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 },
      },
    });
    expect(lease.spec?.holderIdentity).toBe('a');
    const attempt = (holder: string) =>
      c.coordination
        .replaceNamespacedLease({
          name: 'aviary-leader',
          namespace: 'crud',
          body: { ...lease, spec: { ...lease.spec, holderIdentity: holder, leaseTransitions: 1 } },
        })
        .then(
          () => 'won',
          (e: unknown) => (e instanceof k8s.ApiException ? `lost ${e.code}` : 'error'),
        );
    const outcomes = await Promise.all([attempt('b'), attempt('c')]);
    expect(outcomes.sort()).toEqual(['lost 409', 'won']);
    const after = await c.coordination.readNamespacedLease({
      name: 'aviary-leader',
      namespace: 'crud',
    });
    expect(['b', 'c']).toContain(after.spec?.holderIdentity);
    expect(after.spec?.leaseTransitions).toBe(1);
  });

  it('accepts a replace without resourceVersion for built-in kinds (unconditional update)', async () => {
    await c.core.createNamespacedConfigMap({
      namespace: 'crud',
      body: { metadata: { name: 'uncond' } },
    });
    const replaced = await c.core.replaceNamespacedConfigMap({
      name: 'uncond',
      namespace: 'crud',
      body: { metadata: { name: 'uncond' }, data: { x: 'y' } },
    });
    expect(replaced.data).toEqual({ x: 'y' });
  });

  it('answers 404 NotFound with a Status body for missing objects, on every verb', async () => {
    for (const call of [
      c.core.readNamespacedConfigMap({ name: 'ghost', namespace: 'crud' }),
      c.core.replaceNamespacedConfigMap({
        name: 'ghost',
        namespace: 'crud',
        body: { metadata: { name: 'ghost' } },
      }),
      c.core.patchNamespacedConfigMap(
        { name: 'ghost', namespace: 'crud', body: { data: {} } },
        asMergePatch(),
      ),
      c.core.deleteNamespacedConfigMap({ name: 'ghost', namespace: 'crud' }),
    ]) {
      const { code, status } = await failure(call);
      expect(code).toBe(404);
      expect(status).toEqual(notFoundStatus('configmaps', 'ghost'));
    }
    const dep = await failure(
      c.apps.readNamespacedDeployment({ name: 'ghost', namespace: 'crud' }),
    );
    expect(dep.status).toEqual(notFoundStatus('deployments', 'ghost', 'apps'));
  });

  it('answers 404 for a namespace that does not exist, and 409 AlreadyExists for duplicates', async () => {
    const missingNs = await failure(
      c.core.createNamespacedConfigMap({ namespace: 'nowhere', body: { metadata: { name: 'x' } } }),
    );
    expect(missingNs.code).toBe(404);
    expect(missingNs.status).toEqual(notFoundStatus('namespaces', 'nowhere'));
    await c.core.createNamespacedConfigMap({
      namespace: 'crud',
      body: { metadata: { name: 'dup' } },
    });
    const dup = await failure(
      c.core.createNamespacedConfigMap({ namespace: 'crud', body: { metadata: { name: 'dup' } } }),
    );
    expect(dup.code).toBe(409);
    expect(dup.status).toMatchObject({
      reason: 'AlreadyExists',
      message: 'configmaps "dup" already exists',
      details: { name: 'dup', kind: 'configmaps' },
      code: 409,
    });
  });

  it('answers 422 Invalid with one cause per field problem', async () => {
    const badName = await failure(
      c.core.createNamespacedConfigMap({
        namespace: 'crud',
        body: { metadata: { name: 'Not_Valid' } },
      }),
    );
    expect(badName.code).toBe(422);
    expect(badName.status.reason).toBe('Invalid');
    expect(badName.status.message).toMatch(
      /^ConfigMap "Not_Valid" is invalid: metadata\.name: Invalid value: "Not_Valid": a lowercase RFC 1123 subdomain/,
    );
    expect(badName.status.details?.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message: expect.stringMatching(/^Invalid value: "Not_Valid": /),
      },
    ]);

    const noName = await failure(
      c.core.createNamespacedConfigMap({ namespace: 'crud', body: { metadata: {} } }),
    );
    expect(noName.code).toBe(422);
    expect(noName.status.message).toBe(
      'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
    );
    expect(noName.status.details?.causes).toEqual([
      {
        reason: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      },
    ]);

    const svc = await failure(
      c.core.createNamespacedService({
        namespace: 'crud',
        body: { metadata: { name: 'svc-bad' }, spec: { ports: [{ port: 70000 }, { port: 0 }] } },
      }),
    );
    expect(svc.code).toBe(422);
    expect(svc.status.message).toBe(
      'Service "svc-bad" is invalid: [spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive, spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive]',
    );
    expect(svc.status.details).toEqual({
      name: 'svc-bad',
      kind: 'Service',
      causes: [
        {
          reason: 'FieldValueInvalid',
          field: 'spec.ports[0].port',
          message: 'Invalid value: 70000: must be between 1 and 65535, inclusive',
        },
        {
          reason: 'FieldValueInvalid',
          field: 'spec.ports[1].port',
          message: 'Invalid value: 0: must be between 1 and 65535, inclusive',
        },
      ],
    });

    const dep = await failure(
      c.apps.createNamespacedDeployment({
        namespace: 'crud',
        body: {
          metadata: { name: 'dep-bad' },
          spec: {
            selector: { matchLabels: { app: 'x' } },
            template: {
              metadata: { labels: { app: 'y' } },
              spec: { containers: [{ name: 'c' } as k8s.V1Container] },
            },
          },
        },
      }),
    );
    expect(dep.code).toBe(422);
    expect(dep.status.message).toMatch(/^Deployment\.apps "dep-bad" is invalid: \[/);
    expect(dep.status.details?.group).toBe('apps');
    expect(dep.status.details?.causes?.map(x => [x.reason, x.field])).toEqual([
      ['FieldValueInvalid', 'spec.template.metadata.labels'],
      ['FieldValueRequired', 'spec.template.spec.containers[0].image'],
    ]);
    expect(dep.status.details?.causes?.[0]?.message).toContain(
      '`selector` does not match template `labels`',
    );
  });

  it('does not persist a dryRun=All create', async () => {
    const dry = await c.core.createNamespacedConfigMap({
      namespace: 'crud',
      dryRun: 'All',
      body: { metadata: { name: 'dry' } },
    });
    expect(dry.metadata?.name).toBe('dry');
    expect(
      (await failure(c.core.readNamespacedConfigMap({ name: 'dry', namespace: 'crud' }))).code,
    ).toBe(404);
  });

  it('generates unique names from generateName', async () => {
    const a = await c.core.createNamespacedConfigMap({
      namespace: 'crud',
      body: { metadata: { generateName: 'gen-' } },
    });
    const b = await c.core.createNamespacedConfigMap({
      namespace: 'crud',
      body: { metadata: { generateName: 'gen-' } },
    });
    expect(a.metadata?.name).toMatch(/^gen-[a-z0-9]{5}$/);
    expect(b.metadata?.name).toMatch(/^gen-[a-z0-9]{5}$/);
    expect(a.metadata?.name).not.toBe(b.metadata?.name);
    expect(a.metadata?.generateName).toBe('gen-');
    const read = await c.core.readNamespacedConfigMap({
      name: a.metadata?.name ?? '',
      namespace: 'crud',
    });
    expect(read.metadata?.uid).toBe(a.metadata?.uid);
  });

  it('rejects a delete whose preconditions do not hold', async () => {
    const cm = await c.core.createNamespacedConfigMap({
      namespace: 'crud',
      body: { metadata: { name: 'pre' } },
    });
    const { code, status } = await failure(
      c.core.deleteNamespacedConfigMap({
        name: 'pre',
        namespace: 'crud',
        body: { preconditions: { uid: 'not-the-uid' } },
      }),
    );
    expect(code).toBe(409);
    expect(status.reason).toBe('Conflict');
    expect(status.message).toBe(
      `Operation cannot be fulfilled on configmaps "pre": Precondition failed: UID in precondition: not-the-uid, UID in object meta: ${cm.metadata?.uid ?? ''}`,
    );
    await c.core.deleteNamespacedConfigMap({
      name: 'pre',
      namespace: 'crud',
      body: {
        preconditions: { uid: cm.metadata?.uid, resourceVersion: cm.metadata?.resourceVersion },
      },
    });
    expect(
      (await failure(c.core.readNamespacedConfigMap({ name: 'pre', namespace: 'crud' }))).code,
    ).toBe(404);
  });
});

describe('built-in kinds', () => {
  it('defaults and encodes Secrets, and validates their base64 data', async () => {
    const s = await c.core.createNamespacedSecret({
      namespace: 'crud',
      body: {
        metadata: { name: 'creds' },
        stringData: { user: 'admin' },
        data: { pw: Buffer.from('hunter2').toString('base64') },
      },
    });
    expect(s.type).toBe('Opaque');
    expect(s.data).toEqual({ user: 'YWRtaW4=', pw: 'aHVudGVyMg==' });
    expect(s.stringData).toBeUndefined();
    const bad = await failure(
      c.core.createNamespacedSecret({
        namespace: 'crud',
        body: { metadata: { name: 'bad' }, data: { k: '***' } },
      }),
    );
    expect(bad.code).toBe(422);
    expect(bad.status.details?.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'data[k]',
        message: 'Invalid value: "<secret contents redacted>": illegal base64 data',
      },
    ]);
  });

  it('allocates a clusterIP and defaults Service ports, keeping the IP across updates', async () => {
    const svc = await c.core.createNamespacedService({
      namespace: 'crud',
      body: {
        metadata: { name: 'web' },
        spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] },
      },
    });
    expect(svc.spec?.type).toBe('ClusterIP');
    expect(svc.spec?.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(svc.spec?.clusterIPs).toEqual([svc.spec?.clusterIP]);
    expect(svc.spec?.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80 }]);
    // Strategic merge: Service ports merge on `port`, so this changes port 80 and adds 9090.
    const patched = await c.core.patchNamespacedService(
      {
        name: 'web',
        namespace: 'crud',
        body: {
          spec: {
            ports: [
              { port: 80, targetPort: 9898 },
              { name: 'metrics', port: 9090 },
            ],
          },
        },
      },
      asStrategicMergePatch(),
    );
    expect(patched.spec?.clusterIP).toBe(svc.spec?.clusterIP);
    expect(patched.spec?.ports).toEqual([
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 9898 },
      { name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 9090 },
    ]);
  });

  it('defaults Pods and serves their status subresource', async () => {
    const pod = await c.core.createNamespacedPod({
      namespace: 'crud',
      body: {
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'app', image: 'podinfo:6.0.0' }] },
      },
    });
    expect(pod.spec?.restartPolicy).toBe('Always');
    expect(pod.spec?.containers[0]?.imagePullPolicy).toBe('IfNotPresent');
    const withStatus = await c.core.replaceNamespacedPodStatus({
      name: 'p',
      namespace: 'crud',
      body: {
        ...pod,
        spec: { ...pod.spec, containers: [{ name: 'app', image: 'evil:1' }] },
        status: { phase: 'Running', podIP: '10.0.0.7' },
      },
    });
    expect(withStatus.status?.phase).toBe('Running');
    expect(withStatus.spec?.containers[0]?.image).toBe('podinfo:6.0.0');
    const read = await c.core.readNamespacedPodStatus({ name: 'p', namespace: 'crud' });
    expect(read.status?.podIP).toBe('10.0.0.7');
  });

  it('serves ServiceAccounts', async () => {
    await c.core.createNamespacedServiceAccount({
      namespace: 'crud',
      body: { metadata: { name: 'aviary' } },
    });
    const list = await c.core.listNamespacedServiceAccount({ namespace: 'crud' });
    expect(list.items.map(s => s.metadata?.name)).toContain('aviary');
    await c.core.deleteNamespacedServiceAccount({ name: 'aviary', namespace: 'crud' });
    expect(
      (await failure(c.core.readNamespacedServiceAccount({ name: 'aviary', namespace: 'crud' })))
        .code,
    ).toBe(404);
  });

  it('shares storage between core/v1 and events.k8s.io/v1 Events', async () => {
    const core = await c.core.createNamespacedEvent({
      namespace: 'crud',
      body: {
        metadata: { name: 'ev-core' },
        involvedObject: {
          kind: 'Deployment',
          name: 'web',
          namespace: 'crud',
          apiVersion: 'apps/v1',
        },
        reason: 'Promoted',
        message: 'canary promoted',
        type: 'Normal',
        count: 3,
        reportingComponent: 'aviary',
      },
    });
    const asV1 = await c.events.readNamespacedEvent({ name: 'ev-core', namespace: 'crud' });
    expect(asV1.metadata?.uid).toBe(core.metadata?.uid);
    expect(asV1.metadata?.resourceVersion).toBe(core.metadata?.resourceVersion);
    expect(asV1.note).toBe('canary promoted');
    expect(asV1.reason).toBe('Promoted');
    expect(asV1.regarding).toEqual({
      kind: 'Deployment',
      name: 'web',
      namespace: 'crud',
      apiVersion: 'apps/v1',
    });
    expect(asV1.deprecatedCount).toBe(3);
    expect(asV1.reportingController).toBe('aviary');

    const v1 = await c.events.createNamespacedEvent({
      namespace: 'crud',
      body: {
        metadata: { name: 'ev-v1' },
        eventTime: new Date(),
        regarding: { kind: 'Canary', name: 'web', namespace: 'crud' },
        reason: 'Rollback',
        note: 'error rate too high',
        type: 'Warning',
        action: 'Rollback',
        reportingController: 'aviary',
        reportingInstance: 'aviary-0',
      },
    });
    const listed = await c.core.listNamespacedEvent({
      namespace: 'crud',
      fieldSelector: 'reason=Rollback',
    });
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]?.metadata?.uid).toBe(v1.metadata?.uid);
    expect(listed.items[0]?.message).toBe('error rate too high');
    expect(listed.items[0]?.involvedObject).toEqual({
      kind: 'Canary',
      name: 'web',
      namespace: 'crud',
    });
    const v1List = await c.events.listNamespacedEvent({ namespace: 'crud' });
    expect(v1List.items.map(e => e.metadata?.name).sort()).toEqual(['ev-core', 'ev-v1']);
    await c.events.deleteNamespacedEvent({ name: 'ev-core', namespace: 'crud' });
    expect(
      (await failure(c.core.readNamespacedEvent({ name: 'ev-core', namespace: 'crud' }))).code,
    ).toBe(404);
  });

  it('serves autoscaling/v2 HorizontalPodAutoscalers with generation and status', async () => {
    const hpa = await c.autoscaling.createNamespacedHorizontalPodAutoscaler({
      namespace: 'crud',
      body: {
        metadata: { name: 'web' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
          minReplicas: 1,
          maxReplicas: 5,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
            },
          ],
        },
      },
    });
    expect(hpa.metadata?.generation).toBe(1);
    expect(hpa.spec?.metrics?.[0]?.resource?.target.averageUtilization).toBe(80);
    const withStatus = await c.autoscaling.replaceNamespacedHorizontalPodAutoscalerStatus({
      name: 'web',
      namespace: 'crud',
      body: { ...hpa, status: { currentReplicas: 2, desiredReplicas: 3 } },
    });
    expect(withStatus.status).toEqual({ currentReplicas: 2, desiredReplicas: 3 });
    expect(withStatus.metadata?.generation).toBe(1);
    const scaled = await c.autoscaling.patchNamespacedHorizontalPodAutoscaler(
      { name: 'web', namespace: 'crud', body: { spec: { maxReplicas: 10 } } },
      asMergePatch(),
    );
    expect(scaled.metadata?.generation).toBe(2);
    expect(scaled.status?.desiredReplicas).toBe(3);
  });

  it('serves DaemonSets and ReplicaSets with generation and selector validation', async () => {
    const ds = await c.apps.createNamespacedDaemonSet({
      namespace: 'crud',
      body: {
        metadata: { name: 'agent' },
        spec: {
          selector: { matchLabels: { app: 'agent' } },
          template: {
            metadata: { labels: { app: 'agent' } },
            spec: { containers: [{ name: 'a', image: 'agent:1' }] },
          },
        },
      },
    });
    expect(ds.metadata?.generation).toBe(1);
    const ds2 = await c.apps.patchNamespacedDaemonSet(
      {
        name: 'agent',
        namespace: 'crud',
        body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'agent:2' }],
      },
      asJsonPatch(),
    );
    expect(ds2.metadata?.generation).toBe(2);
    expect(ds2.spec?.template.spec?.containers[0]?.image).toBe('agent:2');
    const rs = await c.apps.createNamespacedReplicaSet({
      namespace: 'crud',
      body: {
        metadata: { name: 'rs' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'rs' } },
          template: {
            metadata: { labels: { app: 'rs' } },
            spec: { containers: [{ name: 'a', image: 'x:1' }] },
          },
        },
      },
    });
    const immutable = await failure(
      c.apps.replaceNamespacedReplicaSet({
        name: 'rs',
        namespace: 'crud',
        body: {
          ...rs,
          spec: { ...rs.spec, selector: { matchLabels: { app: 'other' } } } as k8s.V1ReplicaSetSpec,
        },
      }),
    );
    expect(immutable.code).toBe(422);
    expect(immutable.status.details?.causes).toContainEqual({
      reason: 'FieldValueInvalid',
      field: 'spec.selector',
      message: 'Invalid value: {"matchLabels":{"app":"other"}}: field is immutable',
    });
  });
});

describe('generation and the status subresource', () => {
  it('bumps metadata.generation on spec changes only', async () => {
    const created = await c.apps.createNamespacedDeployment({
      namespace: 'crud',
      body: deployment('gen', { replicas: 0 }),
    });
    expect(created.metadata?.generation).toBe(1);
    expect(created.spec?.strategy?.type).toBe('RollingUpdate');
    expect(created.spec?.revisionHistoryLimit).toBe(10);
    expect(created.spec?.progressDeadlineSeconds).toBe(600);

    const labelled = await c.apps.patchNamespacedDeployment(
      {
        name: 'gen',
        namespace: 'crud',
        body: { metadata: { labels: { team: 'sre' }, annotations: { note: 'x' } } },
      },
      asMergePatch(),
    );
    expect(labelled.metadata?.generation).toBe(1);
    expect(rvOf(labelled)).toBeGreaterThan(rvOf(created));

    const respec = await c.apps.patchNamespacedDeployment(
      { name: 'gen', namespace: 'crud', body: { spec: { minReadySeconds: 5 } } },
      asStrategicMergePatch(),
    );
    expect(respec.metadata?.generation).toBe(2);

    const same = await c.apps.patchNamespacedDeployment(
      { name: 'gen', namespace: 'crud', body: { spec: { minReadySeconds: 5 } } },
      asMergePatch(),
    );
    expect(same.metadata?.generation).toBe(2);
  });

  it('does not write (nor bump resourceVersion) for a no-op update', async () => {
    const cm = await c.core.createNamespacedConfigMap({
      namespace: 'crud',
      body: { metadata: { name: 'noop', labels: { a: 'b' } }, data: { k: 'v' } },
    });
    const patched = await c.core.patchNamespacedConfigMap(
      {
        name: 'noop',
        namespace: 'crud',
        body: { data: { k: 'v' }, metadata: { labels: { a: 'b' } } },
      },
      asMergePatch(),
    );
    expect(patched.metadata?.resourceVersion).toBe(cm.metadata?.resourceVersion);
    const replaced = await c.core.replaceNamespacedConfigMap({
      name: 'noop',
      namespace: 'crud',
      body: cm,
    });
    expect(replaced.metadata?.resourceVersion).toBe(cm.metadata?.resourceVersion);
  });

  it('ignores spec in status writes and status in main-resource writes', async () => {
    const d = await c.apps.createNamespacedDeployment({
      namespace: 'crud',
      body: deployment('split', { replicas: 0 }),
    });
    // Wait for the simulated rollout to finish, so its status writes cannot race with ours.
    const settled = await eventually(async () => {
      const cur = await c.apps.readNamespacedDeployment({ name: 'split', namespace: 'crud' });
      const progressing = cur.status?.conditions?.find(x => x.type === 'Progressing');
      return progressing?.reason === 'NewReplicaSetAvailable' ? cur : undefined;
    });
    const statusWrite = await c.apps.replaceNamespacedDeploymentStatus({
      name: 'split',
      namespace: 'crud',
      body: {
        ...settled,
        spec: { ...settled.spec, replicas: 7 } as k8s.V1DeploymentSpec,
        metadata: { ...settled.metadata, labels: { changed: 'yes' } },
        status: { ...settled.status, observedGeneration: 42 },
      },
    });
    expect(statusWrite.status?.observedGeneration).toBe(42);
    expect(statusWrite.spec?.replicas).toBe(0);
    expect(statusWrite.metadata?.labels).toEqual({ app: 'split' });
    expect(statusWrite.metadata?.generation).toBe(1);

    const mainWrite = await c.apps.patchNamespacedDeployment(
      { name: 'split', namespace: 'crud', body: { status: { observedGeneration: 1000 } } },
      asMergePatch(),
    );
    expect(mainWrite.status?.observedGeneration).toBe(42);
    expect(mainWrite.metadata?.resourceVersion).toBe(statusWrite.metadata?.resourceVersion);
    expect(d.metadata?.uid).toBe(mainWrite.metadata?.uid);

    const statusPatch = await c.apps.patchNamespacedDeploymentStatus(
      {
        name: 'split',
        namespace: 'crud',
        body: [{ op: 'replace', path: '/status/observedGeneration', value: 1 }],
      },
      asJsonPatch(),
    );
    expect(statusPatch.status?.observedGeneration).toBe(1);
  });
});

describe('label and field selectors, paging', () => {
  beforeAll(async () => {
    const labels: Record<string, Record<string, string>> = {
      a: { app: 'web', tier: 'front' },
      b: { app: 'web', tier: 'back', canary: 'true' },
      c: { app: 'api', tier: 'back' },
      d: { app: 'db' },
      e: {},
    };
    for (const [name, l] of Object.entries(labels)) {
      await c.core.createNamespacedConfigMap({
        namespace: 'sel',
        body: { metadata: { name, labels: l } },
      });
    }
  });

  const names = async (labelSelector?: string, fieldSelector?: string) =>
    (
      await c.core.listNamespacedConfigMap({ namespace: 'sel', labelSelector, fieldSelector })
    ).items.map(i => i.metadata?.name);

  it.each([
    ['app=web', ['a', 'b']],
    ['app==web', ['a', 'b']],
    ['app!=web', ['c', 'd', 'e']],
    ['tier in (front,back)', ['a', 'b', 'c']],
    ['tier notin (back)', ['a', 'd', 'e']],
    ['canary', ['b']],
    ['!canary', ['a', 'c', 'd', 'e']],
    ['app=web,tier=back', ['b']],
    ['app in (web, api),!canary', ['a', 'c']],
  ])('label selector %s', async (selector, expected) => {
    expect(await names(selector)).toEqual(expected);
  });

  it('filters by field selectors on metadata.name and metadata.namespace', async () => {
    expect(await names(undefined, 'metadata.name=c')).toEqual(['c']);
    expect(await names(undefined, 'metadata.name!=c')).toEqual(['a', 'b', 'd', 'e']);
    expect(await names('app=web', 'metadata.name!=a')).toEqual(['b']);
    const all = await c.core.listConfigMapForAllNamespaces({
      fieldSelector: 'metadata.namespace=sel',
    });
    expect(all.items.map(i => `${i.metadata?.namespace}/${i.metadata?.name}`)).toEqual([
      'sel/a',
      'sel/b',
      'sel/c',
      'sel/d',
      'sel/e',
    ]);
  });

  it('answers 400 BadRequest for a malformed label selector', async () => {
    const { code, status } = await failure(names('app in (web'));
    expect(code).toBe(400);
    expect(status.reason).toBe('BadRequest');
    expect(status.message).toContain('unable to parse requirement');
  });

  it('pages a list with limit and continue', async () => {
    const first = await c.core.listNamespacedConfigMap({ namespace: 'sel', limit: 2 });
    expect(first.items.map(i => i.metadata?.name)).toEqual(['a', 'b']);
    expect(first.metadata?._continue).toBeTruthy();
    expect(first.metadata?.remainingItemCount).toBe(3);
    const second = await c.core.listNamespacedConfigMap({
      namespace: 'sel',
      limit: 2,
      _continue: first.metadata?._continue,
    });
    expect(second.items.map(i => i.metadata?.name)).toEqual(['c', 'd']);
    expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
    const third = await c.core.listNamespacedConfigMap({
      namespace: 'sel',
      limit: 2,
      _continue: second.metadata?._continue,
    });
    expect(third.items.map(i => i.metadata?.name)).toEqual(['e']);
    expect(third.metadata?._continue).toBeUndefined();
  });

  it('continues a paged list after the last key returned, even when earlier objects change', async () => {
    await c.core.createNamespace({ body: { metadata: { name: 'page' } } });
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) {
      await c.core.createNamespacedConfigMap({ namespace: 'page', body: { metadata: { name } } });
    }
    const page = (limit: number, token?: string) =>
      c.core.listNamespacedConfigMap({ namespace: 'page', limit, _continue: token });
    const names = (l: k8s.V1ConfigMapList) => l.items.map(i => i.metadata?.name);

    // An object already returned goes away: the next page neither skips nor repeats.
    const first = await page(2);
    expect(names(first)).toEqual(['p1', 'p2']);
    await c.core.deleteNamespacedConfigMap({ name: 'p1', namespace: 'page' });
    const second = await page(2, first.metadata?._continue);
    expect(names(second)).toEqual(['p3', 'p4']);
    expect(second.metadata?.remainingItemCount).toBe(1);
    const third = await page(2, second.metadata?._continue);
    expect(names(third)).toEqual(['p5']);
    expect(third.metadata?._continue).toBeUndefined();

    // An object sorting before the cursor appears: the next page does not repeat one.
    const again = await page(2);
    expect(names(again)).toEqual(['p2', 'p3']);
    await c.core.createNamespacedConfigMap({
      namespace: 'page',
      body: { metadata: { name: 'p0' } },
    });
    expect(names(await page(2, again.metadata?._continue))).toEqual(['p4', 'p5']);
  });

  it('deletes a collection by label selector', async () => {
    await c.core.createNamespacedConfigMap({
      namespace: 'sel',
      body: { metadata: { name: 'tmp-1', labels: { tmp: 'y' } } },
    });
    await c.core.createNamespacedConfigMap({
      namespace: 'sel',
      body: { metadata: { name: 'tmp-2', labels: { tmp: 'y' } } },
    });
    await c.core.deleteCollectionNamespacedConfigMap({ namespace: 'sel', labelSelector: 'tmp=y' });
    expect(await names('tmp')).toEqual([]);
    expect(await names()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('finalizers and deletionTimestamp', () => {
  it('keeps a finalized object until its last finalizer is removed, reporting each step on watch', async () => {
    const cm = await c.core.createNamespacedConfigMap({
      namespace: 'fin',
      body: { metadata: { name: 'held', finalizers: ['example.dev/a', 'example.dev/b'] } },
    });
    const watch = await rawWatch(
      emulator,
      `/api/v1/namespaces/fin/configmaps?watch=1&resourceVersion=${cm.metadata?.resourceVersion}`,
    );
    try {
      await c.core.deleteNamespacedConfigMap({ name: 'held', namespace: 'fin' });
      const marked = await c.core.readNamespacedConfigMap({ name: 'held', namespace: 'fin' });
      expect(marked.metadata?.deletionTimestamp).toBeInstanceOf(Date);
      expect(marked.metadata?.finalizers).toEqual(['example.dev/a', 'example.dev/b']);

      // Deleting again changes nothing; writes cannot clear deletionTimestamp.
      await c.core.deleteNamespacedConfigMap({ name: 'held', namespace: 'fin' });
      const relabelled = await c.core.patchNamespacedConfigMap(
        {
          name: 'held',
          namespace: 'fin',
          body: { metadata: { labels: { x: 'y' }, deletionTimestamp: null } },
        },
        asMergePatch(),
      );
      expect(relabelled.metadata?.deletionTimestamp).toEqual(marked.metadata?.deletionTimestamp);

      await c.core.patchNamespacedConfigMap(
        {
          name: 'held',
          namespace: 'fin',
          body: [{ op: 'remove', path: '/metadata/finalizers/0' }],
        },
        asJsonPatch(),
      );
      expect(
        (await c.core.readNamespacedConfigMap({ name: 'held', namespace: 'fin' })).metadata
          ?.finalizers,
      ).toEqual(['example.dev/b']);
      await c.core.patchNamespacedConfigMap(
        { name: 'held', namespace: 'fin', body: { metadata: { finalizers: null } } },
        asMergePatch(),
      );
      expect(
        (await failure(c.core.readNamespacedConfigMap({ name: 'held', namespace: 'fin' }))).code,
      ).toBe(404);
      await watch.next(e => e.type === 'DELETED');
      const types = watch.events.map(e => e.type);
      expect(types).toEqual(['MODIFIED', 'MODIFIED', 'MODIFIED', 'DELETED']);
      expect(watch.events[0]?.object.metadata.deletionTimestamp).toBeDefined();
    } finally {
      watch.close();
    }
  });
});

describe('garbage collection through ownerReferences', () => {
  const owned = async (
    name: string,
    owners: Array<{ name: string; uid: string }>,
    finalizers?: string[],
  ) =>
    c.core.createNamespacedConfigMap({
      namespace: 'gc',
      body: {
        metadata: {
          name,
          finalizers,
          ownerReferences: owners.map(o => ({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            name: o.name,
            uid: o.uid,
          })),
        },
      },
    });
  const owner = async (name: string) => {
    const o = await c.core.createNamespacedConfigMap({
      namespace: 'gc',
      body: { metadata: { name } },
    });
    return { name, uid: o.metadata?.uid ?? '' };
  };
  const exists = async (name: string) =>
    c.core.readNamespacedConfigMap({ name, namespace: 'gc' }).then(
      o => o,
      () => undefined,
    );
  const gone = (name: string) =>
    eventually(async () => (await exists(name)) === undefined, 10_000, `${name} deleted`);

  it('deletes dependents in the background once the owner is gone', async () => {
    const o = await owner('bg-owner');
    await owned('bg-dep-1', [o]);
    await c.core.createNamespacedSecret({
      namespace: 'gc',
      body: {
        metadata: {
          name: 'bg-dep-2',
          ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: o.name, uid: o.uid }],
        },
      },
    });
    const other = await owner('bg-other');
    await owned('bg-shared', [o, other]);
    await c.core.deleteNamespacedConfigMap({
      name: 'bg-owner',
      namespace: 'gc',
      propagationPolicy: 'Background',
    });
    expect(await exists('bg-owner')).toBeUndefined();
    await gone('bg-dep-1');
    await eventually(
      () =>
        c.core.readNamespacedSecret({ name: 'bg-dep-2', namespace: 'gc' }).then(
          () => false,
          () => true,
        ),
      10_000,
      'secret dependent deleted',
    );
    const shared = await eventually(async () => {
      const s = await exists('bg-shared');
      return s?.metadata?.ownerReferences?.length === 1 ? s : undefined;
    });
    expect(shared.metadata?.ownerReferences?.[0]?.uid).toBe(other.uid);
  });

  it('foreground deletion keeps the owner (deletionTimestamp, foregroundDeletion) until dependents are gone', async () => {
    const o = await owner('fg-owner');
    await owned('fg-dep', [o], ['example.dev/hold']);
    await owned('fg-dep-free', [o]);
    await c.core.deleteNamespacedConfigMap({
      name: 'fg-owner',
      namespace: 'gc',
      propagationPolicy: 'Foreground',
    });
    const terminating = await exists('fg-owner');
    expect(terminating?.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    expect(terminating?.metadata?.finalizers).toEqual(['foregroundDeletion']);
    await gone('fg-dep-free');
    const held = await eventually(async () => {
      const d = await exists('fg-dep');
      return d?.metadata?.deletionTimestamp ? d : undefined;
    });
    expect(held.metadata?.finalizers).toEqual(['example.dev/hold']);
    expect(await exists('fg-owner')).toBeDefined();
    await c.core.patchNamespacedConfigMap(
      { name: 'fg-dep', namespace: 'gc', body: { metadata: { finalizers: [] } } },
      asMergePatch(),
    );
    await gone('fg-dep');
    await gone('fg-owner');
  });

  it('orphan deletion removes the owner and strips the ownerReference from dependents', async () => {
    const o = await owner('or-owner');
    await owned('or-dep', [o]);
    await c.core.deleteNamespacedConfigMap({
      name: 'or-owner',
      namespace: 'gc',
      propagationPolicy: 'Orphan',
    });
    await gone('or-owner');
    const dep = await eventually(async () => {
      const d = await exists('or-dep');
      return d && !d.metadata?.ownerReferences ? d : undefined;
    });
    expect(dep.metadata?.deletionTimestamp).toBeUndefined();
  });

  it('collects dependents whose owners no longer exist, and drops only the dangling reference when another owner lives', async () => {
    const o = await owner('dangle-live');
    const gone = { name: 'never-existed', uid: '11111111-2222-3333-4444-555555555555' };
    await owned('dangle-only', [gone]);
    await owned('dangle-mixed', [gone, o]);
    await eventually(
      async () => (await exists('dangle-only')) === undefined,
      10_000,
      'dangling dependent collected',
    );
    const mixed = await eventually(async () => {
      const d = await exists('dangle-mixed');
      return d?.metadata?.ownerReferences?.length === 1 ? d : undefined;
    });
    expect(mixed.metadata?.ownerReferences?.[0]?.uid).toBe(o.uid);
    // An owner of a kind the server does not serve cannot be checked, so it is left alone.
    await c.core.createNamespacedConfigMap({
      namespace: 'gc',
      body: {
        metadata: {
          name: 'foreign-owner',
          ownerReferences: [
            {
              apiVersion: 'example.dev/v1',
              kind: 'Unknown',
              name: 'x',
              uid: '99999999-8888-7777-6666-555555555555',
            },
          ],
        },
      },
    });
    // Collected after the foreign-owner check ran (the collector works in order).
    await owned('dangle-probe', [gone]);
    await eventually(async () => (await exists('dangle-probe')) === undefined);
    expect(await exists('foreign-owner')).toBeDefined();
  });

  it('collects a Deployment’s ReplicaSets when the Deployment is deleted', async () => {
    await c.apps.createNamespacedDeployment({
      namespace: 'gc',
      body: deployment('gc-web', { replicas: 1 }),
    });
    const rs = await eventually(async () => {
      const list = await c.apps.listNamespacedReplicaSet({
        namespace: 'gc',
        labelSelector: 'app=gc-web',
      });
      return list.items[0];
    });
    expect(rs.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Deployment',
      name: 'gc-web',
      controller: true,
    });
    await c.apps.deleteNamespacedDeployment({ name: 'gc-web', namespace: 'gc' });
    await eventually(
      async () =>
        (await c.apps.listNamespacedReplicaSet({ namespace: 'gc', labelSelector: 'app=gc-web' }))
          .items.length === 0,
      10_000,
      'replicasets collected',
    );
  });
});

describe('namespace deletion', () => {
  it.each(['default', 'kube-system', 'kube-public'])(
    'refuses to delete the %s namespace',
    async name => {
      const { code, status } = await failure(c.core.deleteNamespace({ name }));
      expect(code).toBe(403);
      expect(status).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `namespaces "${name}" is forbidden: this namespace may not be deleted`,
        reason: 'Forbidden',
        details: { name, kind: 'namespaces' },
        code: 403,
      });
      expect((await c.core.readNamespace({ name })).metadata?.deletionTimestamp).toBeUndefined();
    },
  );

  it('terminates a namespace: forbids new content, empties it, then removes it', async () => {
    await c.core.createNamespace({ body: { metadata: { name: 'doomed' } } });
    await c.core.createNamespacedConfigMap({
      namespace: 'doomed',
      body: { metadata: { name: 'plain' } },
    });
    await c.core.createNamespacedSecret({ namespace: 'doomed', body: { metadata: { name: 's' } } });
    await c.apps.createNamespacedDeployment({
      namespace: 'doomed',
      body: deployment('web', { replicas: 1 }),
    });
    await c.core.createNamespacedConfigMap({
      namespace: 'doomed',
      body: { metadata: { name: 'held', finalizers: ['example.dev/hold'] } },
    });
    await c.core.deleteNamespace({ name: 'doomed' });
    const ns = await c.core.readNamespace({ name: 'doomed' });
    expect(ns.status?.phase).toBe('Terminating');
    expect(ns.metadata?.deletionTimestamp).toBeInstanceOf(Date);

    const forbidden = await failure(
      c.core.createNamespacedConfigMap({
        namespace: 'doomed',
        body: { metadata: { name: 'late' } },
      }),
    );
    expect(forbidden.code).toBe(403);
    expect(forbidden.status).toMatchObject({
      reason: 'Forbidden',
      message:
        'configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated',
    });

    await eventually(async () => {
      const [cms, secrets, deps] = await Promise.all([
        c.core.listNamespacedConfigMap({ namespace: 'doomed' }),
        c.core.listNamespacedSecret({ namespace: 'doomed' }),
        c.apps.listNamespacedDeployment({ namespace: 'doomed' }),
      ]);
      return (
        cms.items.map(i => i.metadata?.name).join() === 'held' &&
        secrets.items.length === 0 &&
        deps.items.length === 0
      );
    });
    // The finalized object keeps the namespace alive.
    expect((await c.core.readNamespace({ name: 'doomed' })).status?.phase).toBe('Terminating');
    await c.core.patchNamespacedConfigMap(
      { name: 'held', namespace: 'doomed', body: { metadata: { finalizers: null } } },
      asMergePatch(),
    );
    await eventually(
      () =>
        c.core.readNamespace({ name: 'doomed' }).then(
          () => false,
          () => true,
        ),
      10_000,
      'namespace removed',
    );
    expect((await failure(c.core.readNamespace({ name: 'doomed' }))).status).toEqual(
      notFoundStatus('namespaces', 'doomed'),
    );
  });
});
