// How `up` launches the portal: what it checks first and what the backend process gets.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  canaryTabUrl,
  missingPortalPrerequisites,
  portalLaunch,
  portalPaths,
} from '../../src/up/portal.js';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const controller = { url: 'http://127.0.0.1:9999', apiToken: 'secret-token-value' };

describe('the portal launch', () => {
  let empty: string;
  beforeAll(() => {
    empty = mkdtempSync(join(tmpdir(), 'aviary-portal-paths-'));
  });
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('says to run the build when the app is not built', () => {
    mkdirSync(join(empty, 'packages', 'backend', 'src'), { recursive: true });
    writeFileSync(join(empty, 'packages', 'backend', 'src', 'index.ts'), '');
    const missing = missingPortalPrerequisites(portalPaths(empty));
    expect(missing.join('\n')).toContain("the portal's app is not built");
    expect(missing.join('\n')).toContain('run `npm run build` at the repository root');
    expect(missing.join('\n')).toContain('--no-portal');
  });

  it('runs the backend from its sources with the repository config, the token only in the environment', () => {
    const paths = portalPaths(REPO_ROOT);
    const launch = portalLaunch(paths, 7123, controller);
    expect(launch.cwd).toBe(join(REPO_ROOT, 'packages', 'backend'));
    expect(launch.args).toContain(join(REPO_ROOT, 'packages', 'backend', 'src', 'index.ts'));
    expect(launch.args.slice(-2)).toEqual(['--config', join(REPO_ROOT, 'app-config.yaml')]);
    expect(launch.args.join(' ')).not.toContain(controller.apiToken);
    expect(launch.env).toEqual({
      AVIARY_PORTAL_PORT: '7123',
      AVIARY_PORTAL_URL: 'http://127.0.0.1:7123',
      AVIARY_CONTROLLER_URL: controller.url,
      AVIARY_CONTROLLER_TOKEN: controller.apiToken,
    });
    expect(canaryTabUrl('http://127.0.0.1:7123', 'podinfo')).toBe(
      'http://127.0.0.1:7123/catalog/default/component/podinfo/canary',
    );
  });
});
