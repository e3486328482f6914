// Deployment handling for canaries: observation for the engine, the primary Deployment and its
// configs and autoscaler (pure builders), and the thin functions that write them.
export type * from './types.js';
export * from './options.js';
export { renameConfigRefs, retargetPodSelectors } from './podspec.js';
export {
  WorkloadError,
  type ObjectReader,
  type WorkloadContext,
  type WorkloadResult,
} from './api.js';
export { canonicalJson, templateRevision } from './revision.js';
export {
  CONFIG_TRACKING_ANNOTATIONS,
  configChecksum,
  configIndexKey,
  configIndexKeys,
  configRefs,
  isTrackingDisabled,
  trackConfigs,
  trackedConfigsStatus,
} from './configs.js';
export {
  missingTarget,
  observeDeployment,
  observePrimary,
  observeTarget,
  REVISION_ANNOTATION,
  selectorLabelOf,
  type SelectorLabel,
} from './observe.js';
export {
  buildPrimaryAutoscaler,
  buildPrimaryConfig,
  buildPrimaryDeployment,
  primaryName,
  primaryReplicas,
  scaleTargetPatch,
  type PrimaryDeploymentInput,
  type PrimaryReplicasInput,
} from './primary.js';
export {
  copyTargetToPrimary,
  ensurePrimary,
  ensurePrimaryAutoscaler,
  scaleTarget,
} from './apply.js';
