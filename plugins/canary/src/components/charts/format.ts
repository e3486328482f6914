import { DateTime } from 'luxon';

/** Axis ticks: hours and minutes in the viewer's zone. */
export function formatTick(millis: number): string {
  return DateTime.fromMillis(millis).toFormat('HH:mm');
}
