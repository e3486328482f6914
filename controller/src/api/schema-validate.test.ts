import { validateSchema } from './schema-validate.js';
import type { SchemaNode } from './schema/node.js';

const schema: SchemaNode = {
  type: 'object',
  description: 'Root.',
  required: ['name'],
  properties: {
    name: { type: 'string', description: 'Name.', minLength: 2, maxLength: 5 },
    count: { type: 'integer', description: 'Count.', minimum: 1, maximum: 10 },
    ratio: { type: 'number', description: 'Ratio.' },
    on: { type: 'boolean', description: 'On.' },
    mode: { type: 'string', description: 'Mode.', enum: ['', 'fast', 'slow'] },
    every: {
      type: 'string',
      description: 'Every.',
      pattern: '^[0-9]+(m|s)',
      patternHint: 'a duration like 1m',
    },
    code: { type: 'string', description: 'Code.', pattern: '^[a-z]+$' },
    port: { 'x-kubernetes-int-or-string': true, description: 'Port.' },
    steps: {
      type: 'array',
      description: 'Steps.',
      minItems: 1,
      maxItems: 3,
      items: { type: 'integer', description: 'Step.', minimum: 1 },
    },
    labels: {
      type: 'object',
      description: 'Labels.',
      additionalProperties: { type: 'string', description: 'Value.' },
    },
    closed: {
      type: 'object',
      description: 'Closed.',
      additionalProperties: false,
    },
    open: {
      type: 'object',
      description: 'Open.',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: { known: { type: 'integer', description: 'Known.' } },
    },
    anything: { type: 'object', description: 'Anything.' },
    maybe: { type: 'string', description: 'Maybe.', nullable: true },
    nested: {
      type: 'object',
      description: 'Nested.',
      required: ['id'],
      properties: { id: { type: 'string', description: 'Id.' } },
    },
  },
};

function fields(value: unknown, options = {}) {
  return validateSchema(value, schema, 'spec', options);
}

describe('validateSchema', () => {
  it('accepts a value that follows every rule', () => {
    expect(
      fields({
        name: 'abc',
        count: 10,
        ratio: 0.5,
        on: false,
        mode: '',
        every: '1m30s',
        code: 'abc',
        port: 'http',
        steps: [1, 2],
        labels: { a: 'b' },
        closed: {},
        open: { known: 1, extra: { deep: true } },
        anything: { x: [1] },
        maybe: null,
        nested: { id: 'x' },
      }),
    ).toEqual([]);
  });

  it.each([
    [
      'a string where an integer belongs',
      { count: '5' },
      'spec.count',
      'spec.count must be a whole number, but is the text "5".',
    ],
    [
      'a fraction where an integer belongs',
      { count: 1.5 },
      'spec.count',
      'spec.count must be a whole number, but is 1.5.',
    ],
    [
      'a string where a number belongs',
      { ratio: 'x' },
      'spec.ratio',
      'spec.ratio must be a number, but is the text "x".',
    ],
    [
      'a string where a boolean belongs',
      { on: 'yes' },
      'spec.on',
      'spec.on must be true or false, but is the text "yes".',
    ],
    [
      'a list where an object belongs',
      { labels: [] },
      'spec.labels',
      'spec.labels must be an object, but is a list.',
    ],
    [
      'an object where a list belongs',
      { steps: {} },
      'spec.steps',
      'spec.steps must be a list, but is an object.',
    ],
    [
      'a value outside the enum',
      { mode: 'medium' },
      'spec.mode',
      'spec.mode must be one of "" (empty), fast, slow, but is the text "medium".',
    ],
    [
      'a number below the minimum',
      { count: 0 },
      'spec.count',
      'spec.count must be at least 1, but is 0.',
    ],
    [
      'a number above the maximum',
      { count: 11 },
      'spec.count',
      'spec.count must be at most 10, but is 11.',
    ],
    [
      'a string that is too short',
      { name: 'a' },
      'spec.name',
      'spec.name must be at least 2 characters long.',
    ],
    [
      'a string that is too long',
      { name: 'abcdef' },
      'spec.name',
      'spec.name must be at most 5 characters long.',
    ],
    [
      'a pattern mismatch with a hint',
      { every: 'often' },
      'spec.every',
      'spec.every must be a duration like 1m, but is the text "often".',
    ],
    [
      'a pattern mismatch without a hint',
      { code: 'A1' },
      'spec.code',
      'spec.code must be text matching ^[a-z]+$, but is the text "A1".',
    ],
    [
      'a boolean for int-or-string',
      { port: true },
      'spec.port',
      'spec.port must be a whole number or a string, but is true.',
    ],
    [
      'a fraction for int-or-string',
      { port: 80.5 },
      'spec.port',
      'spec.port must be a whole number or a string, but is 80.5.',
    ],
    ['too few list entries', { steps: [] }, 'spec.steps', 'spec.steps must have at least 1 entry.'],
    [
      'too many list entries',
      { steps: [1, 2, 3, 4] },
      'spec.steps',
      'spec.steps must have at most 3 entries.',
    ],
    [
      'a bad list entry',
      { steps: [1, 0] },
      'spec.steps[1]',
      'spec.steps[1] must be at least 1, but is 0.',
    ],
    [
      'a null list entry',
      { steps: [1, null] },
      'spec.steps[1]',
      'spec.steps[1] must not be empty.',
    ],
    [
      'a bad map value',
      { labels: { 'app.kubernetes.io/name': 3 } },
      'spec.labels["app.kubernetes.io/name"]',
      'spec.labels["app.kubernetes.io/name"] must be a string, but is 3.',
    ],
    [
      'a key in a closed map',
      { closed: { x: 1 } },
      'spec.closed.x',
      'spec.closed.x is not allowed here.',
    ],
    ['a missing nested field', { nested: {} }, 'spec.nested.id', 'spec.nested.id is required.'],
    ['a null required field', { name: null }, 'spec.name', 'spec.name is required.'],
    [
      'a known field inside an open object',
      { open: { known: 'x' } },
      'spec.open.known',
      'spec.open.known must be a whole number, but is the text "x".',
    ],
  ])('reports %s', (_case, extra, field, message) => {
    expect(fields({ name: 'abc', ...extra })).toEqual([{ field, message }]);
  });

  it('reports a missing required field', () => {
    expect(fields({})).toEqual([{ field: 'spec.name', message: 'spec.name is required.' }]);
  });

  it('reports unknown fields, suggesting the closest known one', () => {
    expect(fields({ name: 'abc', cuont: 1, zzzzzz: 2 })).toEqual([
      { field: 'spec.cuont', message: 'spec.cuont is not a known field (did you mean count?).' },
      { field: 'spec.zzzzzz', message: 'spec.zzzzzz is not a known field.' },
    ]);
  });

  it('accepts unknown fields when asked to ignore them', () => {
    expect(fields({ name: 'abc', cuont: 1 }, { unknownFields: 'ignore' })).toEqual([]);
  });

  it('treats null as absent for fields that are not nullable, like the API server', () => {
    expect(fields({ name: 'abc', count: null, labels: null })).toEqual([]);
  });

  it('reports every problem, not only the first', () => {
    const problems = fields({ count: 'x', mode: 'y', steps: [0, 'a'] });
    expect(problems.map(p => p.field)).toEqual([
      'spec.name',
      'spec.count',
      'spec.mode',
      'spec.steps[0]',
      'spec.steps[1]',
    ]);
  });

  it('reports an absent root value', () => {
    expect(validateSchema(undefined, schema, 'spec')).toEqual([
      { field: 'spec', message: 'spec is required.' },
    ]);
  });
});
