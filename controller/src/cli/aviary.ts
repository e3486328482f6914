#!/usr/bin/env node
// `aviary`: the command-line client of the controller API (see ./aviary-cli.ts).
import { runAviary, EXIT } from './aviary-cli.js';

runAviary(process.argv.slice(2), {
  env: process.env,
  io: { out: text => process.stdout.write(text), err: text => process.stderr.write(text) },
}).then(
  code => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`aviary: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = EXIT.error;
  },
);
