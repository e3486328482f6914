import { overviewItems } from '../../testing/fixtures';
import { filterFromSearch, filterOptions, withFilter } from './filters';

describe('overview filters', () => {
  it('reads known filters from the query string and drops an unknown phase', () => {
    expect(filterFromSearch(new URLSearchParams('owner=group:default/a&phase=Failed&x=1'))).toEqual(
      { owner: 'group:default/a', phase: 'Failed' },
    );
    expect(filterFromSearch(new URLSearchParams('phase=Exploded&cluster=prod'))).toEqual({
      cluster: 'prod',
    });
    expect(filterFromSearch(new URLSearchParams(''))).toEqual({});
  });

  it('sets and clears one filter, keeping the others', () => {
    const search = new URLSearchParams('owner=a&tab=2');
    expect(withFilter(search, 'phase', 'Failed').toString()).toBe('owner=a&tab=2&phase=Failed');
    expect(withFilter(search, 'owner', '').toString()).toBe('tab=2');
    expect(search.toString()).toBe('owner=a&tab=2');
  });

  it('offers the owners and clusters of the unfiltered list plus the current choice', () => {
    const options = filterOptions(overviewItems, { owner: 'group:default/gone', cluster: 'local' });
    expect(options.owner).toEqual([
      'group:default/gone',
      'group:default/team-a',
      'group:default/team-b',
    ]);
    expect(options.cluster).toEqual(['local', 'prod']);
    expect(options.phase).toContain('WaitingPromotion');
  });
});
