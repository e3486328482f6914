// Catalog annotations that connect an entity to its canaries and its alert channel.

/** `[<cluster>:]<namespace>/<name>[,...]`: the canaries that roll out this entity. */
export const CANARY_ANNOTATION = 'aviary.dev/canary';

/** Key of a channel under `canary.alertChannels` in app-config that hears about this entity. */
export const ALERT_CHANNEL_ANNOTATION = 'aviary.dev/alert-channel';

/** One canary named by the annotation. `cluster` is absent when the annotation omits it. */
export interface CanaryAnnotationRef {
  cluster?: string;
  namespace: string;
  name: string;
}

export type AnnotationParseResult =
  { ok: true; refs: CanaryAnnotationRef[] } | { ok: false; error: string };

// Kubernetes names: DNS-1123 labels for namespaces, subdomains for object names.
const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const CLUSTER = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * Parses the value of `aviary.dev/canary`. Every entry must be valid, so a typo is reported instead of
 * silently showing fewer canaries; the message names the entry and what is wrong with it.
 */
export function parseCanaryAnnotation(value: string | undefined): AnnotationParseResult {
  if (value === undefined || value.trim() === '') {
    return { ok: false, error: `annotation ${CANARY_ANNOTATION} is empty` };
  }
  const refs: CanaryAnnotationRef[] = [];
  const seen = new Set<string>();
  for (const raw of value.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const colon = entry.indexOf(':');
    const cluster = colon >= 0 ? entry.slice(0, colon) : undefined;
    const rest = colon >= 0 ? entry.slice(colon + 1) : entry;
    const parts = rest.split('/');
    if (parts.length !== 2) {
      return {
        ok: false,
        error: `"${entry}" in ${CANARY_ANNOTATION} must look like [cluster:]namespace/name`,
      };
    }
    const [namespace, name] = parts as [string, string];
    if (cluster !== undefined && !CLUSTER.test(cluster)) {
      return { ok: false, error: `"${entry}": "${cluster}" is not a valid cluster name` };
    }
    if (!LABEL.test(namespace)) {
      return { ok: false, error: `"${entry}": "${namespace}" is not a valid namespace` };
    }
    if (!SUBDOMAIN.test(name)) {
      return { ok: false, error: `"${entry}": "${name}" is not a valid canary name` };
    }
    const key = `${cluster ?? ''}:${namespace}/${name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    refs.push(cluster === undefined ? { namespace, name } : { cluster, namespace, name });
  }
  if (refs.length === 0) {
    return { ok: false, error: `annotation ${CANARY_ANNOTATION} names no canary` };
  }
  return { ok: true, refs };
}

/** `cluster:namespace/name`, the stable key of a canary across the plugins. */
export function canaryKey(ref: { cluster: string; namespace: string; name: string }): string {
  return `${ref.cluster}:${ref.namespace}/${ref.name}`;
}
