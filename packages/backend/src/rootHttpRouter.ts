// The root HTTP router with Backstage's default middleware except response compression: the
// compression middleware holds server-sent events (the canary plugin's live stream) back until
// the response ends unless the handler flushes, so the portal never saw a canary change. The
// portal runs on loopback, where compression saves nothing.
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';

export const rootHttpRouterWithoutCompression = rootHttpRouterServiceFactory({
  configure({ app, middleware, routes, healthRouter }) {
    app.use(middleware.helmet());
    app.use(middleware.cors());
    app.use(middleware.logging());
    app.use(middleware.rateLimit());
    app.use(healthRouter);
    app.use(routes);
    app.use(middleware.notFound());
    app.use(middleware.error());
  },
});
