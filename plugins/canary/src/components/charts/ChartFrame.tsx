// Charts fill their container in the app; tests and screenshots can fix their width, since a measured
// container has no size in a DOM without layout.
import { createContext, useContext } from 'react';
import type { ReactElement, ReactNode } from 'react';
import { ResponsiveContainer } from 'recharts';

const FixedWidthContext = createContext<number | undefined>(undefined);

export function FixedChartWidth(props: { width: number; children?: ReactNode }) {
  return (
    <FixedWidthContext.Provider value={props.width}>{props.children}</FixedWidthContext.Provider>
  );
}

/** Renders `chart(width, height)` at a fixed width when one is set, else responsive. */
export function ChartFrame(props: {
  height: number;
  chart: (size: { width?: number; height: number }) => ReactElement;
}) {
  const fixedWidth = useContext(FixedWidthContext);
  if (fixedWidth !== undefined) return props.chart({ width: fixedWidth, height: props.height });
  return (
    <ResponsiveContainer width="100%" height={props.height}>
      {props.chart({ height: props.height })}
    </ResponsiveContainer>
  );
}
