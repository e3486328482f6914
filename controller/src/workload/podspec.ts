// Pod spec rewrites for the primary copy: tracked config references renamed to `-primary`, and
// scheduling selectors that pick the target's own pods pointed at the primary's pods.
import { clone } from '../router/equality.js';
import type { Container, LabelSelector, PodSpec } from './types.js';

const suffixed = (name: string) => `${name}-primary`;

/** Renames references to tracked configs (`configmap/<name>`, `secret/<name>` in `tracked`). */
export function renameConfigRefs(spec: PodSpec, tracked: ReadonlySet<string>): PodSpec {
  const out = clone(spec);
  const rename = <T extends object, K extends keyof T>(
    holder: T | undefined,
    field: K,
    kind: 'configmap' | 'secret',
  ) => {
    const name = holder?.[field];
    if (holder && typeof name === 'string' && tracked.has(`${kind}/${name}`)) {
      holder[field] = suffixed(name) as T[K];
    }
  };
  const containers: Container[] = [...(out.initContainers ?? []), ...out.containers];
  for (const container of containers) {
    for (const env of container.env ?? []) {
      rename(env.valueFrom?.configMapKeyRef, 'name', 'configmap');
      rename(env.valueFrom?.secretKeyRef, 'name', 'secret');
    }
    for (const source of container.envFrom ?? []) {
      rename(source.configMapRef, 'name', 'configmap');
      rename(source.secretRef, 'name', 'secret');
    }
  }
  for (const volume of out.volumes ?? []) {
    rename(volume.configMap, 'name', 'configmap');
    rename(volume.secret, 'secretName', 'secret');
    for (const source of volume.projected?.sources ?? []) {
      rename(source.configMap, 'name', 'configmap');
      rename(source.secret, 'name', 'secret');
    }
  }
  return out;
}

function retarget(selector: LabelSelector | undefined, label: string, from: string, to: string) {
  if (!selector) return;
  if (selector.matchLabels?.[label] === from) selector.matchLabels[label] = to;
  for (const expr of selector.matchExpressions ?? []) {
    if (expr.key === label && expr.operator === 'In' && expr.values) {
      expr.values = expr.values.map(v => (v === from ? to : v));
    }
  }
}

interface AffinityTerm {
  labelSelector?: LabelSelector;
}

interface PodAntiAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: AffinityTerm[];
  preferredDuringSchedulingIgnoredDuringExecution?: Array<{ podAffinityTerm?: AffinityTerm }>;
}

/**
 * Topology spread constraints and pod anti-affinity terms that select the target's pods by
 * the selector label (`label=from`) select the primary's pods instead (`label=to`), so the
 * primary spreads over its own pods as the target did over its.
 */
export function retargetPodSelectors(
  spec: PodSpec,
  label: string,
  from: string,
  to: string,
): PodSpec {
  const out = clone(spec);
  const spread = out.topologySpreadConstraints as
    Array<{ labelSelector?: LabelSelector }> | undefined;
  for (const constraint of spread ?? []) retarget(constraint.labelSelector, label, from, to);
  const anti = (out.affinity as { podAntiAffinity?: PodAntiAffinity } | undefined)?.podAntiAffinity;
  for (const term of anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
    retarget(term.labelSelector, label, from, to);
  }
  for (const weighted of anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    retarget(weighted.podAffinityTerm?.labelSelector, label, from, to);
  }
  return out;
}
