// The policy's conditional decision evaluated by the real catalog against the demo catalog: the
// catalog is where the permission backend sends conditions on catalog entities to be applied.
import { join } from 'node:path';
import { canaryActionPermission } from '@aviary/backstage-plugin-canary-common';
import type { BackstageCredentials, BackstageUserInfo } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import type { ConditionalPolicyDecision } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { CanaryOwnerPolicy } from './policy';

const OWNERSHIP: Record<string, string[]> = {
  'user:default/guest': ['user:default/guest', 'group:default/team-podinfo'],
  'user:default/visitor': ['user:default/visitor'],
};

const policy = new CanaryOwnerPolicy({
  async getUserInfo(credentials: BackstageCredentials): Promise<BackstageUserInfo> {
    const ref = (credentials.principal as { userEntityRef: string }).userEntityRef;
    return { userEntityRef: ref, ownershipEntityRefs: OWNERSHIP[ref] ?? [] };
  },
});

async function conditionsFor(user: string) {
  const decision = (await policy.handle(
    { permission: canaryActionPermission },
    {
      credentials: mockCredentials.user(user),
      info: { userEntityRef: user, ownershipEntityRefs: OWNERSHIP[user] ?? [] },
    },
  )) as ConditionalPolicyDecision;
  return decision.conditions;
}

it('the catalog lets the members of the owning group act on its entities, and nobody else', async () => {
  const { server } = await startTestBackend({
    features: [
      catalogBackend,
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            rules: [{ allow: ['Component', 'System', 'Group', 'User', 'Location'] }],
            locations: [{ type: 'file', target: join(__dirname, '../../catalog/demo.yaml') }],
            processingInterval: { seconds: 1 },
          },
        },
      }),
    ],
  });

  const apply = async (user: string, resourceRef: string) => {
    const res = await request(server)
      .post('/api/catalog/.well-known/backstage/permissions/apply-conditions')
      .set('Authorization', mockCredentials.service.header())
      .send({
        items: [
          {
            id: '1',
            resourceRef,
            resourceType: 'catalog-entity',
            conditions: await conditionsFor(user),
          },
        ],
      });
    if (res.status !== 200) throw new Error(`apply-conditions: ${res.status} ${res.text}`);
    return (res.body as { items: Array<{ result: string }> }).items[0]?.result;
  };

  // the catalog reads the demo file in the background
  const deadline = Date.now() + 30_000;
  while ((await apply('user:default/guest', 'component:default/podinfo')) !== 'ALLOW') {
    if (Date.now() > deadline) throw new Error('guest never owned podinfo');
    await new Promise(r => setTimeout(r, 250));
  }
  expect(await apply('user:default/guest', 'component:default/abtest')).toBe('ALLOW');
  expect(await apply('user:default/visitor', 'component:default/podinfo')).toBe('DENY');
  expect(await apply('user:default/visitor', 'component:default/abtest')).toBe('DENY');
}, 60_000);
