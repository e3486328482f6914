// The Backstage portal of the demo: packages/backend run from its TypeScript sources (through
// Backstage's Node transform, the way `backstage-cli package start` runs it, without the file
// watcher), serving the built packages/app on one origin. It reads the controller's URL and token
// from its environment (see app-config.yaml).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface PortalPaths {
  /** packages/backend: the working directory (the catalog file is relative to it). */
  backendDir: string;
  /** The backend's entry point, TypeScript. */
  entry: string;
  /** app-config.yaml at the repository root. */
  config: string;
  /** The built app the backend serves. */
  appIndex: string;
}

export function portalPaths(repoRoot: string): PortalPaths {
  const backendDir = join(repoRoot, 'packages', 'backend');
  return {
    backendDir,
    entry: join(backendDir, 'src', 'index.ts'),
    config: join(repoRoot, 'app-config.yaml'),
    appIndex: join(repoRoot, 'packages', 'app', 'dist', 'index.html'),
  };
}

/** The Node transform that lets `node` load the backend's and the plugins' TypeScript sources. */
function nodeTransform(backendDir: string): string | undefined {
  try {
    return require.resolve('@backstage/cli-node/config/nodeTransform.cjs', {
      paths: [backendDir],
    });
  } catch {
    return undefined;
  }
}

/** What is missing to start the portal, with how to get it. */
export function missingPortalPrerequisites(paths: PortalPaths): string[] {
  const missing: string[] = [];
  if (!existsSync(paths.entry)) missing.push(`the portal's backend is missing (${paths.entry})`);
  if (!existsSync(paths.appIndex)) {
    missing.push(
      `the portal's app is not built (${paths.appIndex} is missing): run \`npm run build\` at the repository root (or start with --no-portal)`,
    );
  }
  if (!nodeTransform(paths.backendDir)) {
    missing.push(
      'the Backstage CLI is not installed: run `npm ci` (or `bash scripts/setup.sh`) at the repository root',
    );
  }
  return missing;
}

export interface PortalLaunch {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/** How to start the portal's backend on PORT, talking to the controller at CONTROLLER_URL. */
export function portalLaunch(
  paths: PortalPaths,
  port: number,
  controller: { url: string; apiToken: string },
): PortalLaunch {
  const transform = nodeTransform(paths.backendDir);
  if (!transform) throw new Error(missingPortalPrerequisites(paths).join('; '));
  const url = portalUrl(port);
  return {
    command: process.execPath,
    args: ['--enable-source-maps', '--require', transform, paths.entry, '--config', paths.config],
    cwd: paths.backendDir,
    env: {
      AVIARY_PORTAL_PORT: String(port),
      AVIARY_PORTAL_URL: url,
      AVIARY_CONTROLLER_URL: controller.url,
      // a trusted token: actions from the portal are attributed to the signed-in user
      AVIARY_CONTROLLER_TOKEN: controller.apiToken,
    },
  };
}

export const portalUrl = (port: number) => `http://127.0.0.1:${port}`;

/** The Canary tab of a sample service's entity page. */
export const canaryTabUrl = (portal: string, component: string) =>
  `${portal}/catalog/default/component/${component}/canary`;

/** Ready once every backend plugin has started (Backstage's readiness endpoint answers 200). */
export async function portalReady(url: string): Promise<true | undefined> {
  const res = await fetch(`${url}/.backstage/health/v1/readiness`);
  return res.ok ? true : undefined;
}
