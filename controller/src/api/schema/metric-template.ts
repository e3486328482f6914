// The MetricTemplate custom resource: a reusable query for spec.analysis.metrics[].templateRef.
import {
  METRIC_TEMPLATE_KIND,
  METRIC_TEMPLATE_PLURAL,
  METRIC_TEMPLATE_SINGULAR,
} from '../names.js';
import { arr, bool, map, obj, str, strEnum } from './build.js';
import { rootSchema, type CrdDefinition } from './common.js';
import type { SchemaNode } from './node.js';

export const metricProviderTypes = [
  'prometheus',
  'influxdb',
  'datadog',
  'externalmetrics',
  'stackdriver',
  'cloudwatch',
  'newrelic',
  'graphite',
  'dynatrace',
  'keptn',
  'splunk',
];

export const metricTemplateSpec: SchemaNode = obj(
  'A query and the metrics provider that runs it.',
  {
    provider: obj(
      'The metrics provider that runs the query.',
      {
        type: strEnum(
          'Provider type. Aviary runs prometheus only; the other values are accepted for Flagger compatibility and reported as a validation problem.',
          metricProviderTypes,
          { tsName: 'MetricProviderType' },
        ),
        address: str('Base URL of the provider API, e.g. http://prometheus.monitoring:9090.'),
        headers: map(
          'HTTP headers sent with each query.',
          arr('Values of this header.', str('Header value.')),
        ),
        secretRef: obj(
          'Secret in the template\u2019s namespace with credentials: token (sent as a bearer token) or username and password.',
          { name: str('Name of the Secret.') },
          { required: ['name'], tsName: 'LocalSecretRef' },
        ),
        region: str(`Cloud region of the provider. Not used by the prometheus provider.`),
        insecureSkipVerify: bool(
          'Skip TLS certificate verification of the provider. Default: false.',
        ),
      },
      { required: ['type'], tsName: 'MetricTemplateProvider' },
    ),
    query: str(
      'Query template. Variables: {{ name }}, {{ namespace }}, {{ target }}, {{ service }}, {{ ingress }}, {{ route }}, {{ interval }} and {{ variables.<key> }}; unknown variables are an error.',
    ),
  },
  { required: ['provider', 'query'], tsName: 'MetricTemplateSpec' },
);

export const metricTemplateCrd: CrdDefinition = {
  kind: METRIC_TEMPLATE_KIND,
  listKind: 'MetricTemplateList',
  plural: METRIC_TEMPLATE_PLURAL,
  singular: METRIC_TEMPLATE_SINGULAR,
  categories: ['all'],
  file: 'metrictemplates.yaml',
  printerColumns: [
    {
      name: 'Provider',
      type: 'string',
      jsonPath: '.spec.provider.type',
      description: 'Metrics provider type.',
    },
  ],
  schema: rootSchema(
    'A MetricTemplate is a reusable metric query referenced by canaries through templateRef.',
    'MetricTemplate',
    { spec: metricTemplateSpec },
  ),
};
