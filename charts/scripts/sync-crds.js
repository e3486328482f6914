#!/usr/bin/env node
// Copies the generated Aviary CRDs (controller/crds, generated from controller/src/api/schema)
// into charts/aviary/crds. With --check it changes nothing and exits 1 when the chart's copies
// differ from the generated ones, naming each difference. test/crds-in-sync.test.ts runs the
// check, so the chart can never ship CRDs that drifted from the controller's schema.
const fs = require('node:fs');
const path = require('node:path');

const source = path.resolve(__dirname, '../../controller/crds');
const target = path.resolve(__dirname, '../aviary/crds');

const yamlFiles = dir =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter(f => /\.ya?ml$/.test(f))
        .sort()
    : [];

/** Differences between the generated CRDs and the chart's copies, one sentence each. */
function crdDrift() {
  const wanted = yamlFiles(source);
  const present = yamlFiles(target);
  const drift = [];
  for (const file of wanted) {
    if (!present.includes(file)) drift.push(`charts/aviary/crds/${file} is missing`);
    else if (
      fs.readFileSync(path.join(source, file), 'utf8') !==
      fs.readFileSync(path.join(target, file), 'utf8')
    ) {
      drift.push(`charts/aviary/crds/${file} differs from controller/crds/${file}`);
    }
  }
  for (const file of present) {
    if (!wanted.includes(file))
      drift.push(`charts/aviary/crds/${file} has no source in controller/crds`);
  }
  return drift;
}

function syncCrds() {
  fs.mkdirSync(target, { recursive: true });
  for (const file of yamlFiles(target)) {
    if (!yamlFiles(source).includes(file)) fs.rmSync(path.join(target, file));
  }
  for (const file of yamlFiles(source)) {
    fs.copyFileSync(path.join(source, file), path.join(target, file));
  }
}

module.exports = { crdDrift, syncCrds, source, target };

if (require.main === module) {
  if (yamlFiles(source).length === 0) {
    console.error(`no CRDs found in ${source}`);
    process.exit(1);
  }
  if (process.argv.includes('--check')) {
    const drift = crdDrift();
    for (const line of drift) console.error(line);
    if (drift.length > 0) console.error('run: npm run sync-crds -w charts');
    process.exit(drift.length > 0 ? 1 : 0);
  }
  syncCrds();
  console.log(`copied ${yamlFiles(source).join(', ')} to ${path.relative(process.cwd(), target)}`);
}
