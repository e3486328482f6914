// The portal's backend for development and the playground demo (new backend system). Guest
// sign-in and an in-memory SQLite database: not a production setup.
import { createBackend } from '@backstage/backend-defaults';
import { canaryPermissionPolicyModule } from './permissions/module';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(canaryPermissionPolicyModule);
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@aviary/backstage-plugin-canary-backend'));

backend.start();
