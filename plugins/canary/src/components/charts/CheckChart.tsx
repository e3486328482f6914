import Typography from '@material-ui/core/Typography';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { MetricSeries } from './chartData';
import { ChartFrame } from './ChartFrame';
import { timeTickFormatter } from './format';
import { describeRange, formatNumber, formatValue } from '../status/metrics';

const PASS_BAND = '#4caf50';
const LINE = '#1f77b4';
const THRESHOLD = '#d32f2f';

/** One metric over the analysis, with the band of passing values shaded and its edges drawn. */
export function CheckChart(props: { series: MetricSeries; height?: number }) {
  const { series } = props;
  const { min, max } = series.range;
  const [low, high] = series.domain;
  const range = describeRange(series.metric, series.range);
  const formatTick = timeTickFormatter(series.points.map(p => p.t));
  return (
    <div data-testid={`check-chart-${series.metric}`}>
      <Typography variant="subtitle2">
        {series.label}
        {range ? ` (pass ${range})` : ''}
      </Typography>
      <ChartFrame
        height={props.height ?? 200}
        chart={size => (
          <LineChart
            {...size}
            data={series.points}
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
            <YAxis
              domain={[low, high]}
              unit={series.unit}
              width={72}
              tickFormatter={formatNumber}
            />
            {(min !== undefined || max !== undefined) && (
              <ReferenceArea
                y1={min ?? low}
                y2={max ?? high}
                fill={PASS_BAND}
                fillOpacity={0.12}
                ifOverflow="extendDomain"
              />
            )}
            {min !== undefined && (
              <ReferenceLine
                y={min}
                stroke={THRESHOLD}
                strokeDasharray="4 4"
                label={`min ${formatValue(series.metric, min)}`}
              />
            )}
            {max !== undefined && (
              <ReferenceLine
                y={max}
                stroke={THRESHOLD}
                strokeDasharray="4 4"
                label={`max ${formatValue(series.metric, max)}`}
              />
            )}
            <Tooltip
              labelFormatter={value => formatTick(Number(value))}
              formatter={value => [formatValue(series.metric, Number(value)), series.label]}
            />
            <Line
              type="monotone"
              dataKey="value"
              name={series.label}
              stroke={LINE}
              dot
              isAnimationActive={false}
              connectNulls={false}
            />
          </LineChart>
        )}
      />
    </div>
  );
}
