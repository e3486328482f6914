// Installs CanaryOwnerPolicy as the permission backend's policy.
import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { CanaryOwnerPolicy } from './policy';

export const canaryPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'canary-owner-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, userInfo: coreServices.userInfo },
      async init({ policy, userInfo }) {
        policy.setPolicy(new CanaryOwnerPolicy(userInfo));
      },
    });
  },
});
