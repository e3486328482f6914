import { obj, str } from './schema/build.js';
import type { CrdDefinition } from './schema/common.js';
import type { SchemaNode } from './schema/node.js';
import { generateTypes } from './typegen.js';

function crd(schema: SchemaNode): CrdDefinition {
  return {
    kind: 'Thing',
    listKind: 'ThingList',
    plural: 'things',
    singular: 'thing',
    categories: [],
    printerColumns: [],
    schema,
    file: 'things.yaml',
  };
}

function body(text: string): string {
  return text.split('\n').slice(3).join('\n');
}

describe('generateTypes', () => {
  it('turns named objects into interfaces with JSDoc and optional fields unless required', () => {
    const schema: SchemaNode = {
      type: 'object',
      description: 'A thing.',
      tsName: 'Thing',
      tsRequired: ['meta'],
      required: ['size'],
      properties: {
        meta: { type: 'object', description: 'Metadata.', tsType: 'ObjectMeta' },
        size: { type: 'integer', description: 'Size.', default: 3 },
        port: { 'x-kubernetes-int-or-string': true, description: 'Port.' },
        mode: { type: 'string', description: 'Mode.', enum: ['a', "b'c"], tsName: 'Mode' },
        tags: {
          type: 'array',
          description: 'Tags.',
          items: { type: 'string', description: 'Tag.' },
        },
        labels: {
          type: 'object',
          description: 'Labels.',
          additionalProperties: { type: 'string', description: 'Value.' },
        },
        open: {
          type: 'object',
          description: 'Open.',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: { known: { type: 'boolean', description: 'Known.' } },
        },
        'odd-name': { type: 'number', description: 'Odd.', nullable: true },
      },
    };
    expect(body(generateTypes([crd(schema)]))).toBe(
      `
/** A thing. */
export interface Thing {
  /** Metadata. */
  meta: ObjectMeta;
  /**
   * Size.
   * @default 3
   */
  size: number;
  /** Port. */
  port?: number | string;
  /** Mode. */
  mode?: Mode;
  /** Tags. */
  tags?: string[];
  /** Labels. */
  labels?: Record<string, string>;
  /** Open. */
  open?: {
    /** Known. */
    known?: boolean;
    /** Fields not listed above are kept and passed through unchanged. */
    [key: string]: unknown;
  };
  /** Odd. */
  'odd-name'?: number | null;
}

/** Mode. */
export type Mode = 'a' | 'b\\'c';
`,
    );
  });

  it('declares a named node once even when it is reused under other descriptions', () => {
    const shared = obj('Shared.', { x: str('X.') }, { tsName: 'Shared' });
    const schema = obj(
      'Root.',
      { one: shared, two: { ...shared, description: 'Second use.' } },
      { tsName: 'Root' },
    );
    const text = generateTypes([crd(schema)]);
    expect(text.match(/export interface Shared/g)).toHaveLength(1);
    expect(text).toContain('/** Second use. */\n  two?: Shared;');
  });

  it('refuses two different schemas under one name', () => {
    const schema = obj(
      'Root.',
      {
        one: obj('A.', { x: str('X.') }, { tsName: 'Same' }),
        two: obj('B.', {}, { tsName: 'Same' }),
      },
      { tsName: 'Root' },
    );
    expect(() => generateTypes([crd(schema)])).toThrow('two different schemas are both named Same');
  });
});
