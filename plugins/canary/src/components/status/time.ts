import { DateTime } from 'luxon';

/** "3 minutes ago" relative to `now`; undefined for a missing or unreadable timestamp. */
export function relativeTime(iso: string | undefined, now: DateTime): string | undefined {
  if (!iso) return undefined;
  const at = DateTime.fromISO(iso);
  if (!at.isValid) return undefined;
  return at.toRelative({ base: now }) ?? undefined;
}

/** "4m 30s", "2h 5m", "12s": the time from start to end (or to now while running). */
export function formatDuration(
  startIso: string,
  endIso: string | undefined,
  now: DateTime,
): string {
  const start = DateTime.fromISO(startIso);
  const end = endIso ? DateTime.fromISO(endIso) : now;
  if (!start.isValid || !end.isValid) return '';
  const seconds = Math.max(0, Math.round(end.diff(start, 'seconds').seconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return s > 0 ? `${m}m ${s}s` : `${m}m`;
  return `${s}s`;
}

/** Milliseconds since the epoch, or NaN. */
export function toMillis(iso: string): number {
  return DateTime.fromISO(iso).toMillis();
}
