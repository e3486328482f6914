// Standalone development backend for the canary plugin (`backstage-cli package start`): mock
// authentication (no sign-in; `Authorization: Bearer mock-user-token` or no header), an in-memory
// catalog with two annotated components, and the plugin pointed at CANARY_CONTROLLER_URL.
import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(mockServices.userInfo.factory());
backend.add(
  mockServices.rootConfig.factory({
    data: {
      app: { baseUrl: 'http://localhost:3000' },
      backend: {
        baseUrl: 'http://localhost:7007',
        listen: { port: 7007 },
        database: { client: 'better-sqlite3', connection: ':memory:' },
      },
      canary: {
        controllers: [
          {
            name: 'playground',
            url: process.env.CANARY_CONTROLLER_URL ?? 'http://127.0.0.1:9090',
            ...(process.env.CANARY_CONTROLLER_TOKEN
              ? { token: process.env.CANARY_CONTROLLER_TOKEN }
              : {}),
          },
        ],
        ...(process.env.CANARY_ALERT_WEBHOOK
          ? { alertChannels: { dev: { type: 'webhook', url: process.env.CANARY_ALERT_WEBHOOK } } }
          : {}),
      },
    },
  }),
);
backend.add(
  catalogServiceMock.factory({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'podinfo',
          namespace: 'default',
          annotations: {
            'aviary.dev/canary': 'demo/podinfo',
            'aviary.dev/alert-channel': 'dev',
          },
        },
        spec: { type: 'service', lifecycle: 'production', owner: 'user:default/mock' },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'abtest',
          namespace: 'default',
          annotations: { 'aviary.dev/canary': 'demo/abtest' },
        },
        spec: { type: 'service', lifecycle: 'experimental', owner: 'group:default/team-b' },
      },
    ],
  }),
);
backend.add(import('../src'));

backend.start();
