/**
 * Discovery documents (`/api`, `/apis`, per-group resource lists) and the OpenAPI v3 index that
 * kubectl reads to learn that the server validates fields itself (`fieldValidation`).
 */
import type { ResourceRegistry, ResourceType } from './resources.js';
import { apiVersionOf } from './resources.js';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const KUBE_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-aviary-emulator',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-22T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function apiVersions(address: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: address }],
  };
}

function apiGroup(registry: ResourceRegistry, group: string) {
  const versions = registry
    .versionsOf(group)
    .map(v => ({ groupVersion: apiVersionOf(group, v), version: v }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(registry: ResourceRegistry) {
  const groups = registry
    .groups()
    .filter(g => g !== '')
    .sort();
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(g => apiGroup(registry, g)) };
}

export function apiGroupDoc(registry: ResourceRegistry, group: string) {
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(registry, group) };
}

function typesServing(registry: ResourceRegistry, group: string, version: string): ResourceType[] {
  return registry.typesOf(group).filter(t => t.versions.some(v => v.name === version && v.served));
}

export function resourceList(registry: ResourceRegistry, group: string, version: string) {
  const resources: Array<Record<string, unknown>> = [];
  for (const t of typesServing(registry, group, version)) {
    const info = t.versions.find(v => v.name === version);
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: VERBS,
      ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
      ...(t.categories.length ? { categories: t.categories } : {}),
    });
    if (info?.status)
      resources.push({
        name: `${t.plural}/status`,
        singularName: '',
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: ['get', 'patch', 'update'],
      });
    if (info?.scale)
      resources.push({
        name: `${t.plural}/scale`,
        singularName: '',
        namespaced: t.namespaced,
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'patch', 'update'],
      });
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf(group, version),
    resources,
  };
}

function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

export function openApiV3Root(registry: ResourceRegistry) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const group of registry.groups()) {
    for (const version of registry.versionsOf(group)) {
      const p = groupVersionPath(group, version);
      const hash = typesServing(registry, group, version)
        .map(t => t.plural)
        .join('.')
        .length.toString(16);
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
    }
  }
  return { paths };
}

/** A minimal OpenAPI v3 document per group-version: operations with their query parameters. */
export function openApiV3Doc(registry: ResourceRegistry, group: string, version: string) {
  const paths: Record<string, unknown> = {};
  const param = (name: string) => ({
    name,
    in: 'query',
    schema: { type: 'string', uniqueItems: true },
  });
  for (const t of typesServing(registry, group, version)) {
    const base = `/${groupVersionPath(group, version)}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.plural}`;
    const gvk = { group, version, kind: t.kind };
    const op = (action: string) => ({
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      parameters: [param('dryRun'), param('fieldManager'), param('fieldValidation')],
      responses: { '200': { description: 'OK' } },
    });
    paths[base] = {
      post: op('post'),
      get: { ...op('list'), parameters: [param('labelSelector'), param('fieldSelector')] },
    };
    paths[`${base}/{name}`] = {
      get: op('get'),
      put: op('put'),
      patch: op('patch'),
      delete: op('delete'),
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: KUBE_VERSION.gitVersion },
    paths,
    components: { schemas: {} },
  };
}
