// Kubernetes access for the controller: connection, informer caches, writes, Events and leader
// election. Generic: nothing here knows about canaries.
export type { Clock, KubeObject, Logger, ObjectMeta, ResourceType } from './types.js';
export {
  ALERT_PROVIDERS,
  apiVersionOf,
  CANARIES,
  CONFIGMAPS,
  DEPLOYMENTS,
  DESTINATION_RULES,
  EVENTS,
  HORIZONTAL_POD_AUTOSCALERS,
  LEASES,
  METRIC_TEMPLATES,
  NAMESPACES,
  objectKey,
  resourcePath,
  SECRETS,
  SERVICES,
  VIRTUAL_SERVICES,
} from './resources.js';
export {
  connect,
  KubeClient,
  type ConnectOptions,
  type HttpMethod,
  type RequestOptions,
} from './client.js';
export {
  AlreadyExistsError,
  apiError,
  ConflictError,
  isConflict,
  isNotFound,
  KubeApiError,
  NotFoundError,
  retryOnConflict,
} from './errors.js';
export {
  createObjectWriter,
  type DeleteOptions,
  type MergePatchOptions,
  type ObjectWriter,
} from './writer.js';
export {
  ResourceCache,
  type CacheChange,
  type ChangeListener,
  type ChangeType,
  type IndexFn,
  type ResourceCacheOptions,
} from './cache.js';
export {
  createEventRecorder,
  type CoreEvent,
  type EventRecorder,
  type EventRecorderOptions,
  type EventSubject,
  type EventType,
} from './events.js';
export {
  LeaderElector,
  type LeaderCallbacks,
  type LeaderElectorOptions,
  type Lease,
  type LeaseSpec,
  type StopOptions,
} from './leader.js';
export { consoleLogger, errorText, silentLogger } from './logger.js';
