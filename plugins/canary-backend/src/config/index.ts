export type * from './types';
export {
  ALERT_CHANNEL_TYPES,
  CanaryConfigError,
  DEFAULT_RESYNC_INTERVAL_SECONDS,
  DEFAULT_RETENTION_DAYS,
  parseCanaryConfig,
  readCanaryConfig,
} from './readConfig';
