import { DateTime } from 'luxon';
import { formatDuration, relativeTime } from './time';

const now = DateTime.fromISO('2026-11-22T10:00:00.000Z');

describe('time', () => {
  it('says how long ago, relative to the injected clock', () => {
    expect(relativeTime('2026-11-22T09:57:00.000Z', now)).toBe('3 minutes ago');
    expect(relativeTime('2026-11-21T10:00:00.000Z', now)).toBe('1 day ago');
    expect(relativeTime(undefined, now)).toBeUndefined();
    expect(relativeTime('yesterday', now)).toBeUndefined();
  });

  it('formats durations, running ones up to now', () => {
    expect(formatDuration('2026-11-22T09:00:00Z', '2026-11-22T09:04:30Z', now)).toBe('4m 30s');
    expect(formatDuration('2026-11-22T09:00:00Z', '2026-11-22T09:06:00Z', now)).toBe('6m');
    expect(formatDuration('2026-11-22T09:00:00Z', '2026-11-22T09:00:12Z', now)).toBe('12s');
    expect(formatDuration('2026-11-22T07:55:00Z', undefined, now)).toBe('2h 5m');
    expect(formatDuration('garbage', undefined, now)).toBe('');
  });
});
