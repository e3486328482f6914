// The workload effects of a tick, written through the kube writer with create-or-update
// semantics. Each is idempotent: a repeated call finds nothing to change and writes nothing.
import type { Canary } from '../api/types.js';
import {
  AlreadyExistsError,
  CONFIGMAPS,
  DEPLOYMENTS,
  HORIZONTAL_POD_AUTOSCALERS,
  retryOnConflict,
  SECRETS,
  type KubeObject,
  type ResourceType,
} from '../kube/index.js';
import { WorkloadError, type WorkloadContext, type WorkloadResult } from './api.js';
import { configRefs, trackConfigs } from './configs.js';
import { REVISION_ANNOTATION } from './observe.js';
import { DEFAULT_WORKLOAD_OPTIONS, type WorkloadOptions } from './options.js';
import {
  buildPrimaryAutoscaler,
  buildPrimaryConfig,
  buildPrimaryDeployment,
  primaryName,
  primaryReplicas,
  scaleTargetPatch,
} from './primary.js';
import type {
  ConfigMap,
  Deployment,
  HorizontalPodAutoscaler,
  Secret,
  TrackedConfig,
} from './types.js';
import { forCreate, updatedAutoscaler, updatedConfig, updatedDeployment } from './update.js';

const nsOf = (canary: Canary) => canary.metadata.namespace ?? 'default';
const optionsOf = (ctx: WorkloadContext): WorkloadOptions =>
  ctx.options ?? DEFAULT_WORKLOAD_OPTIONS;
const newResult = (): WorkloadResult => ({ changes: [], warnings: [] });

/** The reader is untyped (a cache holds one kind per type); callers name the kind they asked for. */
async function readAs<T extends KubeObject>(
  ctx: WorkloadContext,
  type: ResourceType,
  namespace: string,
  name: string,
): Promise<T | undefined> {
  return (await ctx.read(type, namespace, name)) as T | undefined;
}

async function readTarget(ctx: WorkloadContext, canary: Canary): Promise<Deployment> {
  const name = canary.spec.targetRef.name;
  const target = await readAs<Deployment>(ctx, DEPLOYMENTS, nsOf(canary), name);
  if (!target) throw new WorkloadError(`deployment ${name}.${nsOf(canary)} not found`);
  return target;
}

/** The target's tracked configs, read through the context's reader. */
async function readConfigs(ctx: WorkloadContext, target: Deployment): Promise<TrackedConfig[]> {
  const ns = target.metadata?.namespace ?? '';
  const found = new Map<string, ConfigMap | Secret>();
  for (const ref of configRefs(target.spec?.template.spec)) {
    const type = ref.kind === 'configmap' ? CONFIGMAPS : SECRETS;
    const object = await readAs<ConfigMap | Secret>(ctx, type, ns, ref.name);
    if (object) found.set(`${ref.kind}/${ref.name}`, object);
  }
  const tracked = trackConfigs(
    target,
    {
      configMap: name => found.get(`configmap/${name}`) as ConfigMap | undefined,
      secret: name => found.get(`secret/${name}`) as Secret | undefined,
    },
    optionsOf(ctx),
  );
  if ('error' in tracked) throw new WorkloadError(tracked.error);
  return tracked.configs;
}

/**
 * Creates `desired` or brings the live object in line with it. `plan` returns the object to
 * PUT (undefined: nothing to do) and whether it must be deleted and created instead. After a
 * conflict the live object is re-read from the API server, not from the (possibly stale) cache.
 */
async function upsert<T extends KubeObject>(
  ctx: WorkloadContext,
  type: ResourceType,
  desired: T,
  plan: (live: T) => { object: T; recreate?: boolean } | undefined,
  result: WorkloadResult,
): Promise<void> {
  const ns = desired.metadata?.namespace ?? '';
  const name = desired.metadata?.name ?? '';
  const label = `${type.kind} ${ns}/${name}`;
  await retryOnConflict(async attempt => {
    const live =
      attempt === 0
        ? await readAs<T>(ctx, type, ns, name)
        : await ctx.writer.read<T>(type, ns, name);
    if (!live) {
      await ctx.writer.create(type, forCreate(desired));
      result.changes.push(`created ${label}`);
      return;
    }
    const update = plan(live);
    if (!update) return;
    if (update.recreate) {
      await ctx.writer.delete(type, ns, name, { uid: live.metadata?.uid });
      await ctx.writer.create(type, forCreate(desired));
      result.changes.push(`recreated ${label}`);
      return;
    }
    await ctx.writer.replace(type, update.object);
    result.changes.push(`updated ${label}`);
  });
}

async function upsertConfigs(
  ctx: WorkloadContext,
  canary: Canary,
  configs: readonly TrackedConfig[],
  result: WorkloadResult,
): Promise<void> {
  for (const config of configs) {
    const desired = buildPrimaryConfig(canary, config, optionsOf(ctx));
    const type = config.kind === 'configmap' ? CONFIGMAPS : SECRETS;
    await upsert(ctx, type, desired, live => updatedConfig(live, desired), result);
  }
}

/** Creates missing primary configs only (their data belongs to the promoted revision). */
async function createMissingConfigs(
  ctx: WorkloadContext,
  canary: Canary,
  configs: readonly TrackedConfig[],
  result: WorkloadResult,
): Promise<void> {
  for (const config of configs) {
    const desired = buildPrimaryConfig(canary, config, optionsOf(ctx));
    const type = config.kind === 'configmap' ? CONFIGMAPS : SECRETS;
    await upsert(ctx, type, desired, () => undefined, result);
  }
}

async function autoscalerMinReplicas(
  ctx: WorkloadContext,
  canary: Canary,
): Promise<number | undefined> {
  const ref = canary.spec.autoscalerRef;
  if (!ref) return undefined;
  if (ref.primaryScalerReplicas?.minReplicas !== undefined) {
    return ref.primaryScalerReplicas.minReplicas;
  }
  if (ref.kind !== 'HorizontalPodAutoscaler') return undefined;
  const hpa = await readAs<HorizontalPodAutoscaler>(
    ctx,
    HORIZONTAL_POD_AUTOSCALERS,
    nsOf(canary),
    ref.name,
  );
  return hpa?.spec?.minReplicas;
}

async function desiredPrimary(
  ctx: WorkloadContext,
  canary: Canary,
  revision: string,
  target: Deployment,
  configs: readonly TrackedConfig[],
  live: Deployment | undefined,
): Promise<Deployment> {
  const replicas = primaryReplicas({
    target,
    ...(live ? { primary: live } : {}),
    hasAutoscaler: canary.spec.autoscalerRef !== undefined,
    autoscalerMinReplicas: await autoscalerMinReplicas(ctx, canary),
  });
  return buildPrimaryDeployment({
    canary,
    target,
    revision,
    configs,
    replicas,
    options: optionsOf(ctx),
  });
}

/**
 * Creates `<target>-primary` (and its configs) when missing, stamped with `revision`. An
 * existing primary is left as it is (it runs the promoted revision, whatever the target has
 * now); only configs it still lacks are created, and only when it runs the target's revision.
 */
export async function ensurePrimary(
  ctx: WorkloadContext,
  canary: Canary,
  revision: string,
): Promise<WorkloadResult> {
  const result = newResult();
  const ns = nsOf(canary);
  const name = primaryName(canary.spec.targetRef.name);
  const live = await readAs<Deployment>(ctx, DEPLOYMENTS, ns, name);
  if (live && live.metadata?.annotations?.[REVISION_ANNOTATION] !== revision) return result;
  const target = await readTarget(ctx, canary);
  const configs = await readConfigs(ctx, target);
  if (live) {
    await createMissingConfigs(ctx, canary, configs, result);
    return result;
  }
  await upsertConfigs(ctx, canary, configs, result);
  const desired = await desiredPrimary(ctx, canary, revision, target, configs, undefined);
  try {
    await ctx.writer.create(DEPLOYMENTS, forCreate(desired));
    result.changes.push(`created Deployment ${ns}/${name}`);
  } catch (err) {
    // The cache had not seen it yet: it exists, which is all ensurePrimary promises.
    if (!(err instanceof AlreadyExistsError)) throw err;
  }
  return result;
}

/** Promotion: the target's template, configs and autoscaler to the primary, stamped. */
export async function copyTargetToPrimary(
  ctx: WorkloadContext,
  canary: Canary,
  revision: string,
): Promise<WorkloadResult> {
  const result = newResult();
  const ns = nsOf(canary);
  const target = await readTarget(ctx, canary);
  const configs = await readConfigs(ctx, target);
  await upsertConfigs(ctx, canary, configs, result);
  const name = primaryName(canary.spec.targetRef.name);
  const cached = await readAs<Deployment>(ctx, DEPLOYMENTS, ns, name);
  const desired = await desiredPrimary(ctx, canary, revision, target, configs, cached);
  await upsert(
    ctx,
    DEPLOYMENTS,
    desired,
    live => {
      // Replicas follow the live primary when an autoscaler owns them.
      const replicas = canary.spec.autoscalerRef ? live.spec?.replicas : desired.spec?.replicas;
      const wanted: Deployment = {
        ...desired,
        ...(desired.spec ? { spec: { ...desired.spec, replicas } } : {}),
      };
      const object = updatedDeployment(live, wanted);
      return object ? { object } : undefined;
    },
    result,
  );
  if (canary.spec.autoscalerRef?.kind === 'HorizontalPodAutoscaler') {
    const hpa = await ensurePrimaryAutoscaler(ctx, canary, 'sync');
    result.changes.push(...hpa.changes);
    result.warnings.push(...hpa.warnings);
  }
  return result;
}

/** `create`: `<hpa>-primary` when missing; `sync`: also update it from the target's HPA. */
export async function ensurePrimaryAutoscaler(
  ctx: WorkloadContext,
  canary: Canary,
  mode: 'create' | 'sync',
): Promise<WorkloadResult> {
  const result = newResult();
  const ref = canary.spec.autoscalerRef;
  if (!ref) return result;
  if (ref.kind !== 'HorizontalPodAutoscaler') {
    result.warnings.push(`autoscaler kind ${ref.kind} is not supported yet; nothing created`);
    return result;
  }
  const ns = nsOf(canary);
  const target = await readAs<HorizontalPodAutoscaler>(
    ctx,
    HORIZONTAL_POD_AUTOSCALERS,
    ns,
    ref.name,
  );
  if (!target) throw new WorkloadError(`HorizontalPodAutoscaler ${ref.name}.${ns} not found`);
  const desired = buildPrimaryAutoscaler(canary, target, optionsOf(ctx));
  await upsert(
    ctx,
    HORIZONTAL_POD_AUTOSCALERS,
    desired,
    live => {
      if (mode === 'create') return undefined;
      const object = updatedAutoscaler(live, desired);
      return object ? { object } : undefined;
    },
    result,
  );
  return result;
}

/** Sets the target's `spec.replicas` (no write when it already has that value). */
export async function scaleTarget(
  ctx: WorkloadContext,
  canary: Canary,
  replicas: number,
): Promise<WorkloadResult> {
  const result = newResult();
  const target = await readTarget(ctx, canary);
  if ((target.spec?.replicas ?? 1) === replicas) return result;
  const name = canary.spec.targetRef.name;
  await ctx.writer.mergePatch(DEPLOYMENTS, nsOf(canary), name, scaleTargetPatch(replicas));
  result.changes.push(`scaled Deployment ${nsOf(canary)}/${name} to ${replicas}`);
  return result;
}
