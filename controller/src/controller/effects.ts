// The engine's effects, applied to the cluster: routing objects through the router's pure plans,
// workloads through the workload module, all idempotent (absolute targets), so a tick cut short
// and run again converges to the same state.
import type { Canary, CanaryStatus } from '../api/types.js';
import { FINALIZER } from '../engine/index.js';
import type { Effect } from '../engine/types.js';
import {
  CANARIES,
  DESTINATION_RULES,
  SERVICES,
  VIRTUAL_SERVICES,
  isConflict,
  type ObjectWriter,
} from '../kube/index.js';
import {
  RouterError,
  discoverPorts,
  istio,
  planApexServiceRevert,
  planService,
  semanticEqual,
  serviceNames,
  type ServiceRole,
  type TargetSelector,
} from '../router/index.js';
import type { VirtualService } from '../router/istio/types.js';
import {
  WorkloadError,
  copyTargetToPrimary,
  ensurePrimary,
  ensurePrimaryAutoscaler,
  scaleTarget,
  selectorLabelOf,
  type WorkloadContext,
  type WorkloadOptions,
} from '../workload/index.js';
import type { Cluster } from './cluster.js';
import type { ControllerLogger } from './log.js';
import { converge } from './objects.js';

/** The Canary moved past the version the tick read: abandon the tick and run it again. */
export class CanaryChanged extends Error {
  override readonly name = 'CanaryChanged';
  constructor() {
    super('canary changed during the tick');
  }
}

export interface EffectContext {
  /** The Canary as the tick read it. */
  canary: Canary;
  /** The status the tick is about to commit (its cookies are the ones to route with). */
  nextStatus: CanaryStatus;
  cluster: Cluster;
  writer: ObjectWriter;
  workload: WorkloadContext;
  workloadOptions: WorkloadOptions;
  log: ControllerLogger;
  /** Set when a write to the Canary itself moved its resourceVersion within this tick. */
  resourceVersion?: string;
}

export async function applyEffect(ctx: EffectContext, effect: Effect): Promise<void> {
  const { canary } = ctx;
  const namespace = canary.metadata.namespace ?? 'default';
  switch (effect.type) {
    case 'addFinalizer':
    case 'removeFinalizer':
      return setFinalizer(ctx, effect.type === 'addFinalizer');
    case 'ensureServices':
      for (const role of ['canary', 'primary'] as const) await ensureService(ctx, role);
      return;
    case 'ensureApexService':
      return ensureService(ctx, 'apex');
    case 'ensurePrimary':
      return report(ctx, await ensurePrimary(ctx.workload, canary, effect.revision));
    case 'copyTargetToPrimary':
      return report(ctx, await copyTargetToPrimary(ctx.workload, canary, effect.revision));
    case 'ensurePrimaryAutoscaler':
      return report(ctx, await ensurePrimaryAutoscaler(ctx.workload, canary, effect.mode));
    case 'scaleTarget':
      return report(ctx, await scaleTarget(ctx.workload, canary, effect.replicas));
    case 'setTargetScalerPaused':
      // Only emitted for KEDA ScaledObjects, which the workload module does not manage yet.
      ctx.log.warn('KEDA ScaledObject pause/resume is not supported; skipped', {
        paused: effect.paused,
      });
      return;
    case 'ensureRouting':
      return ensureRouting(ctx, effect.routes);
    case 'setRoutes': {
      const cookies = effect.cookies ?? cookiesOf(ctx.nextStatus);
      await convergeVirtualService(ctx, live => {
        if (!live) {
          throw new RouterError(
            `VirtualService ${serviceNames(canary).apex}.${namespace} not found`,
          );
        }
        const { object } = istio.istioRouter.setRoutes(
          canary,
          { virtualService: live },
          effect.routes,
          { cookies },
        );
        return semanticEqual(object.spec, live.spec)
          ? { action: 'none' }
          : { action: 'update', object, reasons: ['routes'] };
      });
      return;
    }
    case 'revertApexService': {
      const selector = selectorOf(ctx);
      await converge(
        { writer: ctx.writer, cache: ctx.cluster.services, type: SERVICES },
        namespace,
        serviceNames(canary).apex,
        live => planApexServiceRevert(canary, selector, live),
      );
      return;
    }
    case 'revertRouting':
      await convergeVirtualService(
        ctx,
        live => istio.istioRouter.finalize(canary, live ? { virtualService: live } : {}),
        warning => ctx.log.warn(warning),
      );
      return;
    default: {
      const unknown: never = effect;
      throw new Error(`unknown effect ${JSON.stringify(unknown)}`);
    }
  }
}

function cookiesOf(status: CanaryStatus) {
  return {
    sessionAffinityCookie: status.sessionAffinityCookie ?? '',
    primarySessionAffinityCookie: status.primarySessionAffinityCookie ?? '',
    previousSessionAffinityCookie: status.previousSessionAffinityCookie ?? '',
  };
}

function report(ctx: EffectContext, result: { changes: string[]; warnings: string[] }): void {
  for (const change of result.changes) ctx.log.info(change);
  for (const warning of result.warnings) ctx.log.warn(warning);
}

/** The target's selector label (and discovered ports): what the Services select on. */
function selectorOf(ctx: EffectContext): TargetSelector {
  const { canary, cluster } = ctx;
  const namespace = canary.metadata.namespace ?? 'default';
  const target = cluster.deployments.get(namespace, canary.spec.targetRef.name);
  if (!target) {
    throw new WorkloadError(`deployment ${canary.spec.targetRef.name}.${namespace} not found`);
  }
  const selector = selectorLabelOf(target, ctx.workloadOptions);
  if ('error' in selector) throw new WorkloadError(selector.error);
  const containers = target.spec?.template?.spec?.containers ?? [];
  const extraPorts = canary.spec.service.portDiscovery
    ? discoverPorts(
        canary.spec.service,
        containers.map(c => ({
          name: c.name,
          ...(Array.isArray(c.ports) ? { ports: c.ports as Array<{ containerPort: number }> } : {}),
        })),
      )
    : [];
  return { ...selector, extraPorts };
}

async function ensureService(ctx: EffectContext, role: ServiceRole): Promise<void> {
  const selector = selectorOf(ctx);
  const namespace = ctx.canary.metadata.namespace ?? 'default';
  await converge(
    { writer: ctx.writer, cache: ctx.cluster.services, type: SERVICES },
    namespace,
    serviceNames(ctx.canary)[role],
    live => planService(ctx.canary, role, selector, live),
  );
}

async function ensureRouting(
  ctx: EffectContext,
  routes: { primaryWeight: number; canaryWeight: number; mirrored: boolean },
): Promise<void> {
  const { canary } = ctx;
  const namespace = canary.metadata.namespace ?? 'default';
  const names = serviceNames(canary);
  for (const role of ['canary', 'primary'] as const) {
    await converge(
      { writer: ctx.writer, cache: ctx.cluster.destinationRules, type: DESTINATION_RULES },
      namespace,
      names[role],
      live => istio.planDestinationRule(canary, role, live),
    );
  }
  const cookies = cookiesOf(ctx.nextStatus);
  await convergeVirtualService(
    ctx,
    live => istio.planVirtualService(canary, live, { weights: routes, cookies }).plan,
  );
}

function convergeVirtualService(
  ctx: EffectContext,
  plan: Parameters<typeof converge<VirtualService>>[3],
  onWarning?: (warning: string) => void,
) {
  const namespace = ctx.canary.metadata.namespace ?? 'default';
  return converge(
    { writer: ctx.writer, cache: ctx.cluster.virtualServices, type: VIRTUAL_SERVICES },
    namespace,
    serviceNames(ctx.canary).apex,
    plan,
    onWarning,
  );
}

/**
 * Finalizers are patched with the tick's resourceVersion as the guard: if the Canary changed
 * since the tick read it, the conflict abandons the tick (it is recomputed from the new state).
 * On success the status write that follows is guarded by the version this patch produced.
 */
async function setFinalizer(ctx: EffectContext, present: boolean): Promise<void> {
  const { canary } = ctx;
  const current = canary.metadata.finalizers ?? [];
  const finalizers = present
    ? [...new Set([...current, FINALIZER])]
    : current.filter(f => f !== FINALIZER);
  if (semanticEqual(finalizers, current)) return;
  const version = ctx.resourceVersion ?? canary.metadata.resourceVersion;
  try {
    const patched = await ctx.writer.mergePatch<Canary>(
      CANARIES,
      canary.metadata.namespace,
      canary.metadata.name ?? '',
      { metadata: { finalizers } },
      version ? { resourceVersion: version } : {},
    );
    ctx.resourceVersion = patched.metadata?.resourceVersion;
  } catch (err) {
    if (isConflict(err)) throw new CanaryChanged();
    throw err;
  }
}
