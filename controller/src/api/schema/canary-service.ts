// spec.service: how the apex/primary/canary Services, DestinationRules and VirtualService look.
import {
  arr,
  bool,
  describe,
  duration,
  int,
  obj,
  openObj,
  str,
  strEnum,
  stringMap,
} from './build.js';
import {
  canaryRewrite,
  istioCorsPolicy,
  istioHeaders,
  istioHttpMatchRequest,
  istioRetries,
  istioTrafficPolicy,
} from './istio.js';
import type { SchemaNode } from './node.js';

const IGNORED = 'Accepted for Flagger compatibility and ignored by Aviary (Istio only).';

const customMetadata: SchemaNode = obj(
  'Extra labels and annotations for a generated object.',
  {
    labels: stringMap('Labels to add.', 'Label value.'),
    annotations: stringMap('Annotations to add.', 'Annotation value.'),
  },
  { tsName: 'CanaryCustomMetadata' },
);

export const canaryService: SchemaNode = obj(
  'How Aviary exposes the workload: the ClusterIP Services <apex>, <apex>-primary and <apex>-canary, the DestinationRules <apex>-primary and <apex>-canary and the VirtualService <apex>.',
  {
    name: str(
      'Name of the apex Service and of the VirtualService. Default: spec.targetRef.name. Renaming it leaves the old objects behind.',
    ),
    port: int('Port of the three generated ClusterIP Services.', { minimum: 1, maximum: 65535 }),
    portName: str('Name of the first Service port. Default: http.'),
    targetPort: {
      'x-kubernetes-int-or-string': true,
      description:
        'Container port (number or name) the Services forward to. Default: spec.service.port.',
    },
    appProtocol: str(
      'appProtocol of the Service port. The value tcp (any case) switches the VirtualService to TCP routes.',
    ),
    trafficDistribution: strEnum(
      'Traffic distribution preference copied to the generated Services.',
      ['PreferClose', 'PreferSameZone', 'PreferSameNode'],
    ),
    portDiscovery: bool(
      'Also expose every other container port of the target (except the istio-proxy and envoy sidecars); unnamed ports are called tcp-<container>-<index>. Default: false.',
    ),
    headless: bool('Generate headless Services (clusterIP: None). Default: false.'),
    timeout: duration('Request timeout of every generated HTTP route, e.g. 30s.'),
    retries: istioRetries,
    headers: istioHeaders,
    corsPolicy: istioCorsPolicy,
    match: arr(
      'Base match conditions of every generated route; in TCP mode their ports become L4 matches.',
      istioHttpMatchRequest,
    ),
    rewrite: canaryRewrite,
    gateways: arr(
      'Istio Gateways of the VirtualService. Default: [mesh] (mesh is only added when the list is empty).',
      str('Gateway name, <namespace>/<name>, or mesh.'),
    ),
    hosts: arr(
      'Hosts of the VirtualService. The apex name is always appended unless the list contains it or *.',
      str('Host name.'),
    ),
    delegation: bool(
      'Generate a delegate VirtualService (no hosts, no gateways) for use from a root VirtualService. Setting hosts or gateways as well is a validation problem. Default: false.',
    ),
    trafficPolicy: istioTrafficPolicy,
    apex: describe(customMetadata, 'Extra metadata for the apex Service and the VirtualService.'),
    primary: describe(customMetadata, 'Extra metadata for the <apex>-primary Service.'),
    canary: describe(customMetadata, 'Extra metadata for the <apex>-canary Service.'),
    unmanagedMetadata: obj(
      'Label and annotation keys that other tools own on the generated Services; Aviary leaves them as found.',
      {
        labels: arr('Label keys to leave alone.', str('Label key.')),
        annotations: arr('Annotation keys to leave alone.', str('Annotation key.')),
      },
      { tsName: 'CanaryUnmanagedMetadata' },
    ),
    mirror: arr(
      `Gateway API request mirroring. ${IGNORED}`,
      openObj('Gateway API HTTPRequestMirrorFilter.'),
    ),
    gatewayRefs: arr(
      `Gateway API parent Gateways. ${IGNORED}`,
      openObj('Gateway API ParentReference.'),
    ),
    backendTimeout: str(`Gateway API backend request timeout. ${IGNORED}`),
    meshName: str(`App Mesh mesh name. ${IGNORED}`),
    backends: arr(`App Mesh backends. ${IGNORED}`, str('Backend name.')),
  },
  { required: ['port'], tsName: 'CanaryService' },
);
