import { load } from 'js-yaml';
import { toYaml, yamlString } from './yaml.js';

describe('yamlString', () => {
  it.each([
    ['plain words', 'Name of the metric.', 'Name of the metric.'],
    ['empty string', '', "''"],
    ['YAML boolean words', 'true', "'true'"],
    ['the word no', 'No', "'No'"],
    ['numbers', '10', "'10'"],
    ['durations starting with a digit', '1m', "'1m'"],
    ['a colon followed by a space', 'Default: 1m.', "'Default: 1m.'"],
    ['a leading backtick', '`x`', "'`x`'"],
    ['an apostrophe, which prefers double quotes', "canary's: x", '"canary\'s: x"'],
    ['a leading star', '*', "'*'"],
    ['a trailing colon', 'key:', "'key:'"],
    ['a comment marker', 'a #b', "'a #b'"],
    ['a newline', 'a\nb', '"a\\nb"'],
  ])('writes %s correctly', (_name, input, expected) => {
    expect(yamlString(input)).toBe(expected);
  });
});

describe('toYaml', () => {
  it('writes nested maps, sequences of maps and empty collections in Prettier\u2019s layout', () => {
    const text = toYaml(
      { a: { b: [1, 'two'], c: [] }, d: [{ e: 'f', g: { h: true } }], i: {}, j: null },
      ['header'],
    );
    expect(text).toBe(
      [
        '# header',
        'a:',
        '  b:',
        '    - 1',
        '    - two',
        '  c: []',
        'd:',
        '  - e: f',
        '    g:',
        '      h: true',
        'i: {}',
        'j: null',
        '',
      ].join('\n'),
    );
  });

  it('round-trips awkward strings through a YAML parser', () => {
    const value = {
      list: [
        '',
        'yes',
        '0x10',
        '- x',
        ': y',
        "it's",
        'say "hi"',
        'both \' and "',
        '^[0-9]+(m|s)',
        'µs',
      ],
      'helm.sh/resource-policy': 'keep',
      'key with: colon': 1.5,
    };
    expect(load(toYaml(value))).toEqual(value);
  });
});
