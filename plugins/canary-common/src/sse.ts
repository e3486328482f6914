// A server-sent events parser for text that arrives in arbitrary chunks (a line, a field or a CRLF pair
// may be split between chunks), following the WHATWG event-stream rules: `id`, `event`, `data` (several
// lines join with \n), `retry`, comment lines starting with ':' (heartbeats), a blank line ending each
// event. The backend reads the controllers' streams with it, the browser the backend's stream (fetch,
// because EventSource cannot send the Backstage token).

/** One dispatched event: `event:` (default "message"), the joined `data:` lines and the last event id. */
export interface SseEvent {
  /** The last event id at dispatch (it persists across events, as in EventSource). */
  id?: string;
  event: string;
  data: string;
}

export class SseParser {
  private buffer = '';
  /** A chunk ended right after "\r": a following "\n" belongs to the same line break. */
  private pendingCR = false;
  private started = false;
  private lastId: string | undefined;
  private event = '';
  private data: string[] = [];
  /** The last valid `retry:` the server asked for, in milliseconds. */
  retryMs: number | undefined;

  /** The id to send as `Last-Event-ID` when reconnecting. */
  get lastEventId(): string | undefined {
    return this.lastId;
  }

  /** Feeds decoded text; returns the events completed by it, in order. */
  push(text: string): SseEvent[] {
    let input = text;
    if (!this.started && input.length > 0) {
      this.started = true;
      if (input.charCodeAt(0) === 0xfeff) input = input.slice(1);
    }
    if (this.pendingCR && input.startsWith('\n')) input = input.slice(1);
    this.pendingCR = false;
    this.buffer += input;
    const events: SseEvent[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      // A CR at the very end may be the first half of a CRLF still in flight.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) this.pendingCR = true;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      case 'event':
        this.event = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break;
    }
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const { event, data } = this;
    this.event = '';
    this.data = [];
    // An event without data is not dispatched; an id it carried still moves lastEventId.
    if (data.length === 0) return undefined;
    return {
      ...(this.lastId !== undefined ? { id: this.lastId } : {}),
      event: event || 'message',
      data: data.join('\n'),
    };
  }
}
