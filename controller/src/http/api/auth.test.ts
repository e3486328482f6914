import { authenticate, parseTokens } from './auth.js';

describe('API tokens', () => {
  it('parses lines token[:identity[:role]] with comments, defaulting the role to write', () => {
    expect(parseTokens('# ops\n\nt1:alice:read\nt2:bob\nt3\nt4:backstage:trusted\n')).toEqual([
      { token: 't1', identity: 'alice', role: 'read' },
      { token: 't2', identity: 'bob', role: 'write' },
      { token: 't3', identity: 'token-line-5', role: 'write' },
      { token: 't4', identity: 'backstage', role: 'trusted' },
    ]);
  });

  it('parses a JSON map', () => {
    expect(parseTokens('{"t1":"alice","t2":{"identity":"bs","role":"trusted"}}')).toEqual([
      { token: 't1', identity: 'alice', role: 'write' },
      { token: 't2', identity: 'bs', role: 'trusted' },
    ]);
  });

  it('errors name the line, not the token', () => {
    expect(() => parseTokens('ok:a\nsecret-value:b:admin')).toThrow(/^line 2: role must be/);
    expect(() => parseTokens('ok:a\nsecret-value:b:admin')).not.toThrow(/secret-value/);
  });

  it('authenticates bearer tokens', () => {
    const tokens = parseTokens('t1:alice:read');
    expect(authenticate(undefined, tokens)).toEqual({ kind: 'anonymous' });
    expect(authenticate('Bearer t1', tokens)).toEqual({
      kind: 'ok',
      principal: { identity: 'alice', role: 'read' },
    });
    expect(authenticate('Bearer t2', tokens)).toMatchObject({ kind: 'invalid' });
    expect(authenticate('Basic dTpw', tokens)).toMatchObject({ kind: 'invalid' });
  });
});
