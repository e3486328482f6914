/**
 * Reads a rendered fleet repository the way Flux would apply it: kubectl kustomize for
 * directories with a kustomization.yaml, every manifest of the tree for those without (what
 * kustomize-controller generates), then a Flux Kustomization's own patches (through a real
 * kustomize overlay), postBuild substitution and commonMetadata.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { parseManifests, type Manifest } from '@aviary/charts/test/support/validate';
import { listFiles } from './scaffolder';

const run = promisify(execFile);
export const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';

/** Files that are not Kubernetes objects: kustomize configs, Backstage entities, CI. */
export function isManifestFile(file: string): boolean {
  const base = path.basename(file);
  return (
    /\.ya?ml$/.test(base) &&
    base !== 'kustomization.yaml' &&
    base !== 'catalog-info.yaml' &&
    !file.startsWith('.github/')
  );
}

export function readManifests(file: string): Manifest[] {
  return parseManifests(fs.readFileSync(file, 'utf8'));
}

/** `kubectl kustomize DIR` (kustomize v5 inside kubectl 1.32), parsed. */
export async function kustomize(dir: string, loadRestrictor = false): Promise<Manifest[]> {
  const args = ['kustomize', dir];
  if (loadRestrictor) args.push('--load-restrictor=LoadRestrictionsNone');
  try {
    const { stdout } = await run(KUBECTL, args, { maxBuffer: 32 * 1024 * 1024 });
    return parseManifests(stdout);
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`kubectl kustomize ${dir} failed: ${e.stderr || e.message}`);
  }
}

/** Directories (relative to `root`) that hold a kustomization.yaml. */
export function kustomizationDirs(root: string): string[] {
  return listFiles(root)
    .filter(f => path.basename(f) === 'kustomization.yaml')
    .map(f => path.dirname(f));
}

/** What kustomize-controller builds for `dir`: its kustomization, or every manifest below it. */
export async function buildPath(root: string, dir: string): Promise<Manifest[]> {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) throw new Error(`path ${dir} does not exist in the repository`);
  if (fs.existsSync(path.join(abs, 'kustomization.yaml'))) return kustomize(abs);
  return listFiles(abs)
    .filter(isManifestFile)
    .flatMap(f => readManifests(path.join(abs, f)));
}

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::=([^}]*))?\}/g;

/** Flux postBuild substitution: ${var} and ${var:=default}; unknown variables become empty. */
export function substitute<T>(value: T, vars: Record<string, string>): T {
  return JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
    typeof v === 'string'
      ? v.replace(VARIABLE, (_m, name: string, def?: string) => vars[name] ?? def ?? '')
      : v,
  ) as T;
}

interface FluxKustomizationSpec {
  path?: string;
  patches?: Array<{ patch: string; target?: Record<string, string> }>;
  postBuild?: { substitute?: Record<string, string> };
  commonMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  dependsOn?: Array<{ name: string; namespace?: string }>;
}

/** The objects one Flux Kustomization (kustomize.toolkit.fluxcd.io/v1) applies. */
export async function fluxBuild(root: string, ks: Manifest): Promise<Manifest[]> {
  const spec = ks.spec as FluxKustomizationSpec;
  const dir = (spec.path ?? '.').replace(/^\.\//, '');
  let objects = await buildPath(root, dir);
  if (spec.patches?.length) {
    // Flux applies its patches as a kustomize overlay on top of the path's build.
    const overlay = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-overlay-'));
    fs.writeFileSync(path.join(overlay, 'base.yaml'), objects.map(o => yaml.dump(o)).join('---\n'));
    fs.writeFileSync(
      path.join(overlay, 'kustomization.yaml'),
      yaml.dump({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: ['base.yaml'],
        patches: spec.patches,
      }),
    );
    objects = await kustomize(overlay);
    fs.rmSync(overlay, { recursive: true, force: true });
  }
  if (spec.postBuild?.substitute) objects = substitute(objects, spec.postBuild.substitute);
  const { labels, annotations } = spec.commonMetadata ?? {};
  for (const o of objects) {
    if (labels) o.metadata.labels = { ...o.metadata.labels, ...labels };
    if (annotations) o.metadata.annotations = { ...o.metadata.annotations, ...annotations };
  }
  return objects;
}

export interface ClusterBuild {
  /** What the flux-system Kustomization applies (clusters/<cluster>/**). */
  entry: Manifest[];
  /** Each Flux Kustomization of the cluster with the objects it applies. */
  kustomizations: Array<{ kustomization: Manifest; objects: Manifest[] }>;
}

/** Everything Flux would apply to `cluster` from the repository at `root`. */
export async function buildCluster(root: string, cluster: string): Promise<ClusterBuild> {
  const entry = await buildPath(root, `clusters/${cluster}`);
  const kustomizations = [];
  for (const ks of entry.filter(o => o.kind === 'Kustomization')) {
    kustomizations.push({ kustomization: ks, objects: await fluxBuild(root, ks) });
  }
  return { entry, kustomizations };
}

export function allObjects(build: ClusterBuild): Manifest[] {
  return [...build.entry, ...build.kustomizations.flatMap(k => k.objects)];
}

/** Copies every file of `from` into `to`, refusing to overwrite: a pull request that only adds. */
export function overlayAddOnly(from: string, to: string): string[] {
  const added = listFiles(from);
  for (const file of added) {
    const target = path.join(to, file);
    if (fs.existsSync(target)) throw new Error(`${file} already exists in the fleet`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(from, file), target);
  }
  return added;
}
