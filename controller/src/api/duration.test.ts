import { isPromQLDuration, parseGoDuration } from './duration.js';

describe('parseGoDuration', () => {
  it.each([
    ['1m', 60_000],
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['2h', 7_200_000],
    ['2h45m', 9_900_000],
    ['1.5s', 1500],
    ['.5s', 500],
    ['5.s', 5000],
    ['100us', 0.1],
    ['100µs', 0.1],
    ['100μs', 0.1],
    ['1000000ns', 1],
    ['0', 0],
    ['0s', 0],
    ['-1m', -60_000],
    ['+10s', 10_000],
  ])('parses %s as %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 9);
  });

  it.each([
    '',
    '1',
    '10',
    'm',
    '1min',
    '1d',
    '1 m',
    '1m ',
    ' 1m',
    '1m-30s',
    '.s',
    '1.2.3s',
    '--1m',
    '-',
    'abc',
    '1ms5',
  ])('rejects %j', text => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

describe('isPromQLDuration', () => {
  it.each(['1m', '30s', '1m30s', '500ms', '2h'])('accepts %s', text => {
    expect(isPromQLDuration(text)).toBe(true);
  });

  it.each(['1.5m', '100us', '-1m', '0', ''])('rejects %j', text => {
    expect(isPromQLDuration(text)).toBe(false);
  });
});
