// The canary plugin for the new frontend system (`@aviary/backstage-plugin-canary/alpha`).
import { canaryFrontendPlugin } from './alpha/plugin';

export default canaryFrontendPlugin;
export { isCanaryAvailable } from './isCanaryAvailable';
export { canaryApiRef } from './api/CanaryApi';
