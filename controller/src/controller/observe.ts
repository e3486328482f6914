// The engine's Observation of one canary, read from the informer caches only (no API calls):
// target and primary Deployments, tracked configs, the split in the VirtualService, the HPA.
import type { Canary } from '../api/types.js';
import type { Observation, Routes } from '../engine/types.js';
import { istio, serviceNames } from '../router/index.js';
import {
  missingTarget,
  observePrimary,
  observeTarget,
  type ConfigLookup,
  type WorkloadOptions,
} from '../workload/index.js';
import type { Cluster } from './cluster.js';

export function observe(canary: Canary, cluster: Cluster, options: WorkloadOptions): Observation {
  const namespace = canary.metadata.namespace ?? 'default';
  const targetName = canary.spec.targetRef.name;
  const configs: ConfigLookup = {
    configMap: name => cluster.configMaps.get(namespace, name),
    secret: name => cluster.secrets.get(namespace, name),
  };
  const deployment = cluster.deployments.get(namespace, targetName);
  const target = deployment
    ? observeTarget(deployment, configs, options)
    : missingTarget(namespace, targetName);
  const primaryDeployment = cluster.deployments.get(namespace, `${targetName}-primary`);
  const routes = readRoutes(canary, cluster);
  const ref = canary.spec.autoscalerRef;
  const hpa = ref ? cluster.autoscalers.get(namespace, ref.name) : undefined;
  return {
    target,
    ...(primaryDeployment ? { primary: observePrimary(primaryDeployment) } : {}),
    ...(routes ? { routes } : {}),
    ...(hpa
      ? {
          autoscaler:
            hpa.spec?.minReplicas !== undefined ? { minReplicas: hpa.spec.minReplicas } : {},
        }
      : {}),
  };
}

function readRoutes(canary: Canary, cluster: Cluster): Routes | undefined {
  const namespace = canary.metadata.namespace ?? 'default';
  const virtualService = cluster.virtualServices.get(namespace, serviceNames(canary).apex);
  if (!virtualService) return undefined;
  try {
    return istio.istioRouter.readRoutes(canary, { virtualService });
  } catch {
    // No primary/canary routes (yet): the engine treats that like a missing VirtualService.
    return undefined;
  }
}
