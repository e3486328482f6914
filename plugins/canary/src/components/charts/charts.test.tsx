import { render, screen } from '@testing-library/react';
import { failedCanary, progressingCanary } from '../../testing/fixtures';
import { FixedChartWidth } from './ChartFrame';
import { CheckCharts } from './CheckCharts';
import { weightSeries } from './chartData';
import { WeightChart } from './WeightChart';

function fixed(element: JSX.Element) {
  return render(<FixedChartWidth width={600}>{element}</FixedChartWidth>);
}

describe('CheckCharts', () => {
  it('draws one line chart per metric with its threshold band and line', () => {
    const { container } = fixed(<CheckCharts checks={progressingCanary().checks} />);
    const rate = screen.getByTestId('check-chart-request-success-rate');
    const latency = screen.getByTestId('check-chart-request-duration');
    expect(rate).toHaveTextContent('success rate (pass ≥ 99%)');
    expect(latency).toHaveTextContent('latency (pass ≤ 500ms)');
    // One data line per chart, a shaded pass band and a dashed threshold line with its label.
    expect(container.querySelectorAll('.recharts-line-curve')).toHaveLength(2);
    expect(rate.querySelectorAll('.recharts-reference-area-rect')).toHaveLength(1);
    expect(rate.querySelector('.recharts-reference-line')).toHaveTextContent('min 99%');
    expect(latency.querySelector('.recharts-reference-line')).toHaveTextContent('max 500ms');
    // A dot per check.
    expect(rate.querySelectorAll('.recharts-line-dot')).toHaveLength(2);
  });

  it('draws the failing values under the band', () => {
    const { container } = fixed(<CheckCharts checks={failedCanary().checks} />);
    expect(container.querySelectorAll('.recharts-line-dot')).toHaveLength(2);
    expect(container.querySelector('.recharts-reference-line')).toHaveTextContent('min 99%');
    expect(container.querySelector('.recharts-yAxis')).toBeInTheDocument();
  });

  it('says when there are no checks yet', () => {
    fixed(<CheckCharts checks={[]} emptyText="Nothing measured." />);
    expect(screen.getByText('Nothing measured.')).toBeInTheDocument();
  });
});

describe('WeightChart', () => {
  it('draws the weight steps and the maximum', () => {
    const points = weightSeries(progressingCanary().changes);
    const { container } = fixed(<WeightChart points={points} maxWeight={50} />);
    expect(screen.getByText('Canary weight')).toBeInTheDocument();
    expect(container.querySelectorAll('.recharts-line-curve')).toHaveLength(1);
    expect(container.querySelectorAll('.recharts-line-dot')).toHaveLength(4);
    expect(container.querySelector('.recharts-reference-line')).toHaveTextContent('max 50%');
  });

  it('says when no weight change is known', () => {
    fixed(<WeightChart points={[]} />);
    expect(screen.getByText('No weight changes recorded yet.')).toBeInTheDocument();
  });
});
