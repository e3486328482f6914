// DestinationRules `<apex>-primary` and `<apex>-canary` (spec 3.1): host + the service's traffic
// policy, no subsets. Only host and trafficPolicy are owned; other spec fields are left alone.
import type { Canary } from '../../api/types.js';
import { canaryNamespace, serviceNames } from '../canary.js';
import { clone, semanticEqual } from '../equality.js';
import type { ObjectPlan } from '../kube.js';
import { canaryOwnerReference } from '../kube.js';
import type { DestinationRule } from './types.js';
import { ISTIO_API_VERSION } from './types.js';

export type DestinationRuleRole = 'primary' | 'canary';

export function buildDestinationRule(canary: Canary, role: DestinationRuleRole): DestinationRule {
  const host = serviceNames(canary)[role];
  const rule: DestinationRule = {
    apiVersion: ISTIO_API_VERSION,
    kind: 'DestinationRule',
    metadata: {
      name: host,
      namespace: canaryNamespace(canary),
      ownerReferences: [canaryOwnerReference(canary)],
    },
    spec: { host },
  };
  const policy = canary.spec.service.trafficPolicy;
  if (policy && Object.keys(policy).length > 0) rule.spec.trafficPolicy = clone(policy);
  return rule;
}

export function planDestinationRule(
  canary: Canary,
  role: DestinationRuleRole,
  live: DestinationRule | undefined,
): ObjectPlan<DestinationRule> {
  const desired = buildDestinationRule(canary, role);
  if (!live) return { action: 'create', object: desired };
  const reasons: string[] = [];
  const next = clone(live);
  if (live.spec.host !== desired.spec.host) {
    next.spec.host = desired.spec.host;
    reasons.push('host');
  }
  if (!semanticEqual(live.spec.trafficPolicy, desired.spec.trafficPolicy)) {
    if (desired.spec.trafficPolicy) next.spec.trafficPolicy = desired.spec.trafficPolicy;
    else delete next.spec.trafficPolicy;
    reasons.push('trafficPolicy');
  }
  return reasons.length > 0 ? { action: 'update', object: next, reasons } : { action: 'none' };
}
