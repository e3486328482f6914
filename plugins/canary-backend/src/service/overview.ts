// The org-wide list: every canary of every controller, joined with the entity that names it (and
// its owner) and with the latest recorded rollout, then cut down to what the caller may read.
import type { BackstageCredentials, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  canaryKey,
  type CanaryPhase,
  type CanaryRef,
  type CanarySummary,
  type OverviewItem,
  type OverviewResponse,
  type Rollout,
} from '@aviary/backstage-plugin-canary-common';
import type { ControllerRegistry } from '../controllers/types';
import type { RolloutStore } from '../database/types';
import type { CanaryAccess } from '../permissions';
import type { CanaryEntity, CanaryEntityIndex } from './entityIndex';

export interface OverviewFilter {
  owner?: string;
  phase?: string;
  cluster?: string;
}

export interface OverviewDeps {
  registry: ControllerRegistry;
  store: RolloutStore;
  entities: CanaryEntityIndex;
  access: CanaryAccess;
  logger: LoggerService;
}

export async function buildOverview(
  deps: OverviewDeps,
  credentials: BackstageCredentials,
  filter: OverviewFilter,
): Promise<OverviewResponse> {
  const owner = filter.owner === undefined ? undefined : normalizeOwner(filter.owner);
  const known = deps.registry.clusters();
  if (filter.cluster !== undefined && !known.includes(filter.cluster)) {
    throw new InputError(`cluster must be one of ${known.join(', ')}`);
  }
  const clusters = filter.cluster === undefined ? known : [filter.cluster];

  const lists = await Promise.allSettled(clusters.map(c => deps.registry.get(c).list()));
  const live: CanarySummary[] = [];
  const unreachable: string[] = [];
  lists.forEach((result, i) => {
    if (result.status === 'fulfilled') live.push(...result.value);
    else {
      unreachable.push(clusters[i]!);
      deps.logger.warn(`canary: controller ${clusters[i]} could not be listed`, {
        error: result.reason instanceof Error ? result.reason.message : String(result.reason),
      });
    }
  });

  const index = await deps.entities.all();
  // Canaries of a controller that is down still show, from the catalog and their history.
  const missing = [...index.keys()].flatMap(key => {
    const ref = parseKey(key);
    return ref && unreachable.includes(ref.cluster) ? [ref] : [];
  });
  const latest = await deps.store.latestRollouts([...live, ...missing]);
  const summaries = [...live, ...missing.map(ref => fromHistory(ref, latest.get(canaryKey(ref))))];
  const items = joinOverview(summaries, index, latest).filter(
    item =>
      (owner === undefined || item.owner === owner) &&
      (filter.phase === undefined || item.canary.phase === filter.phase),
  );

  const readable = await deps.access.readableEntities(
    credentials,
    items.flatMap(i => (i.entityRef ? [i.entityRef] : [])),
  );
  const orphansVisible = items.some(i => !i.entityRef)
    ? await deps.access.readsEverything(credentials)
    : false;
  return {
    items: items.filter(i => (i.entityRef ? readable.has(i.entityRef) : orphansVisible)),
    unreachable,
  };
}

/** Joins summaries with their entity and latest rollout; sorted by cluster, namespace, name. */
export function joinOverview(
  summaries: CanarySummary[],
  index: Map<string, CanaryEntity>,
  latest: Map<string, Rollout>,
): OverviewItem[] {
  return summaries
    .map(canary => {
      const key = canaryKey(canary);
      const entity = index.get(key);
      const lastRollout = latest.get(key);
      const item: OverviewItem = { canary };
      if (entity) item.entityRef = entity.entityRef;
      if (entity?.owner) item.owner = entity.owner;
      if (lastRollout) item.lastRollout = lastRollout;
      return item;
    })
    .sort(
      (a, b) =>
        a.canary.cluster.localeCompare(b.canary.cluster) ||
        a.canary.namespace.localeCompare(b.canary.namespace) ||
        a.canary.name.localeCompare(b.canary.name),
    );
}

const PHASE_OF_OUTCOME: Record<Rollout['outcome'], CanaryPhase | ''> = {
  Running: 'Progressing',
  WaitingPromotion: 'WaitingPromotion',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  Superseded: '',
};

/** What history tells of a canary whose controller cannot be asked. */
export function fromHistory(
  ref: { cluster: string; namespace: string; name: string },
  rollout: Rollout | undefined,
): CanarySummary {
  const summary: CanarySummary = {
    ...ref,
    target: '',
    phase: rollout ? PHASE_OF_OUTCOME[rollout.outcome] : '',
    weight: 0,
    failedChecks: rollout?.failedChecks ?? 0,
    iterations: 0,
    paused: false,
    message: 'controller unreachable: state from the recorded history',
  };
  if (rollout) summary.revision = rollout.revision;
  return summary;
}

/** The inverse of canaryKey. */
function parseKey(key: string): CanaryRef | undefined {
  const match = /^([^:]+):([^/]+)\/(.+)$/.exec(key);
  return match ? { cluster: match[1]!, namespace: match[2]!, name: match[3]! } : undefined;
}

function normalizeOwner(owner: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, { defaultKind: 'group', defaultNamespace: 'default' }),
    );
  } catch {
    throw new InputError('owner must be an entity ref such as group:default/team-a');
  }
}
