import { evaluateJsonPath } from './jsonpath.js';

const obj = {
  status: {
    phase: 'Progressing',
    canaryWeight: 10,
    conditions: [
      { type: 'Promoted', status: 'Unknown' },
      { type: 'Ready', status: 'True' },
    ],
  },
  spec: { items: [{ n: 1 }, { n: 2 }] },
};

describe('printer-column JSONPath', () => {
  it.each([
    ['.status.phase', ['Progressing']],
    ['{.status.canaryWeight}', [10]],
    ['.status.conditions[?(@.type=="Promoted")].status', ['Unknown']],
    ['.status.conditions[1].type', ['Ready']],
    ['.status.conditions[-1].type', ['Ready']],
    ['.spec.items[*].n', [1, 2]],
    ['.status.missing', []],
    ['$.status.phase', ['Progressing']],
  ])('%s → %j', (expr, expected) => {
    expect(evaluateJsonPath(obj, expr)).toEqual(expected);
  });
});
