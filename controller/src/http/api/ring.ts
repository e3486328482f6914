// A bounded, in-memory ring of canary changes with monotonically increasing ids, so an SSE client
// can resume after a disconnect (`Last-Event-ID`) without missing a transition. When the id it
// asks for has already fallen out of the ring, `since` says so and the client must re-list.

export interface RingEntry<T> {
  id: number;
  event: string;
  data: T;
}

export class ChangeRing<T> {
  private readonly entries: Array<RingEntry<T>> = [];
  private seq = 0;
  private readonly listeners = new Set<(entry: RingEntry<T>) => void>();

  constructor(private readonly capacity = 1000) {}

  /** The id of the newest entry (0 before any). */
  get lastId(): number {
    return this.seq;
  }

  push(event: string, data: T): RingEntry<T> {
    const entry = { id: ++this.seq, event, data };
    this.entries.push(entry);
    if (this.entries.length > this.capacity)
      this.entries.splice(0, this.entries.length - this.capacity);
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  /** Entries after `id`, or `reset` when some of them are no longer kept (or `id` is unknown). */
  since(id: number): Array<RingEntry<T>> | 'reset' {
    if (!Number.isInteger(id) || id < 0 || id > this.seq) return 'reset';
    const oldest = this.entries[0]?.id ?? this.seq + 1;
    if (id + 1 < oldest) return 'reset';
    return this.entries.filter(e => e.id > id);
  }

  subscribe(listener: (entry: RingEntry<T>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
