import { DateTime } from 'luxon';
import { createJsonLogger } from './log.js';

describe('createJsonLogger', () => {
  const now = () => DateTime.fromISO('2026-01-01T00:00:00Z', { zone: 'utc' });

  it('writes one JSON object per line with level, ts and msg, honouring the level', () => {
    const lines: string[] = [];
    const log = createJsonLogger({ level: 'info', now, write: l => lines.push(l) });
    log.debug('hidden');
    log
      .child({ canary: 'podinfo.test' })
      .info('Advance podinfo.test canary weight 10', { weight: 10 });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      level: 'info',
      ts: '2026-01-01T00:00:00.000Z',
      msg: 'Advance podinfo.test canary weight 10',
      canary: 'podinfo.test',
      weight: 10,
    });
  });

  it('never writes secrets: registered values are masked, URLs keep only scheme and host', () => {
    const lines: string[] = [];
    const log = createJsonLogger({
      level: 'debug',
      now,
      write: l => lines.push(l),
      secrets: ['https://hooks.slack.com/services/T000/B000/XXXX', 's3cr3t-token'],
    });
    log.warn('post to https://hooks.slack.com/services/T000/B000/XXXX failed', {
      token: 's3cr3t-token',
      hook: 'http://loadtester.test/gate/approve?key=abc',
      nested: { url: 'https://user:pw@example.com/path' },
    });
    const text = lines.join('');
    expect(text).not.toContain('XXXX');
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('gate/approve');
    expect(text).not.toContain('pw@');
    expect(JSON.parse(text).hook).toBe('http://loadtester.test/***');
  });
});
