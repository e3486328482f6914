// The resources the controller reads and writes, and how their REST paths are built.
import { CANARY_KIND, CANARY_PLURAL, GROUP, VERSION } from '../api/names.js';
import type { KubeObject, ResourceType } from './types.js';

const core = (plural: string, kind: string, namespaced = true): ResourceType => ({
  group: '',
  version: 'v1',
  plural,
  kind,
  namespaced,
});

export const NAMESPACES = core('namespaces', 'Namespace', false);
export const CONFIGMAPS = core('configmaps', 'ConfigMap');
export const SECRETS = core('secrets', 'Secret');
export const SERVICES = core('services', 'Service');
export const EVENTS = core('events', 'Event');
export const DEPLOYMENTS: ResourceType = {
  group: 'apps',
  version: 'v1',
  plural: 'deployments',
  kind: 'Deployment',
  namespaced: true,
};
export const HORIZONTAL_POD_AUTOSCALERS: ResourceType = {
  group: 'autoscaling',
  version: 'v2',
  plural: 'horizontalpodautoscalers',
  kind: 'HorizontalPodAutoscaler',
  namespaced: true,
};
export const LEASES: ResourceType = {
  group: 'coordination.k8s.io',
  version: 'v1',
  plural: 'leases',
  kind: 'Lease',
  namespaced: true,
};
export const CANARIES: ResourceType = {
  group: GROUP,
  version: VERSION,
  plural: CANARY_PLURAL,
  kind: CANARY_KIND,
  namespaced: true,
};
export const METRIC_TEMPLATES: ResourceType = {
  group: GROUP,
  version: VERSION,
  plural: 'metrictemplates',
  kind: 'MetricTemplate',
  namespaced: true,
};
export const ALERT_PROVIDERS: ResourceType = {
  group: GROUP,
  version: VERSION,
  plural: 'alertproviders',
  kind: 'AlertProvider',
  namespaced: true,
};
export const VIRTUAL_SERVICES: ResourceType = {
  group: 'networking.istio.io',
  version: 'v1beta1',
  plural: 'virtualservices',
  kind: 'VirtualService',
  namespaced: true,
};
export const DESTINATION_RULES: ResourceType = {
  group: 'networking.istio.io',
  version: 'v1beta1',
  plural: 'destinationrules',
  kind: 'DestinationRule',
  namespaced: true,
};

/** `v1` for core, `<group>/<version>` otherwise. */
export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/**
 * REST path of a collection (no name) or of one object; `namespace` is ignored for
 * cluster-scoped resources and optional for a cross-namespace collection.
 */
export function resourcePath(
  type: ResourceType,
  namespace?: string,
  name?: string,
  subresource?: string,
): string {
  const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  const ns = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const obj = name ? `/${encodeURIComponent(name)}` : '';
  const sub = name && subresource ? `/${subresource}` : '';
  return `${base}${ns}/${type.plural}${obj}${sub}`;
}

/** `<namespace>/<name>` (or `<name>` when cluster scoped): the key caches and queues use. */
export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}
