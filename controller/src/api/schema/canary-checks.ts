// spec.analysis.metrics, .webhooks and .alerts: what is checked each tick and who is told.
import { bool, duration, int, num, obj, str, strEnum, stringMap } from './build.js';
import type { SchemaNode } from './node.js';

export const canaryThresholdRange: SchemaNode = obj(
  'Accepted range of a metric value; the check fails when the value is below min or above max. Either bound may be omitted. For request-duration the bounds are milliseconds, for request-success-rate percentages.',
  {
    min: num('Smallest accepted value.'),
    max: num('Largest accepted value.'),
  },
  { tsName: 'CanaryThresholdRange' },
);

export const canaryMetric: SchemaNode = obj(
  'One metric check. request-success-rate and request-duration are built in (Istio telemetry); any other name needs templateRef (or the deprecated query). When several sources are set, Aviary uses one: templateRef, else query, else the built-in of that name.',
  {
    name: str(
      'Name of the check, shown in events; request-success-rate and request-duration select the built-in Istio queries.',
    ),
    interval: duration(
      'Window of the query, substituted for {{ interval }}, e.g. 1m. It is also a PromQL range, so use whole ms, s, m or h. Default: 1m.',
    ),
    thresholdRange: canaryThresholdRange,
    threshold: num(
      'Deprecated (use thresholdRange): used only without thresholdRange, as a minimum for request-success-rate and as a maximum otherwise. A metric with neither is a validation problem in Aviary (Flagger would fail it whenever the value is above 0).',
    ),
    query: str(
      'Deprecated (use a MetricTemplate): inline PromQL template run against spec.metricsServer.',
    ),
    templateRef: obj(
      'MetricTemplate that provides the query and the metrics provider.',
      {
        name: str('Name of the MetricTemplate.'),
        namespace: str('Namespace of the MetricTemplate. Default: the Canary\u2019s namespace.'),
      },
      { required: ['name'], tsName: 'CanaryMetricTemplateRef' },
    ),
    templateVariables: stringMap(
      'Variables available in the template as {{ variables.<key> }}.',
      'Variable value.',
    ),
  },
  { required: ['name'], tsName: 'CanaryMetric' },
);

export const webhookTypes = [
  '',
  'confirm-rollout',
  'pre-rollout',
  'rollout',
  'confirm-traffic-increase',
  'confirm-promotion',
  'post-rollout',
  'rollback',
  'event',
];

export const canaryWebhook: SchemaNode = obj(
  'An HTTP POST hook. The body is JSON {name, namespace, phase, checksum, metadata}; a status of 200-202 counts as success, anything else (including 204) as failure.',
  {
    name: str('Name of the hook, shown in events.'),
    type: strEnum(
      'When the hook runs: confirm-rollout (gate before an analysis starts), pre-rollout (first analysis tick, before traffic shifts), rollout (every later analysis tick, before the metrics), confirm-traffic-increase (gate before each weight increase), confirm-promotion (gate before promotion), post-rollout (after success or failure), rollback (success triggers a rollback), event (receives every event). Empty means rollout.',
      webhookTypes,
      { tsName: 'CanaryWebhookType' },
    ),
    url: str('Absolute http:// or https:// URL of the hook.'),
    timeout: duration(
      'Request timeout, e.g. 30s. Default: 10s (also used for 0 or for values shorter than 2 characters).',
    ),
    retries: int('Extra attempts after a failed request. Default: 0.', { minimum: 0 }),
    disableTLS: bool('Skip TLS certificate verification. Default: false.'),
    muteAlert: bool(
      'Do not send the "waiting for approval" alerts of this gating hook. Default: false.',
    ),
    metadata: stringMap('Key-value pairs sent as metadata in the request body.', 'Metadata value.'),
  },
  { required: ['name', 'url'], tsName: 'CanaryWebhook' },
);

export const canaryAlert: SchemaNode = obj(
  'Sends this canary\u2019s notifications to an AlertProvider. Without any alerts the controller\u2019s global notifier is used.',
  {
    name: str('Name of this alert entry.'),
    severity: strEnum(
      'Lowest severity delivered: info gets everything, warn gets warn and error, error gets only error. Default: info (also for an empty value; Flagger would deliver nothing then).',
      ['', 'info', 'warn', 'error'],
      { tsName: 'CanaryAlertSeverity' },
    ),
    providerRef: obj(
      'The AlertProvider to use.',
      {
        name: str('Name of the AlertProvider.'),
        namespace: str('Namespace of the AlertProvider. Default: the Canary\u2019s namespace.'),
      },
      { required: ['name'], tsName: 'CanaryAlertProviderRef' },
    ),
  },
  { required: ['name', 'providerRef'], tsName: 'CanaryAlert' },
);

export const canaryJudge: SchemaNode = obj(
  'Aviary addition: compares the canary with the primary each analysis tick, after the metric thresholds pass. Each compared metric is also measured for the primary (the same query with {{ target }} set to <target>-primary); the check fails when the canary is worse than the primary by more than maxRelativeDegradation percent of the primary\u2019s value. A failure counts like any failed check.',
  {
    type: strEnum(
      'Kind of judge. compare: relative comparison of canary against primary.',
      ['compare'],
      {
        tsName: 'CanaryJudgeType',
      },
    ),
    maxRelativeDegradation: num(
      'Largest accepted degradation of the canary, in percent of the primary\u2019s value (10 means a p99 latency may be up to 10% higher). Default: 10.',
      { minimum: 0 },
    ),
    confidence: num(
      'Statistical confidence, in percent, required before a degradation counts where request counts allow a test (request-success-rate uses a two-proportion test). Default: 95.',
      { minimum: 50, maximum: 99.99 },
    ),
    metrics: {
      type: 'array',
      description:
        'Metrics to compare, by name. Default: the built-in metrics (request-success-rate, request-duration) present in spec.analysis.metrics.',
      items: obj(
        'One compared metric.',
        {
          name: str('Name of an entry in spec.analysis.metrics.'),
          direction: strEnum(
            'Which way is worse. Required for metrics other than the built-ins (request-success-rate is higherIsBetter, request-duration lowerIsBetter).',
            ['higherIsBetter', 'lowerIsBetter'],
            { tsName: 'CanaryJudgeDirection' },
          ),
          maxRelativeDegradation: num(
            'Overrides the judge-wide maxRelativeDegradation for this metric.',
            {
              minimum: 0,
            },
          ),
        },
        { required: ['name'], tsName: 'CanaryJudgeMetric' },
      ),
    },
  },
  { required: ['type'], tsName: 'CanaryJudge' },
);

export const canarySessionAffinity: SchemaNode = obj(
  'Sticky canary: a client that was routed to the canary once gets a cookie and keeps reaching the canary during the analysis.',
  {
    cookieName: str('Name of the cookie that pins a client to the canary.'),
    primaryCookieName: str(
      'Name of an optional cookie that pins a client to the primary; must differ from cookieName. Its Max-Age is the analysis interval.',
    ),
    maxAge: int('Max-Age of the canary cookie, in seconds. Default: 86400 (also used for 0).', {
      default: 86400,
      minimum: 0,
    }),
    domain: str('Domain attribute of the cookie.'),
    path: str('Path attribute of the cookie.'),
    httpOnly: bool('Set the HttpOnly attribute.'),
    secure: bool('Set the Secure attribute.'),
    partitioned: bool('Set the Partitioned attribute.'),
    sameSite: strEnum('SameSite attribute of the cookie.', ['Strict', 'Lax', 'None']),
  },
  { required: ['cookieName'], tsName: 'CanarySessionAffinity' },
);

export const noDataPolicy: SchemaNode = strEnum(
  'Aviary addition: what a metric query that returns no data (no series, or NaN such as 0/0 without traffic) counts as. fail: a failed check (Flagger\u2019s behaviour); pass: the check passes; skip: the tick is not judged, failedChecks stays and the weight is held until data arrives. Query errors always count as failed checks. Default: fail.',
  ['fail', 'pass', 'skip'],
  { tsName: 'CanaryNoDataPolicy' },
);
