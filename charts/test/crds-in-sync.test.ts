// The chart's crds/ must be exactly the CRDs the controller generates from its schema
// (controller/crds, from controller/src/api/schema). Fix a failure with: npm run sync-crds -w charts
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const script = path.resolve(__dirname, '../scripts/sync-crds.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { crdDrift, source, target } = require(script) as {
  crdDrift: () => string[];
  source: string;
  target: string;
};

describe('charts/aviary/crds', () => {
  it('holds exactly the CRDs generated into controller/crds, byte for byte', () => {
    expect(fs.readdirSync(source).sort()).toEqual([
      'alertproviders.yaml',
      'canaries.yaml',
      'metrictemplates.yaml',
    ]);
    expect(crdDrift()).toEqual([]);
    expect(fs.readdirSync(target).sort()).toEqual(fs.readdirSync(source).sort());
  });

  it('sync-crds --check fails and names the file when a copy drifts', () => {
    // Run the script against a scratch copy of the tree layout, never the real chart.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aviary-crds-'));
    fs.mkdirSync(path.join(root, 'charts/scripts'), { recursive: true });
    fs.mkdirSync(path.join(root, 'charts/aviary'), { recursive: true });
    fs.cpSync(source, path.join(root, 'controller/crds'), { recursive: true });
    fs.cpSync(target, path.join(root, 'charts/aviary/crds'), { recursive: true });
    fs.copyFileSync(script, path.join(root, 'charts/scripts/sync-crds.js'));
    const copy = path.join(root, 'charts/scripts/sync-crds.js');
    const check = () =>
      execFileSync(process.execPath, [copy, '--check'], { encoding: 'utf8', stdio: 'pipe' });

    expect(check()).toBe('');
    const edited = path.join(root, 'charts/aviary/crds/canaries.yaml');
    fs.appendFileSync(edited, '# hand edit\n');
    fs.writeFileSync(path.join(root, 'charts/aviary/crds/stale.yaml'), 'kind: Stale\n');
    expect(check).toThrow(/canaries\.yaml differs[\s\S]*stale\.yaml has no source/);

    execFileSync(process.execPath, [copy], { stdio: 'pipe' });
    expect(check()).toBe('');
    expect(fs.existsSync(path.join(root, 'charts/aviary/crds/stale.yaml'))).toBe(false);
  });
});
