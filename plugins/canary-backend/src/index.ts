/**
 * Backend plugin for Aviary canaries: live state from the Aviary controllers, rollout history,
 * actions on behalf of the signed-in user, permissions and catalog-driven alerts.
 *
 * @packageDocumentation
 */
export { canaryPlugin as default } from './plugin';
