import type { DateTime } from 'luxon';
import { WorkQueue, type WorkOutcome } from './queue.js';
import { FakeClock, flush } from './test-support/fake-clock.js';

/** A handler whose runs the test finishes by hand. */
function controllable(clock: FakeClock) {
  const runs: string[] = [];
  const pending = new Map<string, Array<(outcome: WorkOutcome | Error) => void>>();
  const handler = (key: string) => {
    runs.push(key);
    return new Promise<WorkOutcome>((resolve, reject) => {
      const list = pending.get(key) ?? [];
      list.push(outcome => (outcome instanceof Error ? reject(outcome) : resolve(outcome)));
      pending.set(key, list);
    });
  };
  const finish = async (key: string, outcome: WorkOutcome | Error = {}) => {
    const next = pending.get(key)?.shift();
    if (!next) throw new Error(`${key} is not running`);
    next(outcome);
    await flush();
  };
  const inSeconds = (s: number): DateTime => clock.now().plus({ seconds: s });
  return { runs, handler, finish, inSeconds, running: (key: string) => !!pending.get(key)?.length };
}

describe('WorkQueue', () => {
  it('runs an enqueued key at once and again at the due time its run returned', async () => {
    const clock = new FakeClock();
    const h = controllable(clock);
    const queue = new WorkQueue(h.handler, { concurrency: 2, clock });
    queue.enqueue('a');
    await flush();
    expect(h.runs).toEqual(['a']);
    await h.finish('a', { nextDueAt: h.inSeconds(10) });
    await clock.advance(9_999);
    expect(h.runs).toEqual(['a']);
    await clock.advance(1);
    expect(h.runs).toEqual(['a', 'a']);
  });

  it('an event makes a key due now, ahead of its scheduled time', async () => {
    const clock = new FakeClock();
    const h = controllable(clock);
    const queue = new WorkQueue(h.handler, { concurrency: 1, clock });
    queue.enqueue('a');
    await flush();
    await h.finish('a', { nextDueAt: h.inSeconds(60) });
    queue.enqueue('a');
    await flush();
    expect(h.runs).toEqual(['a', 'a']);
  });

  it('never overlaps runs of one key: an event during a run reruns it right after', async () => {
    const clock = new FakeClock();
    const h = controllable(clock);
    const queue = new WorkQueue(h.handler, { concurrency: 4, clock });
    queue.enqueue('a');
    await flush();
    queue.enqueue('a');
    queue.enqueue('a');
    await flush();
    expect(h.runs).toEqual(['a']);
    await h.finish('a', { nextDueAt: h.inSeconds(60) });
    expect(h.runs).toEqual(['a', 'a']);
    await h.finish('a', { nextDueAt: h.inSeconds(60) });
    expect(h.runs).toEqual(['a', 'a']);
  });

  it('bounds concurrency, and the next due key takes a freed slot', async () => {
    const clock = new FakeClock();
    const h = controllable(clock);
    const queue = new WorkQueue(h.handler, { concurrency: 2, clock });
    for (const key of ['a', 'b', 'c']) queue.enqueue(key);
    await flush();
    expect(h.runs).toEqual(['a', 'b']);
    expect(queue.running).toBe(2);
    await h.finish('b');
    expect(h.runs).toEqual(['a', 'b', 'c']);
  });

  it('a slow key keeps one slot only; the others keep their schedule', async () => {
    const clock = new FakeClock();
    const h = controllable(clock);
    const queue = new WorkQueue(h.handler, { concurrency: 2, clock });
    queue.enqueue('slow');
    queue.enqueue('fast');
    await flush();
    for (let i = 1; i <= 3; i++) {
      await h.finish('fast', { nextDueAt: h.inSeconds(10) });
      await clock.advance(10_000);
    }
    expect(h.runs.filter(k => k === 'fast')).toHaveLength(4);
    expect(h.running('slow')).toBe(true);
  });

  it('backs a failing key off exponentially without delaying the others', async () => {
    const clock = new FakeClock();
    const h = controllable(clock);
    const failed: number[] = [];
    const queue = new WorkQueue(h.handler, {
      concurrency: 1,
      clock,
      backoff: { initialMs: 1000, maxMs: 3000 },
      observer: { failed: (_key, _err, retryInMs) => failed.push(retryInMs) },
    });
    queue.enqueue('bad');
    queue.enqueue('good');
    await flush();
    await h.finish('bad', new Error('boom'));
    expect(h.runs).toEqual(['bad', 'good']);
    await h.finish('good', { nextDueAt: h.inSeconds(1) });
    await clock.advance(1000);
    // Both due at the same instant: the one that became due first runs first.
    expect(h.runs).toEqual(['bad', 'good', 'bad']);
    await h.finish('bad', new Error('boom'));
    await h.finish('good', {});
    await clock.advance(2000);
    await h.finish('bad', new Error('boom'));
    await clock.advance(3000);
    await h.finish('bad', {});
    expect(failed).toEqual([1000, 2000, 3000]);
  });

  it('forget drops the schedule; a running key is not rescheduled', async () => {
    const clock = new FakeClock();
    const h = controllable(clock);
    const queue = new WorkQueue(h.handler, { concurrency: 1, clock });
    queue.enqueue('a');
    await flush();
    queue.forget('a');
    await h.finish('a', { nextDueAt: h.inSeconds(1) });
    await clock.advance(5000);
    expect(h.runs).toEqual(['a']);
    expect(queue.keys()).toEqual([]);
  });

  it('stop waits for the runs in flight and starts nothing new', async () => {
    const clock = new FakeClock();
    const h = controllable(clock);
    const queue = new WorkQueue(h.handler, { concurrency: 1, clock });
    queue.enqueue('a');
    queue.enqueue('b');
    await flush();
    let stopped = false;
    const stopping = queue.stop().then(() => (stopped = true));
    await flush();
    expect(stopped).toBe(false);
    await h.finish('a');
    await stopping;
    expect(h.runs).toEqual(['a']);
  });
});
