// A local HTTP(S) server that records requests and answers as the test says. The TLS pair is a
// throwaway self-signed certificate for 127.0.0.1, generated for these tests only.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query string. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  body?: string | object;
  headers?: Record<string, string>;
  /** Answer this late (to provoke client timeouts). */
  delayMs?: number;
}

export type Responder = (request: RecordedRequest, index: number) => Reply | Promise<Reply>;

export interface Recorder {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export const TEST_TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDTRa7aFXDVWvSs
D7XWc0TQRmIA3RECKOq/AKFev4gQLjs6QY+gbc87A8nSpKuSbShQs/i9pQqa/RUG
oGi31jo5mJ5VBVEmzE0vX9Q8+edvzKyTzFf4B2QZV3afMOLiG7gN7861cXqpDkUy
YezSj/NFzQJqZ0aT2DGmzN3gk1NzSQiXHDzcQnf3MBYfSsEq8LJyeKuETFPAg77n
lfbmRL5uT8OE7SNh2mJiVgxawlLJ9GZff7V81BREAqD0A4R21RXWKmW7wY8j3M0T
b84p+5zaQzsHN1tQTp6RPZYr0dHL8EBN3p+up069KgG//ck23i+m/6B/g6PqDKq1
kSUbNQkJAgMBAAECggEAGblXMv1Pk+DLX/xZNftqvmfFdMi18pMAEyHM5CwSsXKp
mjwjlGNuayd4zk2nyNBC64GgSJoE7q5gPiJvoaujQwJIy/4V3ZEcWEd1IHgGpJOR
kzzbHKtsthOy0Sr7AxAgMs03OFsw9c7ToNDwzIoDs0TlFYbN3oBBOmehH+AcVfHO
jtOVjWHeNORNI+V1bhCrj2EGg51nTXEP9TZS6rbNnJ0K8n79ngWrd9Wi+Cgizguj
5jzT6qCCzisFaXMcaCxX9LavVI8SmQv5jVIpjg3ntE6G+DlO850bvDpt91GwVMo2
pAOe0RZEXH3+123Z91WEGHltqSdKsj815IuVz9z/oQKBgQD+O2cD72hvIoSWvNZT
gc7wncP0sJJBE7Q46NhXo1vDXTkKJv1Hhf0pBEIWFGFVJqs2g/kCQrlRupF+67wv
82U9ib7vkq7Mnn0CXoukR9T5WoHEpHf2KPKJBhColy5B2uOt2nm/nuP/j8Q18vbX
yn7Uh4XK7tkdP+dGQxPFymaXaQKBgQDUvc0aYm4BJ6Ykl01e1YqxQU3DbTlztxO9
iSb3XllTDbL9/QxU6zO4f8fMXeY/VNLlOzsL5vqpCs8X+9J6I+GqqyDj5m9GQrz3
SWP/RZ4XMu269+cSEIsuUeqYzgQej790McVDG3EmUiwAkdebGPf4jFclQ/XUpFms
TVLjgYdQoQKBgQDfGfIFGgtju77vKThMgBXCQjC8gldWlJwLdQqlnc3hW+W6awzJ
v2OyovH7vlbMCuslJBtZSISonDkiUG0NB2NI5aCRTP/owQyjD6UrvX3AdRR8JHjB
pJ1yccgcqs8FK7mxz5AYAK/Ejb16OoU0SZeTmnpm48PUT0f9+M9ZO41cQQKBgBgw
rM2/O3ruIzot6iJKbcbSAiGindHGk3wNyFyAYe/Lsvqmd2yAghUMko9ubevtnT1r
ir9DuGTYUcwMWlaBFfvuEYNYhHacyBfmRHSWWe+RXu7PmXq4XtsZfW96nYVMGxz/
O8rxp+APn+lArB96q1ebvZ0DKUTQm1G4SSCNbfGBAoGAPBgnDpUNRvAPLHiWJSSY
ff0Jqe47HmMU5ENS53TRzC3T5oENfscS4oYT/ksJF/IeAUeIoVGvrquKyQpU7y+2
rpCRsDxLWKuug8FSTi4hL3NiAiK+I5OSlcfuUce5I/3x7Ynm+fhlCTg4KmcW95Iy
TztEfW7RLng5csBgL24mLaI=
-----END PRIVATE KEY-----`;

export const TEST_TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIDJzCCAg+gAwIBAgIUQ8pcbH+WrdQpnt8WAkfZaR7/DAgwDQYJKoZIhvcNAQEL
BQAwFDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMjA0NTUwN1oYDzIxMjYx
MDI5MDQ1NTA3WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwggEiMA0GCSqGSIb3DQEB
AQUAA4IBDwAwggEKAoIBAQDTRa7aFXDVWvSsD7XWc0TQRmIA3RECKOq/AKFev4gQ
Ljs6QY+gbc87A8nSpKuSbShQs/i9pQqa/RUGoGi31jo5mJ5VBVEmzE0vX9Q8+edv
zKyTzFf4B2QZV3afMOLiG7gN7861cXqpDkUyYezSj/NFzQJqZ0aT2DGmzN3gk1Nz
SQiXHDzcQnf3MBYfSsEq8LJyeKuETFPAg77nlfbmRL5uT8OE7SNh2mJiVgxawlLJ
9GZff7V81BREAqD0A4R21RXWKmW7wY8j3M0Tb84p+5zaQzsHN1tQTp6RPZYr0dHL
8EBN3p+up069KgG//ck23i+m/6B/g6PqDKq1kSUbNQkJAgMBAAGjbzBtMB0GA1Ud
DgQWBBRJqZkygVOOgVyA/cbSilsh3pYTtjAfBgNVHSMEGDAWgBRJqZkygVOOgVyA
/cbSilsh3pYTtjAPBgNVHRMBAf8EBTADAQH/MBoGA1UdEQQTMBGHBH8AAAGCCWxv
Y2FsaG9zdDANBgkqhkiG9w0BAQsFAAOCAQEAqx0JOGmTZCE84pRuc5XlNSuNNohg
zoL/2DMkdAmK/2ynIb9J0j3NMbUpLsnLfBe21d5dQDjQTLH+YQnLclUJcOO1Cy+E
44g9kZvSjE7pLBjmqlhKitMas4hAFpXJ9fH3fJYzp0f/AMZF6Wzj5liBkxiu5gur
xQu2uYK9TaR4e7uvSwS9zDhQiFWaSsgOM+R5SelAJAx26lODw8Vmb3164XFdCsHP
H6MoiDrjL/V1MNC+U94FCOkzuRrzt6T78Zxg1NLoxBChxfIQZZeKFJD7ioFZBbE3
Wy60R/3CoqQVrBihaalYAgqfefaVNiI8me0kKSbxpdtFqWoBV1V6QQOT0Q==
-----END CERTIFICATE-----`;

export async function startRecorder(
  respond: Responder = () => ({ status: 200 }),
  options: { tls?: boolean } = {},
): Promise<Recorder> {
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      void Promise.resolve(respond(recorded, requests.length - 1)).then(reply => {
        const send = () => {
          if (res.destroyed) return;
          const body =
            typeof reply.body === 'object' ? JSON.stringify(reply.body) : (reply.body ?? '');
          res.writeHead(reply.status ?? 200, reply.headers ?? {});
          res.end(body);
        };
        if (!reply.delayMs) return send();
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, reply.delayMs);
        timers.add(timer);
      });
    });
  };
  const server = options.tls
    ? https.createServer({ key: TEST_TLS_KEY, cert: TEST_TLS_CERT }, handler)
    : http.createServer(handler);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
export async function unusedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

export interface ConnectProxy {
  url: string;
  /** `host:port` of every tunnel opened, and the Proxy-Authorization header sent with it. */
  tunnels: Array<{ authority: string; authorization?: string }>;
  close(): Promise<void>;
}

/** A minimal HTTP proxy that only speaks CONNECT, like the ones egress policies require. */
export async function startConnectProxy(): Promise<ConnectProxy> {
  const tunnels: ConnectProxy['tunnels'] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    const authority = req.url ?? '';
    const authorization = req.headers['proxy-authorization'];
    tunnels.push({ authority, ...(authorization ? { authorization } : {}) });
    const [host = '', port = '80'] = authority.split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () =>
      new Promise<void>(resolve => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
