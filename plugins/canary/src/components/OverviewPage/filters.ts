// The overview's filters live in the query string so a filtered view can be linked and reloaded.
import type { CanaryPhase, OverviewItem } from '@aviary/backstage-plugin-canary-common';
import type { OverviewFilter } from '../../api/CanaryApi';
import { PHASES } from '../status/phase';

export const FILTER_KEYS = ['owner', 'phase', 'cluster'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export function filterFromSearch(search: URLSearchParams): OverviewFilter {
  const filter: OverviewFilter = {};
  const owner = search.get('owner');
  const phase = search.get('phase');
  const cluster = search.get('cluster');
  if (owner) filter.owner = owner;
  if (phase && (PHASES as readonly string[]).includes(phase)) filter.phase = phase as CanaryPhase;
  if (cluster) filter.cluster = cluster;
  return filter;
}

/** The search params with one filter set (or removed when empty), others untouched. */
export function withFilter(search: URLSearchParams, key: FilterKey, value: string) {
  const next = new URLSearchParams(search);
  if (value) next.set(key, value);
  else next.delete(key);
  return next;
}

/** Choices of each select: what the unfiltered list holds, plus the current value. */
export function filterOptions(items: OverviewItem[], current: OverviewFilter) {
  const owners = new Set<string>();
  const clusters = new Set<string>();
  for (const item of items) {
    if (item.owner) owners.add(item.owner);
    clusters.add(item.canary.cluster);
  }
  if (current.owner) owners.add(current.owner);
  if (current.cluster) clusters.add(current.cluster);
  return {
    owner: [...owners].sort(),
    phase: [...PHASES],
    cluster: [...clusters].sort(),
  };
}
