// Kubernetes timestamps (RFC 3339, whole seconds, UTC) to and from luxon.
import { DateTime } from 'luxon';

export function parseTime(text: string | undefined): DateTime | undefined {
  if (!text) return undefined;
  const parsed = DateTime.fromISO(text, { zone: 'utc' });
  return parsed.isValid ? parsed : undefined;
}

export function formatTime(time: DateTime): string {
  return time.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");
}
