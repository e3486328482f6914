import { expectOnly } from './test-support/expect.js';
import { validateAlertProvider, validateMetricTemplate } from './validate.js';

const template = (provider: Record<string, unknown>, query: unknown = 'sum(up)') => ({
  apiVersion: 'aviary.dev/v1beta1',
  kind: 'MetricTemplate',
  metadata: { name: 'errors', namespace: 'test' },
  spec: { provider: { type: 'prometheus', address: 'http://prometheus:9090', ...provider }, query },
});

const alertProvider = (spec: Record<string, unknown>) => ({
  apiVersion: 'aviary.dev/v1beta1',
  kind: 'AlertProvider',
  metadata: { name: 'slack', namespace: 'test' },
  spec: { type: 'slack', ...spec },
});

describe('validateMetricTemplate', () => {
  it('accepts a prometheus template with headers, secret and TLS settings', () => {
    const provider = {
      headers: { 'X-Scope-OrgID': ['tenant-a'] },
      secretRef: { name: 'prom' },
      insecureSkipVerify: true,
    };
    expect(validateMetricTemplate(template(provider))).toEqual([]);
  });

  it.each(['datadog', 'cloudwatch'])('rejects the %s provider, which Aviary does not run', type => {
    expectOnly(
      validateMetricTemplate(template({ type, address: undefined })),
      'spec.provider.type',
      'prometheus metric templates only',
    );
  });

  it('rejects an unknown provider through the schema', () => {
    expectOnly(
      validateMetricTemplate(template({ type: 'graphana' })),
      'spec.provider.type',
      'must be one of prometheus',
    );
  });

  it('requires a prometheus address that is an http(s) URL', () => {
    expectOnly(
      validateMetricTemplate(template({ address: undefined })),
      'spec.provider.address',
      'is required for the prometheus provider',
    );
    expectOnly(
      validateMetricTemplate(template({ address: 'prometheus:9090' })),
      'spec.provider.address',
      'absolute http',
    );
  });

  it('requires a query that is not blank', () => {
    expectOnly(validateMetricTemplate(template({}, '  ')), 'spec.query', 'must not be empty');
    expectOnly(validateMetricTemplate(template({}, null)), 'spec.query', 'is required');
  });

  it('rejects header values that are not lists of strings', () => {
    expectOnly(
      validateMetricTemplate(template({ headers: { a: 'b' } })),
      'spec.provider.headers.a',
      'must be a list',
    );
  });
});

describe('validateAlertProvider', () => {
  it('accepts an address or a secretRef', () => {
    expect(
      validateAlertProvider(alertProvider({ address: 'https://hooks.slack.com/services/x' })),
    ).toEqual([]);
    expect(
      validateAlertProvider(alertProvider({ secretRef: { name: 'slack-url' }, channel: 'ops' })),
    ).toEqual([]);
  });

  it('requires an address or a secretRef', () => {
    expectOnly(validateAlertProvider(alertProvider({})), 'spec.address', 'unless spec.secretRef');
  });

  it('rejects an address or proxy that is not an http(s) URL', () => {
    expectOnly(
      validateAlertProvider(alertProvider({ address: 'hooks.slack.com' })),
      'spec.address',
      'absolute http',
    );
    expectOnly(
      validateAlertProvider(alertProvider({ address: 'https://x', proxy: 'proxy:3128' })),
      'spec.proxy',
      'absolute http',
    );
  });

  it('rejects an unknown chat service', () => {
    expectOnly(
      validateAlertProvider(alertProvider({ type: 'teams', address: 'https://x' })),
      'spec.type',
      'slack, msteams, discord, rocket, gchat',
    );
  });
});
