// JSON-line logs (`{"level","ts","msg",...}`), one object per line on stderr. Secrets never
// reach a line: registered secret values (webhook URLs, tokens from flags or the environment)
// are masked wherever they appear, and any URL-looking string field keeps only scheme and host.
import type { DateTime } from 'luxon';
import type { Logger } from '../kube/types.js';
import { maskSecrets, redactUrl } from '../webhooks/http-request.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export interface JsonLoggerOptions {
  level: LogLevel;
  now: () => DateTime;
  /** Values to mask wherever they appear (URLs, tokens). */
  secrets?: readonly string[];
  write?: (line: string) => void;
  /** Fields on every line (e.g. replica identity). */
  base?: Record<string, unknown>;
}

export interface ControllerLogger extends Logger {
  /** A logger whose lines carry these fields too (e.g. `canary`). */
  child(fields: Record<string, unknown>): ControllerLogger;
}

const URL_FIELD = /^[a-z][a-z0-9+.-]*:\/\/[^\s]*$/i;

export function createJsonLogger(options: JsonLoggerOptions): ControllerLogger {
  const threshold = LOG_LEVELS.indexOf(options.level);
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  const secrets = [...(options.secrets ?? [])];
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const masked = maskSecrets(value, secrets);
      return URL_FIELD.test(masked) ? redactUrl(masked) : masked;
    }
    if (value instanceof Error) return clean(value.message);
    if (Array.isArray(value)) return value.map(clean);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v)]));
    }
    return value;
  };
  const make = (base: Record<string, unknown>): ControllerLogger => {
    const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
      if (LOG_LEVELS.indexOf(level) < threshold) return;
      const line = {
        level,
        ts: options.now().toISO(),
        msg: maskSecrets(msg, secrets),
        ...(clean({ ...base, ...fields }) as Record<string, unknown>),
      };
      write(`${JSON.stringify(line)}\n`);
    };
    return {
      debug: (msg, fields) => emit('debug', msg, fields),
      info: (msg, fields) => emit('info', msg, fields),
      warn: (msg, fields) => emit('warn', msg, fields),
      error: (msg, fields) => emit('error', msg, fields),
      child: fields => make({ ...base, ...fields }),
    };
  };
  return make(options.base ?? {});
}

/** For tests and library use: drops everything. */
export const quietLogger: ControllerLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => quietLogger,
};
