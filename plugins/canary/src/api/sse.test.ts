import { SseParser } from './sse';

describe('SseParser', () => {
  it('dispatches an event at the blank line, with its type, data and id', () => {
    const parser = new SseParser();
    expect(parser.push('id: 7\nevent: canary\ndata: {"a":1}\n\n')).toEqual([
      { event: 'canary', data: '{"a":1}', id: '7' },
    ]);
    expect(parser.lastEventId).toBe('7');
  });

  it('joins multi-line data and defaults the type to message', () => {
    expect(new SseParser().push('data: one\ndata:two\n\n')).toEqual([
      { event: 'message', data: 'one\ntwo' },
    ]);
  });

  it('survives a split at every position of a stream', () => {
    const text =
      ': keep-alive\r\nevent: canary\r\ndata: {"x":"é"}\r\nid: 1\r\n\r\n' +
      'event: rollout\rdata: {"y":2}\r\r' +
      'event: canary\ndata: {"z":3}\n\n';
    const expected = [
      { event: 'canary', data: '{"x":"é"}', id: '1' },
      { event: 'rollout', data: '{"y":2}', id: '1' },
      { event: 'canary', data: '{"z":3}', id: '1' },
    ];
    for (let cut = 0; cut <= text.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
      expect(events).toEqual(expected);
    }
  });

  it('feeds one character at a time', () => {
    const parser = new SseParser();
    const events = [...'event: canary\r\ndata: 1\r\n\r\n'].flatMap(c => parser.push(c));
    expect(events).toEqual([{ event: 'canary', data: '1' }]);
  });

  it('ignores comments, retry, unknown fields and events without data', () => {
    const parser = new SseParser();
    expect(parser.push(':hi\nretry: 100\nfoo: bar\nevent: canary\n\n')).toEqual([]);
    // the event type does not leak into the next event
    expect(parser.push('data: x\n\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('keeps the field name when a line has no colon', () => {
    expect(new SseParser().push('data\n\n')).toEqual([{ event: 'message', data: '' }]);
  });

  it('holds an unfinished event until its blank line arrives', () => {
    const parser = new SseParser();
    expect(parser.push('event: canary\ndata: {"a"')).toEqual([]);
    expect(parser.push(':1}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'canary', data: '{"a":1}' }]);
  });
});
