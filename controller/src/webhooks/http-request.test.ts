import { startConnectProxy, startRecorder } from './__fixtures__/http-recorder.js';
import { HttpRequestError, httpRequest, maskSecrets, redactUrl } from './http-request.js';

describe('outbound HTTP helper', () => {
  it('redacts URLs down to scheme and host', () => {
    expect(redactUrl('https://user:pw@hooks.slack.com/services/T0/B0/SECRET?x=1')).toBe(
      'https://hooks.slack.com/***',
    );
    expect(redactUrl('not a url')).toBe('<invalid URL>');
  });

  it('masks secrets, raw and URL-encoded, longest first', () => {
    expect(maskSecrets('token a/b c and a%2Fb%20c', ['a/b c'])).toBe('token *** and ***');
    expect(maskSecrets('abc', ['', undefined, 'ab'])).toBe('abc');
  });

  it('speaks HTTPS through a CONNECT tunnel', async () => {
    const server = await startRecorder(() => ({ status: 201, body: 'created' }), { tls: true });
    const proxy = await startConnectProxy();
    try {
      const response = await httpRequest({
        method: 'POST',
        url: `${server.url}/x`,
        body: '{}',
        timeoutMs: 2000,
        insecureSkipVerify: true,
        proxy: proxy.url,
      });
      expect([response.status, response.body]).toEqual([201, 'created']);
      expect(proxy.tunnels.map(t => t.authority)).toEqual([new URL(server.url).host]);
    } finally {
      await proxy.close();
      await server.close();
    }
  });

  it('rejects bad URLs before touching the network', async () => {
    await expect(
      httpRequest({ method: 'GET', url: 'file:///etc/passwd', timeoutMs: 100 }),
    ).rejects.toEqual(
      new HttpRequestError('invalid-url', 'invalid URL (expected http:// or https://)'),
    );
    await expect(
      httpRequest({ method: 'GET', url: 'http://127.0.0.1:1', timeoutMs: 100, proxy: '::' }),
    ).rejects.toMatchObject({ failure: 'invalid-url', message: 'invalid proxy URL' });
  });

  it('cuts very large bodies', async () => {
    const server = await startRecorder(() => ({ status: 200, body: 'x'.repeat(3 * 1024 * 1024) }));
    try {
      const response = await httpRequest({ method: 'GET', url: server.url, timeoutMs: 5000 });
      expect(response.body.length).toBe(1024 * 1024);
    } finally {
      await server.close();
    }
  });
});
