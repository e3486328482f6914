'use strict';
/* global fetch */

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { createServer } = require('../src/server');

async function withServer(fn) {
  const app = createServer({ name: 'test', version: '1.2.3' });
  await new Promise(resolve => app.server.listen(0, '127.0.0.1', resolve));
  const { port } = app.server.address();
  try {
    await fn(app, `http://127.0.0.1:${port}`);
  } finally {
    await new Promise(resolve => app.server.close(resolve));
  }
}

test('health, readiness, version and metrics endpoints', async () => {
  await withServer(async (app, base) => {
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 503);
    app.setReady(true);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    assert.deepEqual(await (await fetch(`${base}/version`)).json(), {
      name: 'test',
      version: '1.2.3',
    });
    assert.equal((await fetch(`${base}/nope`)).status, 404);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /http_requests_total\{method="GET",code="404"\} 1/);
    assert.match(metrics, /http_request_duration_seconds_count 5/);
  });
});
