// The service: a small HTTP server with the endpoints a canary release needs.
//   GET /          a greeting with the version (what users call)
//   GET /version   {"name", "version"}
//   GET /healthz   liveness: the process is up
//   GET /readyz    readiness: 503 while starting and while shutting down
//   GET /metrics   Prometheus metrics
// Configuration: PORT, SERVICE_NAME, APP_VERSION (set by the image build).
'use strict';

const http = require('node:http');
const { URL } = require('node:url');
const { Metrics } = require('./metrics');

function createServer({ name, version }) {
  const metrics = new Metrics();
  let ready = false;

  const routes = {
    '/': () => [200, 'text/plain', `Hello from ${name} ${version}\n`],
    '/version': () => [200, 'application/json', JSON.stringify({ name, version })],
    '/healthz': () => [200, 'text/plain', 'ok\n'],
    '/readyz': () => (ready ? [200, 'text/plain', 'ready\n'] : [503, 'text/plain', 'not ready\n']),
    '/metrics': () => [200, 'text/plain; version=0.0.4', metrics.render()],
  };

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = req.method === 'GET' ? routes[path] : undefined;
    const [code, type, body] = route ? route() : [404, 'text/plain', 'not found\n'];
    res.writeHead(code, { 'content-type': type });
    res.end(body);
    if (path !== '/metrics') {
      metrics.observe(req.method ?? 'GET', code, Number(process.hrtime.bigint() - started) / 1e9);
    }
  });

  return {
    server,
    setReady(value) {
      ready = value;
    },
  };
}

module.exports = { createServer };

if (require.main === module) {
  const port = Number(process.env.PORT ?? 8080);
  const app = createServer({
    name: process.env.SERVICE_NAME ?? 'service',
    version: process.env.APP_VERSION ?? 'dev',
  });
  app.server.listen(port, () => {
    app.setReady(true);
    console.log(`listening on :${port}`);
  });
  // Stop taking new traffic first, then finish in-flight requests.
  process.on('SIGTERM', () => {
    app.setReady(false);
    app.server.close(() => process.exit(0));
  });
}
