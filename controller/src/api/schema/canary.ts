// The Canary custom resource: Flagger's flagger.app/v1beta1 Canary under aviary.dev/v1beta1.
import { CANARY_KIND, CANARY_PLURAL, CANARY_SINGULAR } from '../names.js';
import { bool, int, obj, str, strEnum, stringMap } from './build.js';
import { canaryAnalysis } from './canary-analysis.js';
import { canaryService } from './canary-service.js';
import { canaryStatus, manualActionKinds } from './canary-status.js';
import { rootSchema, type CrdDefinition } from './common.js';
import type { SchemaNode } from './node.js';

const IGNORED = 'Accepted for Flagger compatibility and ignored by Aviary (Istio only).';

export const providers = [
  'apisix',
  'appmesh',
  'appmesh:v1beta2',
  'contour',
  'gatewayapi:v1',
  'gatewayapi:v1beta1',
  'gloo',
  'istio',
  'knative',
  'kubernetes',
  'kuma',
  'linkerd',
  'nginx',
  'osm',
  'skipper',
  'smi:v1alpha1',
  'smi:v1alpha2',
  'smi:v1alpha3',
  'traefik',
];

function ref(description: string, kinds: string[], tsName: string, namespaced = false): SchemaNode {
  const properties: Record<string, SchemaNode> = {
    apiVersion: str('API version of the referenced object, e.g. apps/v1.'),
    kind: strEnum('Kind of the referenced object.', kinds),
    name: str('Name of the referenced object, in the Canary\u2019s namespace.'),
  };
  if (namespaced) properties.namespace = str('Namespace of the referenced object.');
  return obj(description, properties, { required: ['apiVersion', 'kind', 'name'], tsName });
}

export const manualActionRequest: SchemaNode = obj(
  'A manual action requested by a person or tool (kubectl patch --type merge, the HTTP API, the CLI). The controller handles each id once and acknowledges it in status.manualAction.',
  {
    id: str(
      'Unique id of this request (e.g. a UUID). A request whose id equals status.manualAction.id has already been handled.',
      { minLength: 1 },
    ),
    action: strEnum(
      'promote: skip the remaining steps and promote (the primary must still become ready); abort: roll back now; retry: analyse a Failed revision again; pause: freeze weights, iterations and the analysis clocks; resume: continue a paused analysis.',
      manualActionKinds,
      { tsName: 'ManualActionKind' },
    ),
    revision: str(
      'The status.lastAppliedSpec the request is for; a request for another revision is refused, never applied to a newer one.',
      { minLength: 1 },
    ),
    requestedBy: str('Who asked, e.g. an e-mail address or a service account.', {
      minLength: 1,
    }),
    reason: str('Why; shown in the events and in the acknowledgement.'),
    requestedAt: str('When the request was made (RFC 3339).', { format: 'date-time' }),
  },
  { required: ['id', 'action', 'revision', 'requestedBy'], tsName: 'CanaryManualAction' },
);

export const canarySpec: SchemaNode = obj(
  'Desired behaviour of the canary.',
  {
    provider: strEnum(
      'Traffic provider. Aviary routes with Istio only: empty or istio; any other value is a validation problem.',
      providers,
      { tsName: 'CanaryProvider' },
    ),
    metricsServer: str(
      'Prometheus URL for the built-in metrics and inline queries of this canary. Default: the controller\u2019s --metrics-server.',
    ),
    targetRef: ref(
      'The workload to release. Aviary supports kind Deployment; it becomes the canary and is copied to <name>-primary.',
      ['Deployment', 'DaemonSet', 'Service'],
      'CanaryTargetRef',
    ),
    autoscalerRef: obj(
      'Autoscaler of the target; Aviary clones it as <name>-primary for the primary Deployment.',
      {
        apiVersion: str('API version of the autoscaler, e.g. autoscaling/v2.'),
        kind: strEnum('Kind of the autoscaler.', ['HorizontalPodAutoscaler', 'ScaledObject']),
        name: str('Name of the autoscaler, in the Canary\u2019s namespace.'),
        primaryScalerQueries: stringMap(
          'KEDA ScaledObject only: replacement trigger queries for the primary scaler, keyed by trigger name.',
          'Query for the primary.',
        ),
        primaryScalerReplicas: obj(
          'Overrides of the replica bounds of the primary autoscaler.',
          {
            minReplicas: int('Minimum replicas of the primary.', { minimum: 1 }),
            maxReplicas: int('Maximum replicas of the primary.', { minimum: 1 }),
          },
          { tsName: 'CanaryScalerReplicas' },
        ),
      },
      { required: ['apiVersion', 'kind', 'name'], tsName: 'CanaryAutoscalerRef' },
    ),
    ingressRef: ref(`NGINX Ingress reference. ${IGNORED}`, ['Ingress'], 'CanaryIngressRef'),
    routeRef: ref(`APISIX route reference. ${IGNORED}`, ['ApisixRoute'], 'CanaryRouteRef'),
    upstreamRef: ref(
      `Gloo Upstream reference. ${IGNORED}`,
      ['Upstream'],
      'CanaryUpstreamRef',
      true,
    ),
    service: canaryService,
    analysis: canaryAnalysis,
    canaryAnalysis: {
      ...canaryAnalysis,
      description:
        'Deprecated alias of analysis, accepted for old Flagger manifests; analysis wins when both are set.',
    },
    progressDeadlineSeconds: int(
      'Seconds a primary or canary Deployment may stay unavailable before the run fails without retry. Default: 600.',
      { minimum: 0 },
    ),
    skipAnalysis: bool(
      'Promote new revisions without analysis (the canary must still become ready). Default: false.',
    ),
    revertOnDeletion: bool(
      'On deletion of the Canary, restore the target Deployment and the pre-existing Service and VirtualService (adds a finalizer). Default: false.',
    ),
    suspend: bool(
      'Pause all runs of this canary; an analysis in flight is frozen. Default: false.',
    ),
    manualAction: manualActionRequest,
  },
  { required: ['targetRef', 'service'], tsName: 'CanarySpec' },
);

export const canaryCrd: CrdDefinition = {
  kind: CANARY_KIND,
  listKind: 'CanaryList',
  plural: CANARY_PLURAL,
  singular: CANARY_SINGULAR,
  categories: ['all'],
  file: 'canaries.yaml',
  printerColumns: [
    {
      name: 'Status',
      type: 'string',
      jsonPath: '.status.phase',
      description: 'Phase of the canary run.',
    },
    {
      name: 'Weight',
      type: 'integer',
      jsonPath: '.status.canaryWeight',
      description: 'Canary traffic weight.',
    },
    {
      name: 'FailedChecks',
      type: 'integer',
      jsonPath: '.status.failedChecks',
      description: 'Failed checks.',
    },
    {
      name: 'Suspended',
      type: 'boolean',
      jsonPath: '.spec.suspend',
      description: 'Runs paused.',
      priority: 1,
    },
    {
      name: 'Interval',
      type: 'string',
      jsonPath: '.spec.analysis.interval',
      description: 'Tick interval.',
      priority: 1,
    },
    {
      name: 'Mirror',
      type: 'boolean',
      jsonPath: '.spec.analysis.mirror',
      description: 'Traffic mirroring.',
      priority: 1,
    },
    {
      name: 'StepWeight',
      type: 'integer',
      jsonPath: '.spec.analysis.stepWeight',
      description: 'Weight step.',
      priority: 1,
    },
    {
      name: 'StepWeights',
      type: 'string',
      jsonPath: '.spec.analysis.stepWeights',
      description: 'Weight ladder.',
      priority: 1,
    },
    {
      name: 'MaxWeight',
      type: 'integer',
      jsonPath: '.spec.analysis.maxWeight',
      description: 'Promotion weight.',
      priority: 1,
    },
    {
      name: 'LastTransitionTime',
      type: 'string',
      jsonPath: '.status.lastTransitionTime',
      description: 'Last status write.',
    },
  ],
  schema: rootSchema(
    'A Canary automates the release of a Deployment: it creates a primary copy, shifts traffic to the new revision in steps while checking metrics, then promotes or rolls back.',
    'Canary',
    { spec: canarySpec, status: canaryStatus },
  ),
};
