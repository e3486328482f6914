// A LoggerService that keeps every line (message and metadata) so tests can search the logs.
import type { LoggerService } from '@backstage/backend-plugin-api';

export interface CapturedLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta?: unknown;
}

export function captureLogger(): LoggerService & { lines: CapturedLine[]; text(): string } {
  const lines: CapturedLine[] = [];
  const at =
    (level: CapturedLine['level']) =>
    (message: string, meta?: unknown): void => {
      lines.push({ level, message, meta });
    };
  const logger = {
    lines,
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: () => logger,
    text: () =>
      lines.map(l => `${l.level} ${l.message} ${JSON.stringify(l.meta ?? {})}`).join('\n'),
  };
  return logger;
}
