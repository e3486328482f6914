export interface Config {
  /** Aviary canary backend plugin (`@aviary/backstage-plugin-canary-backend`). */
  canary: {
    /**
     * The Aviary controllers (one per cluster) the portal reads canaries from and sends actions to.
     * The first one is the cluster an `aviary.dev/canary` annotation without `cluster:` means.
     */
    controllers: Array<{
      /** Cluster name, as used in `aviary.dev/canary: <cluster>:<namespace>/<name>`. */
      name: string;
      /** Base URL of the controller's HTTP API, without `/api/v1`, e.g. `https://aviary.prod.example.com`. */
      url: string;
      /**
       * Bearer token of the controller API. A `trusted` token lets actions carry the signed-in user
       * (`onBehalfOf`); a `write` token acts as itself. Read it from the environment:
       * `${CANARY_CONTROLLER_TOKEN}`.
       * @visibility secret
       */
      token?: string;
    }>;
    /**
     * Chat channels and webhooks that hear about rollouts of entities whose
     * `aviary.dev/alert-channel` annotation names their key.
     */
    alertChannels?: {
      [key: string]: {
        /** Payload format: `slack`, `msteams`, `discord`, `rocket` (Rocket.Chat) or `webhook` (plain JSON). */
        type: 'slack' | 'msteams' | 'discord' | 'rocket' | 'webhook';
        /**
         * Incoming-webhook URL; it contains the channel's secret.
         * @visibility secret
         */
        url: string;
      };
    };
    /** The rollout history kept in the plugin's database. */
    history?: {
      /** Days a finished rollout is kept, with its checks and events (default 90). */
      retentionDays?: number;
      /**
       * How often every controller is listed again in full, besides the live stream
       * (default `5m`; `30s`, `1h`, `PT5M` or `{ minutes: 5 }`).
       */
      resyncInterval?:
        string | { days?: number; hours?: number; minutes?: number; seconds?: number };
    };
  };
}
