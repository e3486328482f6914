// The contract a mesh router offers the engine: pure functions from (canary, live objects) to
// plans. The executor fetches the live objects and applies the plans; no client lives here.
import type { Canary } from '../api/types.js';
import type { RouteWeights, SetRoutesOptions } from './istio/routes.js';
import type { SessionAffinityCookies } from './istio/session-affinity.js';
import type { ObjectPlan } from './kube.js';

export type { RouteWeights, SetRoutesOptions, SessionAffinityCookies };

export interface RouteUpdate<TObject> {
  /** The routing object with the new split, derived from the live one (resourceVersion kept). */
  object: TObject;
  /** Cookie status to persist in the same tick's status write ('' = none). */
  cookies: Required<SessionAffinityCookies>;
}

export interface MeshRouter<TLive, TReconcile, TObject> {
  readonly provider: string;
  /** Create/update decisions for the routing objects (drift correction, every tick). */
  reconcile(
    canary: Canary,
    live: TLive,
    options?: SetRoutesOptions & { weights?: RouteWeights },
  ): TReconcile;
  /** Current split (GetRoutes); throws RouterError when the routes are missing. */
  readRoutes(canary: Canary, live: TLive): RouteWeights;
  /** New split (SetRoutes); throws RouterError when the routing object is missing. */
  setRoutes(
    canary: Canary,
    live: TLive,
    weights: RouteWeights,
    options?: SetRoutesOptions,
  ): RouteUpdate<TObject>;
  /** Revert on deletion (revertOnDeletion). */
  finalize(canary: Canary, live: TLive): ObjectPlan<TObject>;
}
