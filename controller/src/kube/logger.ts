// Default loggers: JSON lines on stderr for the process, silence for tests.
import type { Logger } from './types.js';

function line(level: string, message: string, fields?: Record<string, unknown>): void {
  process.stderr.write(`${JSON.stringify({ level, msg: message, ...fields })}\n`);
}

export const consoleLogger: Logger = {
  debug: (message, fields) => line('debug', message, fields),
  info: (message, fields) => line('info', message, fields),
  warn: (message, fields) => line('warn', message, fields),
  error: (message, fields) => line('error', message, fields),
};

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Error text for logs (no stack, no request body). */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
