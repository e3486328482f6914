// Config tracking (spec 2.3): the ConfigMaps and Secrets a pod template references, which of
// them count as part of the revision, and their data checksums.
import { createHash } from 'node:crypto';
import type { ObjectMeta } from '../api/meta.js';
import { DEFAULT_WORKLOAD_OPTIONS, type WorkloadOptions } from './options.js';
import { canonicalJson } from './revision.js';
import type {
  ConfigKind,
  ConfigLookup,
  ConfigRef,
  Container,
  Deployment,
  PodSpec,
  TrackedConfig,
} from './types.js';

/** Annotations that opt a ConfigMap/Secret out of tracking (Flagger's is still honoured). */
export const CONFIG_TRACKING_ANNOTATIONS = [
  'aviary.dev/config-tracking',
  'flagger.app/config-tracking',
] as const;

/** Secret types whose data is tracked (service-account tokens, registry auth, ... are not). */
const TRACKED_SECRET_TYPES = new Set([
  'Opaque',
  'kubernetes.io/basic-auth',
  'kubernetes.io/ssh-auth',
  'kubernetes.io/tls',
]);

/** ConfigMaps/Secrets referenced by env valueFrom, envFrom and volumes (incl. projected). */
export function configRefs(spec: PodSpec | undefined): ConfigRef[] {
  const refs = new Map<string, ConfigRef>();
  const add = (kind: ConfigKind, name: string | undefined, optional: boolean | undefined) => {
    if (!name) return;
    const key = `${kind}/${name}`;
    const known = refs.get(key);
    // Optional only when every reference is: one required reference makes it required.
    refs.set(key, { kind, name, optional: (known?.optional ?? true) && optional === true });
  };
  const containers: Container[] = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
  for (const container of containers) {
    for (const env of container.env ?? []) {
      const from = env.valueFrom;
      add('configmap', from?.configMapKeyRef?.name, from?.configMapKeyRef?.optional);
      add('secret', from?.secretKeyRef?.name, from?.secretKeyRef?.optional);
    }
    for (const source of container.envFrom ?? []) {
      add('configmap', source.configMapRef?.name, source.configMapRef?.optional);
      add('secret', source.secretRef?.name, source.secretRef?.optional);
    }
  }
  for (const volume of spec?.volumes ?? []) {
    add('configmap', volume.configMap?.name, volume.configMap?.optional);
    add('secret', volume.secret?.secretName, volume.secret?.optional);
    for (const source of volume.projected?.sources ?? []) {
      add('configmap', source.configMap?.name, source.configMap?.optional);
      add('secret', source.secret?.name, source.secret?.optional);
    }
  }
  return [...refs.values()];
}

/** `aviary.dev/config-tracking` or `flagger.app/config-tracking` starting with `disable`. */
export function isTrackingDisabled(meta: ObjectMeta | undefined): boolean {
  return CONFIG_TRACKING_ANNOTATIONS.some(key =>
    (meta?.annotations?.[key] ?? '').startsWith('disable'),
  );
}

/** First 8 bytes of sha256 over the canonical JSON of the data, as hex. */
export function configChecksum(data: object | undefined): string {
  return createHash('sha256')
    .update(canonicalJson(data ?? {}))
    .digest('hex')
    .slice(0, 16);
}

/**
 * The tracked configs of a Deployment, or why they cannot be resolved: a missing required
 * reference is an error (the pods could not start either); a missing optional one is skipped.
 */
export function trackConfigs(
  dep: Deployment,
  lookup: ConfigLookup,
  options: WorkloadOptions = DEFAULT_WORKLOAD_OPTIONS,
): { configs: TrackedConfig[] } | { error: string } {
  if (!options.configTracking) return { configs: [] };
  const configs: TrackedConfig[] = [];
  for (const ref of configRefs(dep.spec?.template.spec)) {
    if (ref.kind === 'configmap') {
      const object = lookup.configMap(ref.name);
      if (!object) {
        if (ref.optional) continue;
        return { error: missingConfig(dep, ref) };
      }
      if (isTrackingDisabled(object.metadata)) continue;
      const data = object.binaryData
        ? { data: object.data ?? {}, binaryData: object.binaryData }
        : object.data;
      configs.push({ kind: 'configmap', name: ref.name, checksum: configChecksum(data), object });
    } else {
      const object = lookup.secret(ref.name);
      if (!object) {
        if (ref.optional) continue;
        return { error: missingConfig(dep, ref) };
      }
      if (isTrackingDisabled(object.metadata)) continue;
      if (!TRACKED_SECRET_TYPES.has(object.type ?? 'Opaque')) continue;
      configs.push({
        kind: 'secret',
        name: ref.name,
        checksum: configChecksum(object.data),
        object,
      });
    }
  }
  return { configs };
}

function missingConfig(dep: Deployment, ref: ConfigRef): string {
  const ns = dep.metadata?.namespace ?? '';
  return `${ref.kind} ${ref.name}.${ns} not found (referenced by deployment ${dep.metadata?.name ?? ''}.${ns})`;
}

/** `configmap/<name>` / `secret/<name>` → checksum, as in `status.trackedConfigs`. */
export function trackedConfigsStatus(configs: readonly TrackedConfig[]): Record<string, string> {
  return Object.fromEntries(configs.map(c => [`${c.kind}/${c.name}`, c.checksum]));
}

/**
 * Index keys `<namespace>/configmap/<name>` and `<namespace>/secret/<name>` of every config a
 * Deployment references (tracked or not), so a config change finds its Deployments by index.
 */
export function configIndexKeys(dep: Deployment): string[] {
  const ns = dep.metadata?.namespace ?? '';
  return configRefs(dep.spec?.template.spec).map(ref => `${ns}/${ref.kind}/${ref.name}`);
}

/** The index key of a ConfigMap or Secret itself (to look up `configIndexKeys`). */
export function configIndexKey(kind: ConfigKind, namespace: string, name: string): string {
  return `${namespace}/${kind}/${name}`;
}
