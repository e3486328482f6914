// Wiring of the canary backend plugin: config, store, controllers, ingestion, alerts, routes and
// scheduled jobs. Install with `backend.add(import('@aviary/backstage-plugin-canary-backend'))`.
import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AlertDelivery, CanaryAlerter } from './alerts';
import { readCanaryConfig } from './config';
import { ConfigControllerRegistry } from './controllers';
import { DatabaseRolloutStore } from './database';
import { createIngestion } from './ingest';
import { CanaryAccess, canaryPermissions } from './permissions';
import { CanaryEntityIndex } from './service/entityIndex';
import { createRouter } from './service/router';

export const canaryPlugin = createBackendPlugin({
  pluginId: 'canary',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        auditor: coreServices.auditor,
        config: coreServices.rootConfig,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const { logger, config, scheduler, lifecycle, httpRouter } = deps;
        // A broken `canary:` section stops the backend at boot with the key to fix.
        const canaryConfig = readCanaryConfig(config);
        deps.permissionsRegistry.addPermissions(canaryPermissions);

        const store = await DatabaseRolloutStore.create({ database: deps.database });
        const registry = new ConfigControllerRegistry(canaryConfig.controllers, { logger });
        const entities = new CanaryEntityIndex({
          catalog: deps.catalog,
          auth: deps.auth,
          logger,
          defaultCluster: () => registry.defaultCluster(),
        });
        const delivery = new AlertDelivery({ logger });
        const alerter = new CanaryAlerter({
          entities,
          notifications: deps.notifications,
          channels: canaryConfig.alertChannels,
          delivery,
          logger,
          appBaseUrl: config.getOptionalString('app.baseUrl'),
        });
        const { ingestor, feed } = createIngestion({
          config: canaryConfig,
          store,
          registry,
          logger,
          listeners: [alerter.listener],
        });
        const access = new CanaryAccess(deps.permissions, entities);

        // No auth policy is added: every route needs a user or service token.
        httpRouter.use(
          await createRouter({
            logger,
            httpAuth: deps.httpAuth,
            userInfo: deps.userInfo,
            catalog: deps.catalog,
            registry,
            store,
            feed,
            entities,
            access,
            lifecycle,
            auditor: deps.auditor,
          }),
        );

        await scheduler.scheduleTask({
          id: 'canary-resync',
          frequency: { seconds: canaryConfig.history.resyncIntervalSeconds },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 30 },
          scope: 'global',
          fn: () => ingestor.resync(),
        });
        await scheduler.scheduleTask({
          id: 'canary-retention',
          frequency: { hours: 24 },
          timeout: { minutes: 15 },
          initialDelay: { minutes: 5 },
          scope: 'global',
          fn: async () => {
            await ingestor.pruneHistory();
          },
        });

        await ingestor.start();
        lifecycle.addShutdownHook(async () => {
          await ingestor.stop();
          await delivery.stop();
        });
      },
    });
  },
});
