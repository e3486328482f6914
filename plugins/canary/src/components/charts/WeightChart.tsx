import Typography from '@material-ui/core/Typography';
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { WeightPoint } from './chartData';
import { ChartFrame } from './ChartFrame';
import { timeTickFormatter } from './format';

/** The canary's traffic weight over time as steps, with the maximum it may reach. */
export function WeightChart(props: { points: WeightPoint[]; maxWeight?: number; height?: number }) {
  if (props.points.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No weight changes recorded yet.
      </Typography>
    );
  }
  const formatTick = timeTickFormatter(props.points.map(p => p.t));
  return (
    <div data-testid="weight-chart">
      <Typography variant="subtitle2">Canary weight</Typography>
      <ChartFrame
        height={props.height ?? 200}
        chart={size => (
          <LineChart
            {...size}
            data={props.points}
            margin={{ top: 8, right: 24, left: 0, bottom: 0 }}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              tickFormatter={formatTick}
            />
            <YAxis domain={[0, 100]} unit="%" />
            {props.maxWeight !== undefined && (
              <ReferenceLine
                y={props.maxWeight}
                stroke="#ff9800"
                strokeDasharray="4 4"
                label={`max ${props.maxWeight}%`}
              />
            )}
            <Tooltip
              labelFormatter={value => formatTick(Number(value))}
              formatter={value => [`${value}%`, 'weight']}
            />
            <Line
              type="stepAfter"
              dataKey="weight"
              name="weight"
              stroke="#9c27b0"
              dot
              isAnimationActive={false}
            />
          </LineChart>
        )}
      />
    </div>
  );
}
