// spec.analysis: the schedule, the traffic strategy and the checks of a canary run.
import { arr, bool, duration, int } from './build.js';
import {
  canaryAlert,
  canaryJudge,
  canaryMetric,
  canarySessionAffinity,
  canaryWebhook,
  noDataPolicy,
} from './canary-checks.js';
import { canaryAnalysisMatch } from './istio.js';
import type { SchemaNode } from './node.js';

const percent = { minimum: 0, maximum: 100 };

export const canaryAnalysis: SchemaNode = {
  type: 'object',
  description:
    'How a new revision is analysed. The strategy follows from the fields: A/B testing when match and iterations are set, Blue/Green when only iterations is set, otherwise progressive canary weights (stepWeight or stepWeights). Set exactly one of iterations, stepWeight or stepWeights.',
  tsName: 'CanaryAnalysis',
  properties: {
    interval: duration(
      'Time between two analysis ticks, e.g. 1m. Values below 10s are raised to 10s. Default: 1m (Flagger\u2019s CRD requires it; Aviary does not).',
    ),
    threshold: int(
      'Number of failed checks (counted over the whole analysis, not reset by a success) that triggers a rollback. Default: 1 (also for 0; Flagger\u2019s CRD requires it, Aviary does not).',
      { minimum: 0 },
    ),
    maxWeight: int(
      'Canary weight (percent) at which promotion starts, for stepWeight. Ignored when stepWeights is set (its last step is the maximum). Default: 100.',
      percent,
    ),
    stepWeight: int('Weight (percent) added to the canary after each successful tick.', {
      minimum: 0,
    }),
    stepWeights: arr(
      'Explicit, strictly increasing ladder of canary weights, e.g. [1, 5, 20, 50]. Promotion starts after the last step (values above 100 count as 100).',
      int('Canary weight of this step, in percent.', { minimum: 1 }),
    ),
    stepWeightPromotion: int(
      'When above 0, traffic moves back to the primary in steps of this size during promotion instead of all at once. Default: 0.',
      { minimum: 0 },
    ),
    iterations: int(
      'Number of successful ticks required for Blue/Green (without match) or A/B testing (with match).',
      { minimum: 0 },
    ),
    match: arr(
      'A/B testing conditions (with iterations): matching requests go to the canary, all others to the primary.',
      canaryAnalysisMatch,
    ),
    mirror: bool(
      'Mirror traffic to the canary: one mirrored step before the first weight shift (canary strategy) or during all iterations (Blue/Green). Default: false.',
    ),
    mirrorWeight: int(
      'Percentage of requests mirrored when mirror is on. Default: 0, meaning Istio mirrors every request.',
      percent,
    ),
    primaryReadyThreshold: int(
      'Percentage of the updated primary replicas that must be available for the primary to count as ready. Default: 100.',
      percent,
    ),
    canaryReadyThreshold: int(
      'Percentage of the updated canary replicas that must be available for the canary to count as ready. Default: 100.',
      percent,
    ),
    sessionAffinity: canarySessionAffinity,
    metrics: arr('Metric checks run on each analysis tick, in this order.', canaryMetric),
    webhooks: arr('HTTP hooks called during the canary run.', canaryWebhook),
    alerts: arr('Where this canary\u2019s notifications are sent.', canaryAlert),
    judge: canaryJudge,
    noDataPolicy,
    minRequestCount: int(
      'Aviary addition: metric checks and the judge are not evaluated until the canary served at least this many requests within the analysis interval (Istio istio_requests_total of the canary workload). Until then the tick is not judged: failedChecks stays and the weight is held. Default: 0 (off).',
      { minimum: 0 },
    ),
  },
};
