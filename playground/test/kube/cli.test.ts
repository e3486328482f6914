/** The `aviary-playground kube` command as a user runs it (needs `npm run build` first). */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = join(__dirname, '../../dist/cli.js');
let dir: string;
beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" first`);
  dir = mkdtempSync(join(tmpdir(), 'aviary-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('serves the API, writes a kubeconfig kubectl accepts, prints one ready line and stops on SIGTERM', async () => {
  const kubeconfig = join(dir, 'kubeconfig');
  const child = spawn(process.execPath, [cli, 'kube', '--port', '0', '--kubeconfig', kubeconfig]);
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
  const deadline = Date.now() + 15_000;
  while (!out.includes('\n') && Date.now() < deadline) await new Promise(r => setTimeout(r, 20));
  expect(out).toMatch(
    /^Kubernetes API emulator ready at https:\/\/127\.0\.0\.1:\d+ \(kubeconfig: .*kubeconfig\)\n$/,
  );
  expect(readFileSync(kubeconfig, 'utf8')).toContain('certificate-authority-data');

  const kubectl = await new Promise<{ code: number | null; stdout: string }>(resolve => {
    const k = spawn('kubectl', [
      '--kubeconfig',
      kubeconfig,
      '--cache-dir',
      join(dir, 'cache'),
      'get',
      'namespaces',
      '-o',
      'name',
    ]);
    let stdout = '';
    k.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    k.on('exit', code => resolve({ code, stdout }));
  });
  expect(kubectl).toEqual({
    code: 0,
    stdout:
      'namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n',
  });

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});

it.each([
  [['kube', '--port', 'abc'], '--port must be an integer from 0 to 65535, got "abc"'],
  [['kube', '--port', '70000'], '--port must be an integer from 0 to 65535'],
  [['kube', '--bogus', '1'], 'unknown flag --bogus'],
  [['kube', '--kubeconfig'], '--kubeconfig needs a value'],
  [['frobnicate'], 'unknown command "frobnicate"'],
])('exits 2 with a clear message for %j', (args, message) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 10_000 });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain(message);
  expect(r.stderr).toContain('Usage:');
});
