// A server-sent events parser for a byte stream that arrives in arbitrary chunks (a line, a field
// or a CRLF pair may be split across chunks). Follows the WHATWG event-stream rules that the
// controller's stream uses: `id`, `event`, `data` (several lines join with \n), `retry`, comment
// lines starting with ':' (heartbeats), and a blank line ending each event.

export interface SseEvent {
  /** The `id:` of this event, when it had one. */
  id?: string;
  event: string;
  data: string;
}

export class SseParser {
  private buffer = '';
  private pendingCR = false;
  private started = false;
  private id: string | undefined;
  private event = '';
  private data: string[] = [];
  /** The last `retry:` the server asked for, in milliseconds. */
  retryMs: number | undefined;

  /** Feeds decoded text; returns the events completed by it, in order. */
  push(text: string): SseEvent[] {
    let input = text;
    if (!this.started && input.length > 0) {
      this.started = true;
      if (input.charCodeAt(0) === 0xfeff) input = input.slice(1);
    }
    // A CR that ended the previous chunk already ended its line: skip an LF that follows it.
    if (this.pendingCR && input.startsWith('\n')) input = input.slice(1);
    this.pendingCR = false;
    this.buffer += input;
    const events: SseEvent[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      // A CR at the very end may be the first half of a CRLF still in flight.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) {
        this.pendingCR = true;
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
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'id':
        if (!value.includes('\0')) this.id = value;
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
    const { id, event, data } = this;
    this.id = undefined;
    this.event = '';
    this.data = [];
    // An event without data is not dispatched (the spec); its id would still move the position.
    if (data.length === 0) {
      return id !== undefined ? { id, event: '', data: '' } : undefined;
    }
    return {
      ...(id !== undefined ? { id } : {}),
      event: event || 'message',
      data: data.join('\n'),
    };
  }
}
