// Boots the whole canary plugin in a test backend: real database (TestDatabases' knex), the
// in-memory catalog with the sample entities, the owners-only permissions, recorded notifications.
import {
  coreServices,
  createServiceFactory,
  type ServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  notificationService,
  type NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import type { Knex } from 'knex';
import { canaryPlugin } from '../../plugin';
import { sampleEntities } from './catalog';
import { ownersOnlyPermissionsFactory } from './ownersOnlyPermissions';

/** An audit event as the plugin reported it. */
export interface AuditRecord {
  eventId: string;
  meta: object;
  result?: { status: 'succeeded'; meta: object } | { status: 'failed'; error: string };
}

export async function startCanaryBackend(options: {
  knex: Knex;
  canary: JsonObject;
  entities?: Entity[];
  /** Extra service factories (they replace the defaults above when they provide the same service). */
  features?: ServiceFactory[];
}) {
  const sent: NotificationSendOptions[] = [];
  const audits: AuditRecord[] = [];
  const backend = await startTestBackend({
    features: [
      canaryPlugin,
      mockServices.rootConfig.factory({
        data: { app: { baseUrl: 'http://portal.test' }, canary: options.canary },
      }),
      mockServices.database.factory({ knex: options.knex }),
      // No implicit user: a request without a token is unauthenticated, as in production.
      mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
      ownersOnlyPermissionsFactory,
      catalogServiceMock.factory({ entities: options.entities ?? sampleEntities }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (notification: NotificationSendOptions) => {
            sent.push(notification);
          },
        }),
      }),
      createServiceFactory({
        service: coreServices.auditor,
        deps: {},
        factory: () => ({
          async createEvent(event) {
            const record: AuditRecord = { eventId: event.eventId, meta: event.meta ?? {} };
            audits.push(record);
            return {
              success: async done => {
                record.result = { status: 'succeeded', meta: done?.meta ?? {} };
              },
              fail: async failed => {
                record.result = { status: 'failed', error: failed.error.message };
              },
            };
          },
        }),
      }),
      ...(options.features ?? []),
    ],
  });
  return { backend, server: backend.server, sent, audits };
}

export const as = (user: string) => ({ Authorization: mockCredentials.user.header(user) });
export const ALICE = as('user:default/alice');
export const BOB = as('user:default/bob');
export const ADMIN = as('user:default/admin');
