import { DateTime } from 'luxon';

/** Axis ticks in the viewer's zone: with seconds when the chart spans less than ten minutes. */
export function timeTickFormatter(times: number[]): (millis: number) => string {
  const span = times.length > 1 ? Math.max(...times) - Math.min(...times) : 0;
  const format = span < 10 * 60_000 ? 'HH:mm:ss' : 'HH:mm';
  return millis => DateTime.fromMillis(millis).toFormat(format);
}
