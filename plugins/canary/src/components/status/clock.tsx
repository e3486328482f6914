// The clock every "3 minutes ago" and running duration reads, injectable so tests and screenshots are
// stable.
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { DateTime } from 'luxon';

export type Clock = () => DateTime;

const ClockContext = createContext<Clock>(() => DateTime.now());

/** Overrides the clock for the components below it (tests, the dev app). */
export function ClockProvider(props: { now: Clock; children?: ReactNode }) {
  return <ClockContext.Provider value={props.now}>{props.children}</ClockContext.Provider>;
}

export function useClock(): Clock {
  return useContext(ClockContext);
}
