// The decision of one tick (see tick.ts for the protocol and the crash-safety argument).
export { decideTick } from './tick.js';
export type * from './types.js';
export { resolveSpec, type EngineSpec, type SpecResult } from './spec.js';
export { expectedRoutes } from './routes.js';
export { canaryWeightSchedule, promotionWeightSchedule } from './schedule.js';
export { revisionKey } from './revision.js';
export { judgeThreshold, metricVerdict } from './verdicts.js';
export { postRolloutEvents } from './messages.js';
export { FINALIZER } from './phases/terminate.js';
