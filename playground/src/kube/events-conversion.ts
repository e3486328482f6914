/**
 * core/v1 Event and events.k8s.io/v1 Event are two views of the same stored objects, as in a
 * real cluster: an event written through one API is listed by the other.
 */
import type { KubeObject } from './types.js';

type Obj = Record<string, unknown>;

const RENAMES: Array<[core: string, v1: string]> = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['count', 'deprecatedCount'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['source', 'deprecatedSource'],
  ['reportingComponent', 'reportingController'],
];

function rename(o: KubeObject, apiVersion: string, from: 0 | 1): KubeObject {
  const out: Obj = { ...o, apiVersion };
  for (const pair of RENAMES) {
    const src = pair[from];
    const dst = pair[from === 0 ? 1 : 0];
    if (src in out) {
      out[dst] = out[src];
      delete out[src];
    }
  }
  return out as KubeObject;
}

export const coreEventFromEventsV1 = (o: KubeObject): KubeObject => rename(o, 'v1', 1);
export const eventsV1FromCoreEvent = (o: KubeObject): KubeObject =>
  rename(o, 'events.k8s.io/v1', 0);
