// The Istio implementation of MeshRouter, composed from the builders in this folder.
import type { Canary } from '../../api/types.js';
import { canaryNamespace, serviceNames } from '../canary.js';
import type { MeshRouter } from '../interface.js';
import type { ObjectPlan } from '../kube.js';
import { RouterError } from '../kube.js';
import { planDestinationRule } from './destination-rules.js';
import { planVirtualServiceRevert } from './finalize.js';
import { readRoutes, setRoutes } from './routes.js';
import type { DestinationRule, VirtualService } from './types.js';
import { planVirtualService } from './virtual-service.js';
import type { VirtualServicePlan } from './virtual-service.js';

export interface IstioLiveObjects {
  virtualService?: VirtualService;
  canaryDestinationRule?: DestinationRule;
  primaryDestinationRule?: DestinationRule;
}

/** In Flagger's order: canary DR, primary DR, then the VirtualService. */
export interface IstioReconcilePlan {
  canaryDestinationRule: ObjectPlan<DestinationRule>;
  primaryDestinationRule: ObjectPlan<DestinationRule>;
  virtualService: VirtualServicePlan;
}

function requireVirtualService(canary: Canary, live: IstioLiveObjects): VirtualService {
  if (live.virtualService) return live.virtualService;
  const apex = serviceNames(canary).apex;
  throw new RouterError(`VirtualService ${apex}.${canaryNamespace(canary)} not found`);
}

export const istioRouter: MeshRouter<IstioLiveObjects, IstioReconcilePlan, VirtualService> = {
  provider: 'istio',
  reconcile: (canary, live, options) => ({
    canaryDestinationRule: planDestinationRule(canary, 'canary', live.canaryDestinationRule),
    primaryDestinationRule: planDestinationRule(canary, 'primary', live.primaryDestinationRule),
    virtualService: planVirtualService(canary, live.virtualService, options),
  }),
  readRoutes: (canary, live) =>
    readRoutes(requireVirtualService(canary, live), serviceNames(canary)),
  setRoutes: (canary, live, weights, options) => {
    const result = setRoutes(requireVirtualService(canary, live), canary, weights, options);
    return { object: result.virtualService, cookies: result.cookies };
  },
  finalize: (canary, live) => planVirtualServiceRevert(canary, live.virtualService),
};
