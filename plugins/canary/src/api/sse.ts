// A small server-sent-events parser. The browser's EventSource cannot send the Backstage token, so the
// client reads the stream with fetch and feeds decoded text here chunk by chunk; a line or an event may
// be split anywhere between chunks.

/** One dispatched event: `event:` (default "message"), the joined `data:` lines and the last `id:`. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

export class SseParser {
  private buffer = '';
  private eventType = '';
  private dataLines: string[] = [];
  private lastId: string | undefined;
  /** A chunk ended right after "\r": a following "\n" belongs to the same line break. */
  private pendingCr = false;

  /** The `id:` of the last event seen, to resume with `Last-Event-ID` after a reconnect. */
  get lastEventId(): string | undefined {
    return this.lastId;
  }

  /** Feeds decoded text; returns the events completed by it, in order. */
  push(chunk: string): SseEvent[] {
    let text = chunk;
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    const events: SseEvent[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      // A lone "\r" at the very end may be the first half of "\r\n".
      if (match[0] === '\r' && match.index === this.buffer.length - 1) {
        this.pendingCr = true;
      }
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined; // comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon >= 0 ? line.slice(0, colon) : line;
    let value = colon >= 0 ? line.slice(colon + 1) : '';
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.dataLines.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      default:
        // `retry:` and unknown fields: the client keeps its own backoff.
        break;
    }
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const type = this.eventType || 'message';
    const lines = this.dataLines;
    this.eventType = '';
    this.dataLines = [];
    if (lines.length === 0) return undefined;
    const event: SseEvent = { event: type, data: lines.join('\n') };
    if (this.lastId !== undefined) event.id = this.lastId;
    return event;
  }
}
