import { podinfoCanary } from '../router/__fixtures__/canary.js';
import { MetricsError } from './errors.js';
import { TemplateError, renderQuery, templateVariables } from './template.js';
import type { TemplateVariables } from './template.js';

const vars: TemplateVariables = {
  name: 'podinfo',
  namespace: 'test',
  target: 'podinfo',
  service: 'podinfo-svc',
  interval: '1m',
  variables: { reporter: 'destination', 'app-tier': 'web' },
};

describe('MetricTemplate query rendering', () => {
  it('substitutes every variable, tolerating whitespace inside the braces', () => {
    const query =
      'x{n="{{name}}",ns="{{ namespace }}",t="{{  target  }}",s="{{ service }}",r="{{ variables.reporter }}",a="{{variables.app-tier}}"}[{{ interval }}]';
    expect(renderQuery(query, vars)).toBe(
      'x{n="podinfo",ns="test",t="podinfo",s="podinfo-svc",r="destination",a="web"}[1m]',
    );
  });

  it("honours Go's trim markers", () => {
    expect(renderQuery('a  {{- name -}}  b', vars)).toBe('apodinfob');
    expect(renderQuery('a {{name}} b', vars)).toBe('a podinfo b');
  });

  it('ingress and route render empty when the canary has none (as in Flagger)', () => {
    expect(renderQuery('[{{ ingress }}][{{ route }}]', vars)).toBe('[][]');
  });

  it('an unknown variable is an error naming it', () => {
    expect(() => renderQuery('{{ variables.missing }}', vars)).toThrow(
      new TemplateError(
        'variables.missing',
        'template variable "variables.missing" is not defined',
      ),
    );
    expect(() => renderQuery('x{a="{{ deployment }}"}', vars)).toThrow(
      'template variable "deployment" is not defined',
    );
    try {
      renderQuery('{{ nope }}', vars);
    } catch (err) {
      expect(err).toBeInstanceOf(MetricsError);
      expect((err as MetricsError).kind).toBe('config');
      expect((err as TemplateError).expression).toBe('nope');
    }
  });

  it('other template syntax is rejected rather than passed to Prometheus', () => {
    expect(() => renderQuery('{{ if .x }}y{{ end }}', vars)).toThrow(
      'unsupported template expression',
    );
  });

  it('takes the variables from the canary and the metric (interval defaults to 1m)', () => {
    const canary = podinfoCanary({ name: 'frontend' });
    expect(
      templateVariables(canary, { name: 'latency', templateVariables: { reporter: 'source' } }),
    ).toEqual({
      name: 'podinfo',
      namespace: 'test',
      target: 'podinfo',
      service: 'frontend',
      interval: '1m',
      variables: { reporter: 'source' },
    });
    expect(templateVariables(podinfoCanary(), { name: 'x', interval: '30s' })).toMatchObject({
      service: 'podinfo',
      interval: '30s',
      variables: {},
    });
  });
});
