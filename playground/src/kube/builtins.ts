/** Built-in kinds: their discovery facts, defaulting, validation and `kubectl get` columns. */
import type { FieldError } from './errors.js';
import type { ResourceRegistry, ResourceType, TableColumn } from './resources.js';
import { selectorToString } from './selectors.js';
import type { KubeObject } from './types.js';
import { deepEqual, isPlainObject } from './types.js';
import { coreEventFromEventsV1, eventsV1FromCoreEvent } from './events-conversion.js';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The API server's short human durations ("45s", "3m12s", "5h", "12d"). */
export function humanAge(from: string | undefined, now: number): string {
  if (!from) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(from)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  if (d < 730) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

const col = (
  name: string,
  cell: TableColumn['cell'],
  priority = 0,
  type: TableColumn['type'] = 'string',
): TableColumn => ({
  name,
  type,
  priority,
  cell,
  description: name,
});
const age = col('Age', (o, now) => humanAge(o.metadata.creationTimestamp, now));
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function validateName(name: string | undefined, dnsLabel: boolean): FieldError[] {
  if (!name) return [];
  if (dnsLabel && (!LABEL.test(name) || name.length > 63)) {
    return [
      {
        field: 'metadata.name',
        type: 'FieldValueInvalid',
        value: name,
        detail: `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      },
    ];
  }
  if (!SUBDOMAIN.test(name) || name.length > 253) {
    return [
      {
        field: 'metadata.name',
        type: 'FieldValueInvalid',
        value: name,
        detail: `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      },
    ];
  }
  return [];
}

function setDefault(target: Obj, key: string, value: unknown): void {
  if (target[key] === undefined) target[key] = value;
}

function defaultPodTemplate(template: unknown): void {
  const spec = obj(obj(template).spec);
  if (!isPlainObject(obj(template).spec)) return;
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'securityContext', {});
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) {
    if (!isPlainObject(c)) continue;
    const image = typeof c.image === 'string' ? c.image : '';
    const tag = image.includes('@') ? 'digest' : (image.split('/').pop() ?? '').split(':')[1];
    setDefault(c, 'imagePullPolicy', !tag || tag === 'latest' ? 'Always' : 'IfNotPresent');
    setDefault(c, 'terminationMessagePath', '/dev/termination-log');
    setDefault(c, 'terminationMessagePolicy', 'File');
    setDefault(c, 'resources', {});
    for (const p of arr(c.ports)) if (isPlainObject(p)) setDefault(p, 'protocol', 'TCP');
  }
}

function validatePodTemplate(template: unknown, path: string): FieldError[] {
  const problems: FieldError[] = [];
  const containers = obj(obj(template).spec).containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    problems.push({ field: `${path}.spec.containers`, type: 'FieldValueRequired', detail: '' });
  }
  arr(containers).forEach((c, i) => {
    const container = obj(c);
    if (!container.name)
      problems.push({
        field: `${path}.spec.containers[${i}].name`,
        type: 'FieldValueRequired',
        detail: '',
      });
    if (!container.image)
      problems.push({
        field: `${path}.spec.containers[${i}].image`,
        type: 'FieldValueRequired',
        detail: '',
      });
  });
  return problems;
}

/** Deployment/ReplicaSet/DaemonSet: selector present, matching the template, and immutable. */
function validateWorkload(o: KubeObject, old: KubeObject | undefined): FieldError[] {
  const spec = obj(o.spec);
  const problems: FieldError[] = [];
  const selector = obj(spec.selector);
  const matchLabels = obj(selector.matchLabels) as Record<string, string>;
  if (
    !isPlainObject(spec.selector) ||
    (Object.keys(matchLabels).length === 0 && arr(selector.matchExpressions).length === 0)
  ) {
    problems.push({ field: 'spec.selector', type: 'FieldValueRequired', detail: '' });
  } else {
    const labels = obj(obj(obj(spec.template).metadata).labels);
    if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) {
      problems.push({
        field: 'spec.template.metadata.labels',
        type: 'FieldValueInvalid',
        value: labels,
        detail: '`selector` does not match template `labels`',
      });
    }
  }
  if (typeof spec.replicas === 'number' && spec.replicas < 0) {
    problems.push({
      field: 'spec.replicas',
      type: 'FieldValueInvalid',
      value: spec.replicas,
      detail: 'must be greater than or equal to 0',
    });
  }
  if (old && !deepEqual(obj(old.spec).selector, spec.selector)) {
    problems.push({
      field: 'spec.selector',
      type: 'FieldValueInvalid',
      value: spec.selector,
      detail: 'field is immutable',
    });
  }
  return [...problems, ...validatePodTemplate(spec.template, 'spec.template')];
}

let nextClusterIp = 10;
function allocateClusterIp(): string {
  const n = nextClusterIp++;
  return `10.96.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
}

function defaultService(o: KubeObject, old: KubeObject | undefined): void {
  const spec = obj(o.spec);
  o.spec = spec;
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  for (const p of arr(spec.ports)) {
    if (!isPlainObject(p)) continue;
    setDefault(p, 'protocol', 'TCP');
    setDefault(p, 'targetPort', p.port);
  }
  const oldSpec = obj(old?.spec);
  if (spec.clusterIP === undefined || spec.clusterIP === '') {
    spec.clusterIP =
      typeof oldSpec.clusterIP === 'string'
        ? oldSpec.clusterIP
        : spec.type === 'ExternalName'
          ? undefined
          : allocateClusterIp();
  }
  if (spec.clusterIP) {
    setDefault(spec, 'clusterIPs', [spec.clusterIP]);
    setDefault(spec, 'ipFamilies', ['IPv4']);
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
  }
  setDefault(o, 'status', { loadBalancer: {} });
}

function validateService(o: KubeObject): FieldError[] {
  const spec = obj(o.spec);
  const problems: FieldError[] = [];
  if (spec.type !== 'ExternalName' && arr(spec.ports).length === 0) {
    problems.push({ field: 'spec.ports', type: 'FieldValueRequired', detail: '' });
  }
  arr(spec.ports).forEach((p, i) => {
    const port = obj(p).port;
    if (typeof port !== 'number' || port < 1 || port > 65535) {
      problems.push({
        field: `spec.ports[${i}].port`,
        type: 'FieldValueInvalid',
        value: port ?? 0,
        detail: 'must be between 1 and 65535, inclusive',
      });
    }
  });
  return problems;
}

function defaultSecret(o: KubeObject): void {
  if (!o.type) o.type = 'Opaque'; // an empty type (protobuf's zero value) means Opaque too
  const stringData = obj(o.stringData);
  if (Object.keys(stringData).length > 0) {
    const data = obj(o.data);
    for (const [k, v] of Object.entries(stringData))
      data[k] = Buffer.from(String(v)).toString('base64');
    o.data = data;
  }
  delete o.stringData;
}

function validateSecret(o: KubeObject): FieldError[] {
  return Object.entries(obj(o.data))
    .filter(([, v]) => typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v))
    .map(([k]) => ({
      field: `data[${k}]`,
      type: 'FieldValueInvalid' as const,
      value: '<secret contents redacted>',
      detail: 'illegal base64 data',
    }));
}

const containerImages = (o: KubeObject) =>
  arr(obj(obj(obj(o.spec).template).spec).containers)
    .map(c => String(obj(c).image ?? ''))
    .join(',');
const containerNames = (o: KubeObject) =>
  arr(obj(obj(obj(o.spec).template).spec).containers)
    .map(c => String(obj(c).name ?? ''))
    .join(',');
const matchLabelsText = (o: KubeObject) =>
  selectorToString(obj(obj(obj(o.spec).selector).matchLabels) as Record<string, string>) ||
  '<none>';
const st = (o: KubeObject) => obj(o.status);

function eventObject(o: KubeObject): string {
  const ref = obj(o.involvedObject);
  return `${String(ref.kind ?? '').toLowerCase()}/${String(ref.name ?? '')}`;
}

interface Spec {
  group: string;
  version: string;
  kind: string;
  plural: string;
  shortNames?: string[];
  categories?: string[];
  namespaced?: boolean;
  status?: boolean;
  scale?: boolean;
  generation?: boolean;
  columns?: TableColumn[];
  storageKey?: string;
  /** Events list no Name (unless wide) and no Age column. */
  eventLike?: boolean;
  extra?: Partial<ResourceType>;
}

function define(s: Spec): ResourceType {
  return {
    group: s.group,
    kind: s.kind,
    listKind: `${s.kind}List`,
    plural: s.plural,
    singular: s.kind.toLowerCase(),
    shortNames: s.shortNames ?? [],
    categories: s.categories ?? [],
    namespaced: s.namespaced ?? true,
    versions: [
      {
        name: s.version,
        served: true,
        storage: true,
        status: s.status ?? false,
        columns: s.eventLike ? (s.columns ?? []) : [...(s.columns ?? []), age],
        namePriority: s.eventLike ? 1 : 0,
        scale: s.scale
          ? {
              specReplicasPath: '.spec.replicas',
              statusReplicasPath: '.status.replicas',
              labelSelectorPath: '.status.selector',
            }
          : undefined,
      },
    ],
    custom: false,
    hasGeneration: s.generation ?? false,
    storageKey: s.storageKey ?? `${s.group}/${s.plural}`,
    ...s.extra,
  };
}

const workloadColumns: TableColumn[] = [
  col('Containers', containerNames, 1),
  col('Images', containerImages, 1),
  col('Selector', matchLabelsText, 1),
];

export function registerBuiltins(registry: ResourceRegistry): void {
  const types: ResourceType[] = [
    define({
      group: '',
      version: 'v1',
      kind: 'Namespace',
      plural: 'namespaces',
      shortNames: ['ns'],
      namespaced: false,
      status: true,
      columns: [col('Status', o => st(o).phase ?? '')],
      extra: {
        applyDefaults(o) {
          const spec = obj(o.spec);
          o.spec = spec;
          setDefault(spec, 'finalizers', ['kubernetes']);
          setDefault(o, 'status', { phase: 'Active' });
          o.metadata.labels = {
            ...o.metadata.labels,
            'kubernetes.io/metadata.name': o.metadata.name ?? '',
          };
        },
        validate: o => validateName(o.metadata.name, true),
      },
    }),
    define({
      group: '',
      version: 'v1',
      kind: 'Service',
      plural: 'services',
      shortNames: ['svc'],
      categories: ['all'],
      status: true,
      columns: [
        col('Type', o => obj(o.spec).type ?? ''),
        col('Cluster-IP', o => obj(o.spec).clusterIP ?? '<none>'),
        col('External-IP', () => '<none>'),
        col(
          'Port(s)',
          o =>
            arr(obj(o.spec).ports)
              .map(p => `${String(obj(p).port)}/${String(obj(p).protocol ?? 'TCP')}`)
              .join(',') || '<none>',
        ),
        col(
          'Selector',
          o => selectorToString(obj(obj(o.spec).selector) as Record<string, string>) || '<none>',
          1,
        ),
      ],
      extra: {
        applyDefaults: defaultService,
        validate: o => [...validateName(o.metadata.name, true), ...validateService(o)],
      },
    }),
    define({
      group: '',
      version: 'v1',
      kind: 'ConfigMap',
      plural: 'configmaps',
      shortNames: ['cm'],
      columns: [
        col(
          'Data',
          o => Object.keys(obj(o.data)).length + Object.keys(obj(o.binaryData)).length,
          0,
          'integer',
        ),
      ],
    }),
    define({
      group: '',
      version: 'v1',
      kind: 'Secret',
      plural: 'secrets',
      columns: [
        col('Type', o => o.type ?? ''),
        col('Data', o => Object.keys(obj(o.data)).length, 0, 'integer'),
      ],
      extra: { applyDefaults: defaultSecret, validate: validateSecret },
    }),
    define({
      group: '',
      version: 'v1',
      kind: 'ServiceAccount',
      plural: 'serviceaccounts',
      shortNames: ['sa'],
    }),
    define({
      group: '',
      version: 'v1',
      kind: 'Endpoints',
      plural: 'endpoints',
      shortNames: ['ep'],
    }),
    define({
      group: '',
      version: 'v1',
      kind: 'Pod',
      plural: 'pods',
      shortNames: ['po'],
      categories: ['all'],
      status: true,
      columns: [
        col(
          'Ready',
          o =>
            `${arr(st(o).containerStatuses).filter(c => obj(c).ready).length}/${arr(obj(o.spec).containers).length}`,
        ),
        col('Status', o => st(o).phase ?? 'Pending'),
        col('Restarts', () => 0, 0, 'integer'),
        col('IP', o => st(o).podIP ?? '<none>', 1),
        col('Node', o => obj(o.spec).nodeName ?? '<none>', 1),
      ],
      extra: { applyDefaults: o => defaultPodTemplate(o) },
    }),
    define({
      group: '',
      version: 'v1',
      kind: 'Event',
      plural: 'events',
      shortNames: ['ev'],
      columns: [
        col('Last Seen', (o, now) =>
          humanAge(
            String(o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp ?? ''),
            now,
          ),
        ),
        col('Type', o => o.type ?? ''),
        col('Reason', o => o.reason ?? ''),
        col('Object', eventObject),
        col('Message', o => o.message ?? ''),
        col('Count', o => o.count ?? 1, 1, 'integer'),
      ],
      eventLike: true,
      storageKey: 'events',
    }),
    define({
      group: 'events.k8s.io',
      version: 'v1',
      kind: 'Event',
      plural: 'events',
      shortNames: ['ev'],
      columns: [
        col('Reason', o => o.reason ?? ''),
        col(
          'Object',
          o =>
            `${String(obj(o.regarding).kind ?? '').toLowerCase()}/${String(obj(o.regarding).name ?? '')}`,
        ),
        col('Note', o => o.note ?? ''),
      ],
      storageKey: 'events',
      extra: { toStorage: coreEventFromEventsV1, fromStorage: eventsV1FromCoreEvent },
    }),
    define({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      plural: 'deployments',
      shortNames: ['deploy'],
      categories: ['all'],
      status: true,
      scale: true,
      generation: true,
      columns: [
        col('Ready', o => `${num(st(o).readyReplicas)}/${num(obj(o.spec).replicas)}`),
        col('Up-to-date', o => num(st(o).updatedReplicas), 0, 'integer'),
        col('Available', o => num(st(o).availableReplicas), 0, 'integer'),
        ...workloadColumns,
      ],
      extra: {
        applyDefaults(o) {
          const spec = obj(o.spec);
          o.spec = spec;
          setDefault(spec, 'replicas', 1);
          setDefault(spec, 'strategy', {
            type: 'RollingUpdate',
            rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
          });
          setDefault(spec, 'revisionHistoryLimit', 10);
          setDefault(spec, 'progressDeadlineSeconds', 600);
          defaultPodTemplate(spec.template);
        },
        validate: (o, old) => [
          ...validateName(o.metadata.name, false),
          ...validateWorkload(o, old),
        ],
      },
    }),
    define({
      group: 'apps',
      version: 'v1',
      kind: 'ReplicaSet',
      plural: 'replicasets',
      shortNames: ['rs'],
      categories: ['all'],
      status: true,
      scale: true,
      generation: true,
      columns: [
        col('Desired', o => num(obj(o.spec).replicas), 0, 'integer'),
        col('Current', o => num(st(o).replicas), 0, 'integer'),
        col('Ready', o => num(st(o).readyReplicas), 0, 'integer'),
        ...workloadColumns,
      ],
      extra: {
        applyDefaults: o => defaultPodTemplate(obj(o.spec).template),
        validate: validateWorkload,
      },
    }),
    define({
      group: 'apps',
      version: 'v1',
      kind: 'DaemonSet',
      plural: 'daemonsets',
      shortNames: ['ds'],
      categories: ['all'],
      status: true,
      generation: true,
      columns: [
        col('Desired', o => num(st(o).desiredNumberScheduled), 0, 'integer'),
        col('Current', o => num(st(o).currentNumberScheduled), 0, 'integer'),
        col('Ready', o => num(st(o).numberReady), 0, 'integer'),
        ...workloadColumns,
      ],
      extra: {
        applyDefaults: o => defaultPodTemplate(obj(o.spec).template),
        validate: validateWorkload,
      },
    }),
    define({
      group: 'autoscaling',
      version: 'v2',
      kind: 'HorizontalPodAutoscaler',
      plural: 'horizontalpodautoscalers',
      shortNames: ['hpa'],
      categories: ['all'],
      status: true,
      generation: true,
      columns: [
        col(
          'Reference',
          o =>
            `${String(obj(obj(o.spec).scaleTargetRef).kind ?? '')}/${String(obj(obj(o.spec).scaleTargetRef).name ?? '')}`,
        ),
        col('MinPods', o => obj(o.spec).minReplicas ?? 1, 0, 'integer'),
        col('MaxPods', o => obj(o.spec).maxReplicas ?? 0, 0, 'integer'),
        col('Replicas', o => num(st(o).currentReplicas), 0, 'integer'),
      ],
    }),
    define({
      group: 'coordination.k8s.io',
      version: 'v1',
      kind: 'Lease',
      plural: 'leases',
      columns: [col('Holder', o => obj(o.spec).holderIdentity ?? '')],
    }),
    define({
      group: 'policy',
      version: 'v1',
      kind: 'PodDisruptionBudget',
      plural: 'poddisruptionbudgets',
      shortNames: ['pdb'],
      status: true,
      generation: true,
    }),
    define({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles' }),
    define({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      kind: 'RoleBinding',
      plural: 'rolebindings',
    }),
    define({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      kind: 'ClusterRole',
      plural: 'clusterroles',
      namespaced: false,
    }),
    define({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      kind: 'ClusterRoleBinding',
      plural: 'clusterrolebindings',
      namespaced: false,
    }),
    define({
      group: 'apiextensions.k8s.io',
      version: 'v1',
      kind: 'CustomResourceDefinition',
      plural: 'customresourcedefinitions',
      shortNames: ['crd', 'crds'],
      namespaced: false,
      status: true,
      generation: true,
      columns: [
        {
          name: 'Created At',
          type: 'date',
          priority: 0,
          cell: o => o.metadata.creationTimestamp ?? '',
        },
      ],
    }),
  ];
  for (const t of types) registry.register(t);
}
