import { SseParser, type SseEvent } from './sse';

const WIRE =
  'retry: 1000\n\n' +
  'id: 6\nevent: hello\ndata: {"lastEventId":6}\n\n' +
  ': keep-alive\n\n' +
  'id: 7\nevent: canary\ndata: {"type":"update","canary":{"name":"podinfo","note":"é"}}\n\n' +
  'event: note\ndata: first line\ndata: second line\n\n';

const EXPECTED: SseEvent[] = [
  { id: '6', event: 'hello', data: '{"lastEventId":6}' },
  { id: '7', event: 'canary', data: '{"type":"update","canary":{"name":"podinfo","note":"é"}}' },
  // The last event id persists until the server sends another one.
  { id: '7', event: 'note', data: 'first line\nsecond line' },
];

function feed(parser: SseParser, chunks: string[]): SseEvent[] {
  return chunks.flatMap(chunk => parser.push(chunk));
}

describe('SseParser', () => {
  it('parses a stream in one chunk, with the retry it asks for and the id to resume from', () => {
    const parser = new SseParser();
    expect(parser.push(WIRE)).toEqual(EXPECTED);
    expect(parser.retryMs).toBe(1000);
    expect(parser.lastEventId).toBe('7');
  });

  it('gives the same events whatever the chunk boundaries (every split point)', () => {
    for (let cut = 0; cut <= WIRE.length; cut += 1) {
      expect(feed(new SseParser(), [WIRE.slice(0, cut), WIRE.slice(cut)])).toEqual(EXPECTED);
    }
  });

  it('gives the same events one character at a time', () => {
    expect(feed(new SseParser(), [...WIRE])).toEqual(EXPECTED);
  });

  it('accepts CRLF and CR line ends, also with a CRLF split between chunks', () => {
    const crlf = WIRE.replace(/\n/g, '\r\n');
    const cr = WIRE.replace(/\n/g, '\r');
    expect(new SseParser().push(crlf)).toEqual(EXPECTED);
    expect(new SseParser().push(cr)).toEqual(EXPECTED);
    for (let cut = 1; cut < crlf.length; cut += 1) {
      expect(feed(new SseParser(), [crlf.slice(0, cut), crlf.slice(cut)])).toEqual(EXPECTED);
    }
  });

  it('holds an unfinished event until its blank line arrives', () => {
    const parser = new SseParser();
    expect(parser.push('id: 8\nevent: canary\ndata: {"a":')).toEqual([]);
    expect(parser.push('1}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ id: '8', event: 'canary', data: '{"a":1}' }]);
  });

  it('reads fields the way the spec says: no space after the colon, a bare field name, a BOM', () => {
    expect(new SseParser().push('\uFEFFid:9\nevent:canary\ndata\ndata:x\n\n')).toEqual([
      { id: '9', event: 'canary', data: '\nx' },
    ]);
  });

  it('names an event without `event:` "message" and ignores unknown fields and bad retries', () => {
    const parser = new SseParser();
    expect(parser.push('foo: bar\nretry: soon\ndata: hi\n\n')).toEqual([
      { event: 'message', data: 'hi' },
    ]);
    expect(parser.retryMs).toBeUndefined();
  });

  it('dispatches nothing for a block without data, but its id still moves the resume point', () => {
    const parser = new SseParser();
    expect(parser.push('id: 10\n\n')).toEqual([]);
    expect(parser.lastEventId).toBe('10');
    expect(parser.push(':hi\nevent: canary\n\n')).toEqual([]);
    // the event type of the empty block does not leak into the next event
    expect(parser.push('data: x\n\n')).toEqual([{ id: '10', event: 'message', data: 'x' }]);
  });

  it('ignores an id containing NUL', () => {
    const parser = new SseParser();
    expect(parser.push('id: 1\n\nid: a\0b\ndata: x\n\n')).toEqual([
      { id: '1', event: 'message', data: 'x' },
    ]);
  });
});
