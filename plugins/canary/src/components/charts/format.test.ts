import { timeTickFormatter } from './format';

const at = (iso: string) => Date.parse(iso);

describe('timeTickFormatter', () => {
  it('shows seconds when the chart spans less than ten minutes', () => {
    const format = timeTickFormatter([at('2026-11-22T07:37:00Z'), at('2026-11-22T07:37:40Z')]);
    expect(format(at('2026-11-22T07:37:40Z'))).toMatch(/^\d\d:\d\d:40$/);
  });

  it('shows hours and minutes over longer spans', () => {
    const format = timeTickFormatter([at('2026-11-22T07:00:00Z'), at('2026-11-22T08:00:00Z')]);
    expect(format(at('2026-11-22T07:30:00Z'))).toMatch(/^\d\d:30$/);
  });
});
