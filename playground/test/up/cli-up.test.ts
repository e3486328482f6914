// `up` and its companions without a running playground (needs `npm run build` first).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import { join } from 'node:path';

const cli = join(__dirname, '../../dist/cli.js');
let dir: string;
beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" first`);
  dir = mkdtempSync(join(tmpdir(), 'aviary-up-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const playground = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });

it('up explains how to install Prometheus when it is missing, and starts nothing', () => {
  const result = playground(
    ['up', '--no-portal', '--port', '0', '--mesh-port', '0', '--state-dir', dir],
    {
      PROMETHEUS_BIN: join(dir, 'no-prometheus'),
    },
  );
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('Prometheus is not installed');
  expect(result.stderr).toContain('apt-get install -y prometheus');
  expect(existsSync(join(dir, 'state.json'))).toBe(false);
});

it('up refuses to start twice on the same state dir', () => {
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ pid: process.pid }));
  const result = playground([
    'up',
    '--no-portal',
    '--port',
    '0',
    '--mesh-port',
    '0',
    '--state-dir',
    dir,
  ]);
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(`the playground already runs (pid ${process.pid}`);
  rmSync(join(dir, 'state.json'));
});

it('up names the flags to use when a port is taken', async () => {
  const blocker = net.createServer();
  await new Promise<void>(r => blocker.listen(0, '127.0.0.1', r));
  const { port } = blocker.address() as net.AddressInfo;
  const result = await new Promise<{ code: number | null; stderr: string }>(resolve => {
    const child = spawn(process.execPath, [
      cli,
      'up',
      '--no-portal',
      '--port',
      '0',
      '--mesh-port',
      String(port),
      '--state-dir',
      dir,
    ]);
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('exit', code => resolve({ code, stderr }));
  });
  await new Promise<void>(r => blocker.close(() => r()));
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('EADDRINUSE');
  expect(result.stderr).toContain('--port, --mesh-port and --portal-port');
  expect(existsSync(join(dir, 'state.json'))).toBe(false);
});

it('companion commands say the playground is not running', () => {
  const release = playground(['release', 'podinfo', '6.0.1', '--state-dir', dir]);
  expect(release.status).toBe(1);
  expect(release.stderr).toContain('the playground is not running');
  expect(playground(['status', '--state-dir', dir]).stdout).toContain('not running');
  expect(playground(['down', '--state-dir', dir]).status).toBe(0);
});

it('bad command lines exit 2 with the usage', () => {
  for (const args of [
    ['release', 'podinfo'],
    ['inject', 'podinfo'],
    ['inject', 'podinfo', '--errors', '150'],
    ['up', '--bogus', '1'],
    ['up', '--no-portal', '--portal-port', '7007'],
  ]) {
    const result = playground(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Usage:');
  }
});
