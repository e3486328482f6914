export { CanaryAccess, type EntityLookup } from './access';
export { canaryPermissions } from '@aviary/backstage-plugin-canary-common';
