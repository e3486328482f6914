// The plugin's HTTP API under /api/canary. Handlers stay thin: credentials, permission check,
// one call to a controller or the store, JSON out. Errors are thrown as @backstage/errors (or
// ControllerError, which carries its status) and the backend's error middleware writes the
// standard error body.
import type {
  AuditorService,
  HttpAuthService,
  LifecycleService,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { InputError, NotFoundError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import {
  CANARY_ANNOTATION,
  canaryKey,
  parseCanaryAnnotation,
  type ActionResponse,
  type CanaryRef,
  type EntityCanariesResponse,
  type EntityCanary,
} from '@aviary/backstage-plugin-canary-common';
import { ControllerError, type ControllerRegistry } from '../controllers/types';
import type { RolloutStore } from '../database/types';
import type { CanaryFeed } from '../ingest/types';
import type { CanaryAccess } from '../permissions';
import type { CanaryEntityIndex } from './entityIndex';
import { buildOverview } from './overview';
import { canaryRefFromPath, optionalQuery, parseActionRequest, parsePage } from './requests';
import { serveStream } from './stream';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  catalog: CatalogService;
  registry: ControllerRegistry;
  store: RolloutStore;
  feed: CanaryFeed;
  entities: CanaryEntityIndex;
  access: CanaryAccess;
  /** Actions are audit events (who asked what, on which canary, and how it ended). */
  auditor?: AuditorService;
  /** Open event streams are ended at shutdown, so browsers reconnect to another replica. */
  lifecycle?: LifecycleService;
  /** Injected for tests. */
  now?: () => Date;
  heartbeatMs?: number;
}

const CANARY_PATH = '/clusters/:cluster/namespaces/:namespace/canaries/:name';

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { httpAuth, userInfo, catalog, registry, store, access, logger } = options;
  const now = options.now ?? (() => new Date());
  const router = Router();
  router.use(express.json({ limit: '16kb' }));
  const openStreams = new Set<() => void>();
  options.lifecycle?.addShutdownHook(() => {
    for (const close of [...openStreams]) close();
  });

  router.get('/entity/:kind/:namespace/:name/canaries', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const entityRef = stringifyEntityRef({
      kind: req.params.kind,
      namespace: req.params.namespace,
      name: req.params.name,
    });
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) throw new NotFoundError(`entity ${entityRef} not found in the catalog`);
    await access.assertReadEntity(credentials, entityRef);
    const annotation = entity.metadata.annotations?.[CANARY_ANNOTATION];
    if (annotation === undefined) {
      throw new InputError(
        `entity ${entityRef} has no ${CANARY_ANNOTATION} annotation; add one such as ` +
          `"${CANARY_ANNOTATION}: <namespace>/<canary>" (or "<cluster>:<namespace>/<canary>")`,
      );
    }
    const parsed = parseCanaryAnnotation(annotation);
    if (!parsed.ok) throw new InputError(parsed.error);
    const canaries = await Promise.all(
      parsed.refs.map((ref): Promise<EntityCanary> =>
        liveCanary({
          cluster: ref.cluster ?? registry.defaultCluster(),
          namespace: ref.namespace,
          name: ref.name,
        }),
      ),
    );
    const body: EntityCanariesResponse = { entityRef, canaries };
    res.json(body);
  });

  /** One canary's live state, or why it cannot be read, without failing the whole response. */
  async function liveCanary(ref: CanaryRef): Promise<EntityCanary> {
    try {
      const state = await registry.get(ref.cluster).get(ref.namespace, ref.name);
      if (!state) {
        return {
          ref,
          error: { status: 404, message: `canary ${canaryKey(ref)} not found on its controller` },
        };
      }
      return { ref, state };
    } catch (error) {
      if (error instanceof ControllerError) {
        return { ref, error: { status: error.status, message: error.message } };
      }
      logger.error(`canary: reading ${canaryKey(ref)} failed`, error as Error);
      return { ref, error: { status: 500, message: `reading ${canaryKey(ref)} failed` } };
    }
  }

  router.get('/canaries', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const query = req.query as Record<string, unknown>;
    res.json(
      await buildOverview(options, credentials, {
        owner: optionalQuery(query, 'owner'),
        phase: optionalQuery(query, 'phase'),
        cluster: optionalQuery(query, 'cluster'),
      }),
    );
  });

  router.get(CANARY_PATH, async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const ref = canaryRefFromPath(req.params);
    await access.assertRead(credentials, ref);
    const detail = await registry.get(ref.cluster).get(ref.namespace, ref.name);
    if (!detail) throw new NotFoundError(`canary ${canaryKey(ref)} not found on its controller`);
    res.json(detail);
  });

  router.get(`${CANARY_PATH}/rollouts`, async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const ref = canaryRefFromPath(req.params);
    const page = parsePage(req.query as Record<string, unknown>);
    await access.assertRead(credentials, ref);
    res.json(await store.listRollouts(ref, page));
  });

  router.get('/rollouts/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const rollout = await store.getRollout(req.params.id);
    if (!rollout) throw new NotFoundError(`rollout ${req.params.id} not found`);
    await access.assertRead(credentials, rollout);
    res.json(rollout);
  });

  router.post(`${CANARY_PATH}/actions`, async (req, res) => {
    // Only people act: the controller records the signed-in user as the requester.
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const ref = canaryRefFromPath(req.params);
    const request = parseActionRequest(req.body);
    const audit = await options.auditor?.createEvent({
      eventId: 'canary-action',
      severityLevel: 'medium',
      request: req,
      meta: {
        canary: canaryKey(ref),
        action: request.action,
        reason: request.reason,
        ...(request.revision !== undefined ? { revision: request.revision } : {}),
      },
    });
    try {
      await access.assertAct(credentials, ref);
      const { userEntityRef } = await userInfo.getUserInfo(credentials);
      const { requestId } = await registry.get(ref.cluster).act(ref.namespace, ref.name, {
        ...request,
        onBehalfOf: userEntityRef,
      });
      await recordRequest(ref, {
        action: request.action,
        by: userEntityRef,
        reason: request.reason,
        revision: request.revision,
      });
      logger.info(`canary: ${request.action} requested on ${canaryKey(ref)}`, {
        requestId,
        by: userEntityRef,
      });
      await audit?.success({ meta: { requestId } });
      const body: ActionResponse = { requestId, action: request.action, ref };
      res.status(202).json(body);
    } catch (error) {
      await audit?.fail({ error: error as Error });
      throw error;
    }
  });

  /** The request joins the current rollout's audit trail; the controller's ack comes later. */
  async function recordRequest(
    ref: CanaryRef,
    actor: { action: string; by: string; reason: string; revision?: string },
  ) {
    try {
      const current = (await store.latestRollouts([ref])).get(canaryKey(ref));
      if (!current) return;
      if (actor.revision !== undefined && actor.revision !== current.revision) return;
      await store.addActor(current.id, {
        action: actor.action,
        by: actor.by,
        reason: actor.reason,
        at: now().toISOString(),
        outcome: 'Requested',
      });
    } catch (error) {
      // The controller has accepted the action; failing the response now would invite a retry.
      logger.warn(`canary: could not record the request on ${canaryKey(ref)}`, {
        error: (error as Error).message,
      });
    }
  }

  router.get('/stream', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const close = serveStream(
      {
        feed: options.feed,
        access,
        logger,
        ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
      },
      credentials,
      req,
      res,
    );
    openStreams.add(close);
    res.on('close', () => openStreams.delete(close));
  });

  return router;
}
