import { applySchema } from './openapi-schema.js';
import type { JSONSchemaProps } from './openapi-schema.js';
import { invalid } from './errors.js';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['targetRef'],
      properties: {
        targetRef: { type: 'object', properties: { name: { type: 'string', minLength: 1 } } },
        port: { 'x-kubernetes-int-or-string': true },
        analysis: {
          type: 'object',
          properties: {
            interval: { type: 'string', default: '1m', pattern: '^[0-9]+(ms|s|m|h)$' },
            threshold: { type: 'integer', minimum: 0 },
            stepWeights: { type: 'array', items: { type: 'integer', maximum: 100 }, maxItems: 3 },
            provider: { type: 'string', enum: ['prometheus', 'datadog'] },
          },
        },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        nullableField: { type: 'string', nullable: true },
      },
    },
  },
};

const canary = (spec: Record<string, unknown>) => ({
  apiVersion: 'x/v1',
  kind: 'X',
  metadata: { name: 'n', anything: 'kept' },
  spec,
});

describe('structural schema handling', () => {
  it('applies defaults only inside objects that exist', () => {
    expect(applySchema(canary({ targetRef: { name: 'a' } }), schema).value).toEqual(
      canary({ targetRef: { name: 'a' } }),
    );
    expect(
      (applySchema(canary({ targetRef: { name: 'a' }, analysis: {} }), schema).value as any).spec
        .analysis,
    ).toEqual({ interval: '1m' });
  });

  it('prunes undeclared fields but keeps metadata, preserved subtrees and additionalProperties maps', () => {
    const out = applySchema(
      canary({
        targetRef: { name: 'a', typo: 1 },
        extra: { free: { form: true } },
        labels: { a: 'b' },
        unknown: 1,
      }),
      schema,
    );
    expect(out.unknownFields).toEqual(['spec.targetRef.typo', 'spec.unknown']);
    expect(out.value).toEqual(
      canary({ targetRef: { name: 'a' }, extra: { free: { form: true } }, labels: { a: 'b' } }),
    );
    expect(out.errors).toEqual([]);
  });

  it('reports every violation with the API server wording', () => {
    const out = applySchema(
      canary({
        port: 1.5,
        analysis: {
          interval: '1 minute',
          threshold: -1,
          stepWeights: [10, 200, 30, 40],
          provider: 'graphite',
        },
        labels: { a: 1 },
        nullableField: null,
      }),
      schema,
    );
    const rendered = invalid('Canary', 'aviary.dev', 'n', out.errors).message;
    expect(rendered).toBe(
      'Canary.aviary.dev "n" is invalid: [' +
        [
          'spec.targetRef: Required value',
          'spec.port: Invalid value: "number": spec.port in body must be of type integer or string: "number"',
          'spec.analysis.interval: Invalid value: "1 minute": spec.analysis.interval in body should match \'^[0-9]+(ms|s|m|h)$\'',
          'spec.analysis.threshold: Invalid value: -1: spec.analysis.threshold in body should be greater than or equal to 0',
          'spec.analysis.stepWeights: Invalid value: 4: must have at most 3 items',
          'spec.analysis.stepWeights[1]: Invalid value: 200: spec.analysis.stepWeights[1] in body should be less than or equal to 100',
          'spec.analysis.provider: Unsupported value: "graphite": supported values: "prometheus", "datadog"',
          'spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"',
        ].join(', ') +
        ']',
    );
  });

  it('accepts int-or-string values of either kind', () => {
    expect(applySchema(canary({ targetRef: {}, port: 80 }), schema).errors).toEqual([]);
    expect(applySchema(canary({ targetRef: {}, port: 'http' }), schema).errors).toEqual([]);
  });
});
