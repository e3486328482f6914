// Parses the `canary:` section of app-config into CanaryBackendConfig. Validation is done here on
// the raw value (not with Config's typed getters) so every message names the exact key, e.g.
// `canary.controllers[1].url`, and never echoes a value: tokens and webhook URLs are secrets.
import type { Config } from '@backstage/config';
import { parseCanaryAnnotation } from '@aviary/backstage-plugin-canary-common';
import { Duration } from 'luxon';
import type {
  AlertChannelConfig,
  AlertChannelType,
  CanaryBackendConfig,
  ControllerConfig,
} from './types';

export const ALERT_CHANNEL_TYPES: readonly AlertChannelType[] = [
  'slack',
  'msteams',
  'discord',
  'rocket',
  'webhook',
];

export const DEFAULT_RETENTION_DAYS = 90;
export const DEFAULT_RESYNC_INTERVAL_SECONDS = 300;
const MIN_RESYNC_INTERVAL_SECONDS = 10;

/** A configuration mistake; the message names the key and what is wrong with it. */
export class CanaryConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CanaryConfigError';
  }
}

/** Reads `canary` from the app config. */
export function readCanaryConfig(config: Config): CanaryBackendConfig {
  return parseCanaryConfig(config.getOptional('canary'));
}

/** Validates a raw `canary` value (already merged and with `${ENV}` substituted by the loader). */
export function parseCanaryConfig(raw: unknown): CanaryBackendConfig {
  if (raw === undefined || raw === null) {
    throw new CanaryConfigError(
      'canary.controllers is required: configure at least one Aviary controller (name, url, token)',
    );
  }
  const root = record(raw, 'canary');
  return {
    controllers: parseControllers(root.controllers),
    alertChannels: parseAlertChannels(root.alertChannels),
    history: parseHistory(root.history),
  };
}

function parseControllers(raw: unknown): ControllerConfig[] {
  if (raw === undefined || raw === null) {
    throw new CanaryConfigError(
      'canary.controllers is required: configure at least one Aviary controller (name, url, token)',
    );
  }
  if (!Array.isArray(raw)) throw new CanaryConfigError('canary.controllers must be a list');
  if (raw.length === 0) {
    throw new CanaryConfigError('canary.controllers must name at least one controller');
  }
  const seen = new Map<string, number>();
  return raw.map((item: unknown, index) => {
    const key = `canary.controllers[${index}]`;
    const entry = record(item, key);
    const name = requiredString(entry.name, `${key}.name`);
    // The name is the cluster part of the `aviary.dev/canary` annotation, so it must parse there.
    if (!parseCanaryAnnotation(`${name}:ns/name`).ok) {
      throw new CanaryConfigError(
        `${key}.name must be a cluster name usable in annotations (letters, digits, '-', '_', '.'; at most 63 characters)`,
      );
    }
    const first = seen.get(name);
    if (first !== undefined) {
      throw new CanaryConfigError(
        `${key}.name "${name}" is already used by canary.controllers[${first}]; controller names must be unique`,
      );
    }
    seen.set(name, index);
    // No trailing slash, so the client can append `/api/v1/...`.
    const url = httpUrl(entry.url, `${key}.url`).replace(/\/+$/, '');
    const token = optionalString(entry.token, `${key}.token`);
    return token === undefined ? { name, url } : { name, url, token };
  });
}

function parseAlertChannels(raw: unknown): Map<string, AlertChannelConfig> {
  const channels = new Map<string, AlertChannelConfig>();
  if (raw === undefined || raw === null) return channels;
  const entries = record(raw, 'canary.alertChannels');
  for (const [channelKey, value] of Object.entries(entries)) {
    const key = `canary.alertChannels.${channelKey}`;
    const entry = record(value, key);
    const type = entry.type;
    if (typeof type !== 'string' || !ALERT_CHANNEL_TYPES.includes(type as AlertChannelType)) {
      throw new CanaryConfigError(`${key}.type must be one of ${ALERT_CHANNEL_TYPES.join(', ')}`);
    }
    channels.set(channelKey, {
      key: channelKey,
      type: type as AlertChannelType,
      url: httpUrl(entry.url, `${key}.url`),
    });
  }
  return channels;
}

function parseHistory(raw: unknown): CanaryBackendConfig['history'] {
  if (raw === undefined || raw === null) {
    return {
      retentionDays: DEFAULT_RETENTION_DAYS,
      resyncIntervalSeconds: DEFAULT_RESYNC_INTERVAL_SECONDS,
    };
  }
  const history = record(raw, 'canary.history');
  let retentionDays = DEFAULT_RETENTION_DAYS;
  if (history.retentionDays !== undefined) {
    const days = history.retentionDays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1) {
      throw new CanaryConfigError(
        'canary.history.retentionDays must be a whole number of days ≥ 1',
      );
    }
    retentionDays = days;
  }
  let resyncIntervalSeconds = DEFAULT_RESYNC_INTERVAL_SECONDS;
  if (history.resyncInterval !== undefined) {
    resyncIntervalSeconds = durationSeconds(
      history.resyncInterval,
      'canary.history.resyncInterval',
    );
    if (resyncIntervalSeconds < MIN_RESYNC_INTERVAL_SECONDS) {
      throw new CanaryConfigError(
        `canary.history.resyncInterval must be at least ${MIN_RESYNC_INTERVAL_SECONDS} seconds`,
      );
    }
  }
  return { retentionDays, resyncIntervalSeconds };
}

const SHORT_DURATION = /^(\d+)\s*(s|m|h|d)$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const DURATION_KEYS = ['days', 'hours', 'minutes', 'seconds'];

/** `30s`, `5m`, `1h`, an ISO 8601 duration (`PT5M`) or an object `{ minutes: 5 }`. */
function durationSeconds(raw: unknown, key: string): number {
  const invalid = () =>
    new CanaryConfigError(
      `${key} must be a duration such as "5m", "30s", "PT5M" or { minutes: 5 }`,
    );
  if (typeof raw === 'string') {
    const short = SHORT_DURATION.exec(raw.trim());
    if (short) return Number(short[1]) * UNIT_SECONDS[short[2]!]!;
    const iso = Duration.fromISO(raw.trim());
    if (!iso.isValid) throw invalid();
    return iso.as('seconds');
  }
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const parts = Object.entries(raw as Record<string, unknown>);
    if (
      parts.length === 0 ||
      parts.some(([k, v]) => !DURATION_KEYS.includes(k) || typeof v !== 'number' || v < 0)
    ) {
      throw invalid();
    }
    return Duration.fromObject(Object.fromEntries(parts) as Record<string, number>).as('seconds');
  }
  throw invalid();
}

function record(raw: unknown, key: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CanaryConfigError(`${key} must be an object`);
  }
  return raw as Record<string, unknown>;
}

function requiredString(raw: unknown, key: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new CanaryConfigError(`${key} is required and must be a non-empty string`);
  }
  return raw.trim();
}

/** An empty string counts as unset: `token: ${CANARY_TOKEN:-}` with the variable unset gives ''. */
function optionalString(raw: unknown, key: string): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') throw new CanaryConfigError(`${key} must be a string`);
  return raw;
}

/** The value is never part of the message: webhook URLs carry their secret in the path. */
function httpUrl(raw: unknown, key: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new CanaryConfigError(`${key} is required and must be an http(s) URL`);
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new CanaryConfigError(`${key} must be an http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CanaryConfigError(`${key} must be an http(s) URL`);
  }
  return raw.trim();
}
