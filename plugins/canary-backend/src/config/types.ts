// The parsed `canary:` configuration (see config.d.ts for the user-facing reference).

/** One Aviary controller the backend talks to; `name` is the cluster name used in annotations. */
export interface ControllerConfig {
  name: string;
  /** Base URL of the controller's HTTP API, without `/api/v1`. */
  url: string;
  /** Bearer token for the controller API (a `write` or `trusted` token; trusted enables on-behalf-of). */
  token?: string;
}

export type AlertChannelType = 'slack' | 'msteams' | 'discord' | 'rocket' | 'webhook';

export interface AlertChannelConfig {
  key: string;
  type: AlertChannelType;
  /** Secret: the incoming-webhook URL. Never logged or served. */
  url: string;
}

export interface CanaryBackendConfig {
  /** In order; a canary annotation without a cluster means the first one. */
  controllers: ControllerConfig[];
  alertChannels: Map<string, AlertChannelConfig>;
  history: {
    /** Rollouts that ended longer ago than this are deleted with their checks and events. */
    retentionDays: number;
    /** How often the full resync against every controller runs. */
    resyncIntervalSeconds: number;
  };
}
