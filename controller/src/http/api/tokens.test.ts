import { mkdtempSync, writeFileSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../../kube/index.js';
import { fileTokens, secretTokens } from './tokens.js';

function logger(lines: string[]): Logger {
  const line = (msg: string, fields?: Record<string, unknown>) =>
    lines.push(`${msg} ${JSON.stringify(fields)}`);
  return { debug: line, info: line, warn: line, error: line };
}

describe('API token sources', () => {
  it('a file is re-read when it changes; a broken file means no tokens and no token in the log', () => {
    const lines: string[] = [];
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'aviary-tokens-')), 'tokens');
    writeFileSync(file, 'first-secret:alice\n');
    const source = fileTokens(file, logger(lines));
    expect(source()).toEqual([{ token: 'first-secret', identity: 'alice', role: 'write' }]);
    writeFileSync(file, 'second-secret:bob:trusted\nbroken-secret:x:root\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(source()).toEqual([]);
    expect(lines.join('\n')).not.toMatch(/secret:|first-secret|broken-secret/);
    expect(lines.join('\n')).toContain('line 2');
  });

  it('a Secret from the cache, decoded from its "tokens" key', () => {
    const lines: string[] = [];
    const held: { secret?: object } = {};
    const source = secretTokens({ get: () => held.secret as never }, 'ops', 'api', logger(lines));
    expect(source()).toEqual([]);
    held.secret = {
      metadata: { resourceVersion: '7' },
      data: {
        tokens: Buffer.from('{"s3cr3t":{"identity":"backstage","role":"trusted"}}').toString(
          'base64',
        ),
      },
    };
    expect(source()).toEqual([{ token: 's3cr3t', identity: 'backstage', role: 'trusted' }]);
    expect(lines.join('\n')).not.toContain('s3cr3t');
  });
});
