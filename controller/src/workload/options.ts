// Process-wide workload settings (Flagger's -selector-labels, -include-label-prefix and
// -enable-config-tracking flags).
export interface WorkloadOptions {
  /** The first of these present in the target's `spec.selector.matchLabels` is the selector label. */
  selectorLabels: readonly string[];
  /**
   * Label/annotation key prefixes copied from the target Deployment to the primary objects;
   * `*` copies all. Empty (the default): only the selector label.
   */
  includeLabelPrefix: readonly string[];
  /** Track referenced ConfigMaps/Secrets (default true). */
  configTracking: boolean;
}

export const DEFAULT_SELECTOR_LABELS: readonly string[] = ['app', 'name', 'app.kubernetes.io/name'];

export const DEFAULT_WORKLOAD_OPTIONS: WorkloadOptions = {
  selectorLabels: DEFAULT_SELECTOR_LABELS,
  includeLabelPrefix: [],
  configTracking: true,
};

/** Settings as given on the command line: lists may be comma-separated strings. */
export interface WorkloadOptionsInput {
  selectorLabels?: readonly string[] | string;
  includeLabelPrefix?: readonly string[] | string;
  configTracking?: boolean;
}

/** Fills defaults; list flags may be given comma-separated, as on Flagger's command line. */
export function workloadOptions(input: WorkloadOptionsInput = {}): WorkloadOptions {
  const list = (value: readonly string[] | string | undefined, fallback: readonly string[]) => {
    if (value === undefined) return fallback;
    const items = typeof value === 'string' ? value.split(',') : value;
    return items.map(s => s.trim()).filter(Boolean);
  };
  return {
    selectorLabels: list(input.selectorLabels, DEFAULT_SELECTOR_LABELS),
    includeLabelPrefix: list(input.includeLabelPrefix, []),
    configTracking: input.configTracking ?? true,
  };
}
