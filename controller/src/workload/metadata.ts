// Which labels and annotations of the user's objects are copied to the primary objects.
import type { WorkloadOptions } from './options.js';

/** Never copied: they belong to the object they are on (Flux inventory, kubectl, the rollout). */
function foreign(key: string): boolean {
  return (
    key.includes('toolkit.fluxcd.io') ||
    key === 'kubectl.kubernetes.io/last-applied-configuration' ||
    key === 'deployment.kubernetes.io/revision' ||
    key === 'aviary.dev/managed-metadata'
  );
}

/** Labels whose key starts with one of `-include-label-prefix` (`*`: all). */
export function includedLabels(
  labels: Record<string, string> | undefined,
  options: WorkloadOptions,
): Record<string, string> {
  const prefixes = options.includeLabelPrefix;
  const all = prefixes.includes('*');
  return Object.fromEntries(
    Object.entries(labels ?? {}).filter(
      ([key]) => !foreign(key) && (all || prefixes.some(p => key.startsWith(p))),
    ),
  );
}

/** Annotations copied as Flagger does: all but Flux's (and those bound to the source object). */
export function copiedAnnotations(
  annotations: Record<string, string> | undefined,
): Record<string, string> {
  return Object.fromEntries(Object.entries(annotations ?? {}).filter(([key]) => !foreign(key)));
}
