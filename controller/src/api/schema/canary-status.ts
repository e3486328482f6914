// status: written by the controller only.
import { arr, bool, int, obj, str, strEnum, stringMap } from './build.js';
import type { SchemaNode } from './node.js';

export const canaryPhases = [
  '',
  'Initializing',
  'Initialized',
  'Waiting',
  'Progressing',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
  'Succeeded',
  'Failed',
  'Terminating',
  'Terminated',
];

export const manualActionKinds = ['promote', 'abort', 'retry', 'pause', 'resume'];

export const manualActionAck: SchemaNode = obj(
  'The acknowledgement of the last manual action request handled (spec.manualAction), written in the same status update as its effect.',
  {
    id: str('Id of the request handled.'),
    action: strEnum('The action requested.', manualActionKinds),
    revision: str('The revision the request was for.'),
    requestedBy: str('Who asked.'),
    reason: str('Why, as given in the request.'),
    outcome: strEnum(
      'Applied: the action took effect; Refused: it did not (see message).',
      ['Applied', 'Refused'],
      { tsName: 'ManualActionOutcome' },
    ),
    message: str('What happened, or why the request was refused.'),
    acknowledgedAt: str('When the controller handled the request.', { format: 'date-time' }),
  },
  { tsName: 'CanaryManualActionStatus' },
);

export const canaryCondition: SchemaNode = obj(
  'A status condition. Aviary, like Flagger, keeps a single condition of type Promoted whose reason is the phase.',
  {
    type: str('Type of the condition, e.g. Promoted.'),
    status: strEnum('Status of the condition.', ['True', 'False', 'Unknown']),
    reason: str('Machine-readable reason; for Promoted, the phase.'),
    message: str('Human-readable explanation.'),
    lastUpdateTime: str('When the condition was last written.', { format: 'date-time' }),
    lastTransitionTime: str('When the status of the condition last changed.', {
      format: 'date-time',
    }),
  },
  { required: ['type', 'status', 'reason'], tsName: 'CanaryCondition' },
);

export const canaryStatus: SchemaNode = obj(
  'Observed state of the canary, written by the controller.',
  {
    phase: strEnum(
      'Phase of the canary run (Terminated is declared for compatibility but never written).',
      canaryPhases,
      { tsName: 'CanaryPhase' },
    ),
    canaryWeight: int('Last canary weight (percent) written to the VirtualService.'),
    failedChecks: int('Failed checks in the current analysis.'),
    iterations: int('Successful iterations of the current Blue/Green or A/B analysis.'),
    lastAppliedSpec: str(
      'Hash of the target\u2019s pod template at the last status sync (the revision under analysis).',
    ),
    lastPromotedSpec: str('Hash of the revision currently running in the primary.'),
    lastTransitionTime: str('Time of the last status write.', { format: 'date-time' }),
    trackedConfigs: stringMap(
      'Checksums of the ConfigMaps and Secrets the target uses, keyed configmap/<name> or secret/<name>.',
      '16 hex characters of the data\u2019s sha256.',
    ),
    conditions: arr('Status conditions.', canaryCondition),
    sessionAffinityCookie: str('Current canary cookie, <name>=<value>.'),
    primarySessionAffinityCookie: str('Current primary cookie, <name>=<value>.'),
    previousSessionAffinityCookie: str(
      'Canary cookie of the previous run, expired on the next request that carries it.',
    ),
    manualAction: manualActionAck,
    paused: bool(
      'True while the analysis is paused by a manual pause: weight, iterations, failed checks and the interval and progress-deadline clocks are frozen until a resume.',
    ),
    pausedAt: str(
      'When the current pause took effect (the paused time is not counted after a resume).',
      { format: 'date-time' },
    ),
  },
  { tsName: 'CanaryStatus' },
);
