// Kubernetes Events (core/v1) on the objects the controller manages. Repeats of the same
// object + type + reason + message are aggregated into one Event (count, lastTimestamp), as
// client-go's recorder does; the Event name is derived from those fields, so aggregation also
// survives a controller restart. Recording never throws into the caller.
import { createHash } from 'node:crypto';
import { isConflict, isNotFound } from './errors.js';
import { errorText, silentLogger } from './logger.js';
import { apiVersionOf, EVENTS } from './resources.js';
import type { Clock, KubeObject, Logger, ResourceType } from './types.js';
import type { ObjectWriter } from './writer.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  writer: ObjectWriter;
  /** `source.component` and `reportingComponent`. Default: aviary-controller. */
  component?: string;
  /** `source.host` and `reportingInstance` (e.g. the pod name). */
  host?: string;
  clock?: Clock;
  logger?: Logger;
  /** How many distinct events to remember for aggregation without a read. Default 4096. */
  cacheSize?: number;
}

/** The object an Event is about; `type` fills apiVersion/kind when the object lacks them. */
export interface EventSubject {
  object: KubeObject;
  type?: ResourceType;
}

export interface CoreEvent extends KubeObject {
  involvedObject: {
    apiVersion?: string;
    kind?: string;
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
  };
  reason: string;
  message: string;
  type: EventType;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingInstance?: string;
}

export interface EventRecorder {
  /** Records (or aggregates) an Event; failures are logged, never thrown. */
  record(subject: EventSubject, type: EventType, reason: string, message: string): Promise<void>;
}

// The API server keeps messages short in events.k8s.io (1 kB note); stay within it.
const MAX_MESSAGE = 1024;

interface Seen {
  name: string;
  namespace: string;
  count: number;
}

/** Seconds-precision RFC 3339, the format of core/v1 `Time` fields. */
function kubeTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function createEventRecorder(options: EventRecorderOptions): EventRecorder {
  const component = options.component ?? 'aviary-controller';
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const cacheSize = options.cacheSize ?? 4096;
  const { writer } = options;
  const seen = new Map<string, Seen>();
  // One write at a time per aggregation key, so concurrent repeats count correctly.
  const inFlight = new Map<string, Promise<void>>();

  const remember = (key: string, value: Seen) => {
    seen.delete(key);
    seen.set(key, value);
    if (seen.size > cacheSize) {
      const oldest = seen.keys().next().value;
      if (oldest !== undefined) seen.delete(oldest);
    }
  };

  async function write(event: CoreEvent, key: string): Promise<void> {
    const namespace = event.metadata?.namespace ?? 'default';
    const name = event.metadata?.name ?? '';
    const known = seen.get(key);
    if (known) {
      try {
        await bump(known.namespace, known.name, known.count + 1, event.lastTimestamp);
        remember(key, { ...known, count: known.count + 1 });
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        // Expired by the API server's event TTL: start a new one below.
      }
    }
    try {
      await writer.create(EVENTS, event);
      remember(key, { name, namespace, count: 1 });
    } catch (err) {
      if (!isConflict(err)) throw err;
      // Recorded before this process remembered it (restart, or another replica): aggregate.
      const live = await writer.read<CoreEvent>(EVENTS, namespace, name);
      const count = (live?.count ?? 1) + 1;
      await bump(namespace, name, count, event.lastTimestamp);
      remember(key, { name, namespace, count });
    }
  }

  async function bump(namespace: string, name: string, count: number, at?: string) {
    await writer.mergePatch(EVENTS, namespace, name, { count, lastTimestamp: at });
  }

  return {
    async record(subject, type, reason, message) {
      const { object } = subject;
      const meta = object.metadata ?? {};
      const text =
        message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 3)}...` : message;
      const key = JSON.stringify([meta.namespace, meta.name, meta.uid, type, reason, text]);
      const now = kubeTime(clock());
      // Derived from the aggregation key (so a restarted recorder finds it), within the name limit.
      const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
      const name = `${(meta.name ?? 'unknown').slice(0, 253 - 17)}.${hash}`;
      const event: CoreEvent = {
        metadata: { name, namespace: meta.namespace ?? 'default' },
        involvedObject: {
          apiVersion: object.apiVersion ?? (subject.type ? apiVersionOf(subject.type) : undefined),
          kind: object.kind ?? subject.type?.kind,
          name: meta.name,
          namespace: meta.namespace,
          uid: meta.uid,
          resourceVersion: meta.resourceVersion,
        },
        reason,
        message: text,
        type,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: { component, ...(options.host ? { host: options.host } : {}) },
        reportingComponent: component,
        reportingInstance: options.host ?? '',
      };
      const previous = inFlight.get(key) ?? Promise.resolve();
      const current = previous
        .then(() => write(event, key))
        .catch((err: unknown) => {
          logger.warn('could not record event', {
            object: `${meta.namespace ?? ''}/${meta.name ?? ''}`,
            reason,
            error: errorText(err),
          });
        });
      inFlight.set(key, current);
      await current;
      if (inFlight.get(key) === current) inFlight.delete(key);
    },
  };
}
