import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import type { CanaryPhase } from '@aviary/backstage-plugin-canary-common';
import { PhaseStatus } from './PhaseStatus';

describe('PhaseStatus', () => {
  it.each<[CanaryPhase | '', boolean, number, string]>([
    ['Succeeded', false, 0, 'status-ok'],
    ['Initialized', false, 0, 'status-ok'],
    ['Progressing', false, 0, 'status-running'],
    ['Progressing', false, 2, 'status-warning'],
    ['Progressing', true, 0, 'status-warning'],
    ['WaitingPromotion', false, 0, 'status-warning'],
    ['Failed', false, 5, 'status-error'],
    ['Waiting', false, 0, 'status-pending'],
    ['Terminated', false, 0, 'status-aborted'],
  ])('%p (paused %p, %p failed) uses %s', async (phase, paused, failedChecks, testId) => {
    await renderInTestApp(<PhaseStatus canary={{ phase, paused, failedChecks }} />);
    expect(screen.getByTestId(testId)).toBeInTheDocument();
  });

  it('names the phase', async () => {
    await renderInTestApp(
      <PhaseStatus canary={{ phase: 'Progressing', paused: true, failedChecks: 0 }} />,
    );
    expect(screen.getByTestId('canary-phase')).toHaveTextContent('Progressing (paused)');
  });
});
