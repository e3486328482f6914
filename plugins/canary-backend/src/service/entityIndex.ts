// Which catalog entity names which canary. The catalog is asked once for every entity carrying
// `aviary.dev/canary` and the answer is kept briefly, so overview pages, permission checks and
// alerts do not each query the catalog per canary.
import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { parseEntityRef, stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ALERT_CHANNEL_ANNOTATION,
  CANARY_ANNOTATION,
  canaryKey,
  parseCanaryAnnotation,
  type CanaryRef,
} from '@aviary/backstage-plugin-canary-common';

/** The entity a canary belongs to, with what routes and alerts need from it. */
export interface CanaryEntity {
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  /** `spec.owner` as a full entity ref (a bare name means a Group in the entity's namespace). */
  owner?: string;
  /** Key of `canary.alertChannels` from `aviary.dev/alert-channel`. */
  alertChannel?: string;
}

export interface CanaryEntityIndexOptions {
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /** The cluster an annotation without `cluster:` means. */
  defaultCluster: () => string;
  ttlMs?: number;
  now?: () => number;
}

const DEFAULT_TTL_MS = 30_000;

export class CanaryEntityIndex {
  private cached?: { at: number; byCanary: Map<string, CanaryEntity> };
  private loading?: Promise<Map<string, CanaryEntity>>;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CanaryEntityIndexOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /** The entity whose annotation names the canary, if any. */
  async lookup(ref: CanaryRef): Promise<CanaryEntity | undefined> {
    return (await this.all()).get(canaryKey(ref));
  }

  /** Every annotated canary, keyed by canaryKey. */
  async all(): Promise<Map<string, CanaryEntity>> {
    if (this.cached && this.now() - this.cached.at < this.ttlMs) return this.cached.byCanary;
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    try {
      return await this.loading;
    } catch (error) {
      // A catalog hiccup should not blank every page: serve the last answer while it lasts.
      if (this.cached) {
        this.options.logger.warn(`canary: catalog query failed, using the previous entity index`, {
          error: String(error),
        });
        return this.cached.byCanary;
      }
      throw error;
    }
  }

  private async load(): Promise<Map<string, CanaryEntity>> {
    // Service credentials: the index is shared; each route checks canary.read per entity itself.
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntities(
      {
        filter: { [`metadata.annotations.${CANARY_ANNOTATION}`]: CATALOG_FILTER_EXISTS },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
          'spec.owner',
        ],
      },
      { credentials },
    );
    const byCanary = new Map<string, CanaryEntity>();
    const defaultCluster = this.options.defaultCluster();
    // Sorted so that when two entities name the same canary the choice is stable.
    const sorted = [...items].sort((a, b) => refOf(a).localeCompare(refOf(b)));
    for (const entity of sorted) {
      const parsed = parseCanaryAnnotation(entity.metadata.annotations?.[CANARY_ANNOTATION]);
      if (!parsed.ok) {
        this.options.logger.debug(`canary: ignoring ${refOf(entity)}: ${parsed.error}`);
        continue;
      }
      const info = describe(entity);
      for (const ref of parsed.refs) {
        const key = canaryKey({ ...ref, cluster: ref.cluster ?? defaultCluster });
        if (!byCanary.has(key)) byCanary.set(key, info);
      }
    }
    this.cached = { at: this.now(), byCanary };
    return byCanary;
  }
}

function refOf(entity: Entity): string {
  return stringifyEntityRef(entity);
}

/** The parts of an entity the plugin uses. */
export function describe(entity: Entity): CanaryEntity {
  const namespace = entity.metadata.namespace ?? 'default';
  const info: CanaryEntity = {
    entityRef: stringifyEntityRef(entity),
    kind: entity.kind,
    namespace,
    name: entity.metadata.name,
  };
  const owner = entity.spec?.owner;
  if (typeof owner === 'string' && owner.trim() !== '') {
    try {
      info.owner = stringifyEntityRef(
        parseEntityRef(owner.trim(), { defaultKind: 'group', defaultNamespace: namespace }),
      );
    } catch {
      // An unparsable owner is the catalog's validation problem; the entity simply has none here.
    }
  }
  const channel = entity.metadata.annotations?.[ALERT_CHANNEL_ANNOTATION]?.trim();
  if (channel) info.alertChannel = channel;
  return info;
}
