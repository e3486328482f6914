// The portal in a real browser against the real loop: `aviary-playground up` (Kubernetes API
// emulator, mesh, Prometheus, aviary-controller, and the Backstage backend serving this app),
// Debian's Chromium driven headless through playwright-core. A guest signs in, watches podinfo's
// canary advance on its Canary tab, promotes abtest from the UI, and sees a bad podinfo release
// rolled back with the reason. Screenshots go to test-output/ at the repository root.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { Playground, REPO_ROOT, controllerCanary, missingForPortalTest, until } from './playground';
import type { PlaygroundState } from './playground';

const OUTPUT_DIR = join(REPO_ROOT, 'test-output');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let stateDir: string;
let profileDir: string;
let playground: Playground;
let state: PlaygroundState;
let browser: BrowserContext | undefined;
let page: Page;

jest.setTimeout(600_000);

beforeAll(async () => {
  const missing = missingForPortalTest();
  if (missing.length > 0) throw new Error(`the portal test needs:\n  ${missing.join('\n  ')}`);
  stateDir = mkdtempSync(join(tmpdir(), 'aviary-portal-'));
  profileDir = mkdtempSync(join(tmpdir(), 'aviary-chromium-'));
  mkdirSync(OUTPUT_DIR, { recursive: true });
  playground = new Playground(stateDir);
  state = await playground.up();
  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 1000 },
  });
  page = browser.pages()[0] ?? (await browser.newPage());
});

afterAll(async () => {
  await browser?.close();
  const pids = state
    ? [state.pid, state.prometheus?.pid, state.controller?.pid, state.portal?.pid]
    : [];
  await playground?.down();
  // nothing the playground started is left behind, nor any Chromium process of this profile
  const alive = pids.filter((p): p is number => typeof p === 'number' && isAlive(p));
  expect(alive).toEqual([]);
  expect(processesMentioning(stateDir)).toEqual([]);
  expect(processesMentioning(profileDir)).toEqual([]);
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(profileDir, { recursive: true, force: true });
});

/** PIDs whose command line contains TEXT (Linux /proc). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter(entry => /^\d+$/.test(entry))
    .filter(pid => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const portal = () => state.portal?.url ?? '';
const canaryTab = (component: string) =>
  `${portal()}/catalog/default/component/${component}/canary`;
const panel = (name: string) => page.getByTestId(`canary-state-demo-${name}`);

/** The phase the canary's state panel shows, once it matches PATTERN. */
async function phaseShows(name: string, pattern: RegExp, timeoutMs: number): Promise<string> {
  return until(
    `${name}'s phase shows ${pattern}`,
    async () => {
      const text = await panel(name).getByTestId('canary-phase').innerText({ timeout: 2000 });
      return pattern.test(text.trim()) ? text : undefined;
    },
    timeoutMs,
    () => `--- playground output ---\n${playground.output.slice(-3000)}`,
  );
}

/** The canary weight the progress bar describes ("weight 25% of 50%"). */
async function shownWeight(name: string): Promise<number | undefined> {
  const text = await panel(name).getByTestId('canary-progress').innerText({ timeout: 2000 });
  const match = /weight (\d+)% of/.exec(text);
  return match ? Number(match[1]) : undefined;
}

async function screenshot(file: string): Promise<void> {
  const path = join(OUTPUT_DIR, file);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
}

it('guest watches a canary advance, promotes one from the UI and sees a rollback with its reason', async () => {
  try {
    await scenario();
  } catch (err) {
    // what the page showed when it failed
    await screenshot('portal-failure.png').catch(() => undefined);
    throw err;
  }
});

async function scenario(): Promise<void> {
  // guest sign-in through the sign-in page
  await page.goto(portal());
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click();
  // signed in once the sign-in page is gone (the provider is remembered for the next loads)
  await enter.waitFor({ state: 'detached', timeout: 30_000 });
  await page.goto(canaryTab('podinfo'));
  await phaseShows('podinfo', /^(Initialized)$/, 60_000);

  // podinfo 6.0.1: the tab follows the analysis live, the weight grows
  await playground.command('release', 'podinfo', '6.0.1');
  await phaseShows('podinfo', /^(Progressing)$/, 60_000);
  const first = await until(
    'traffic shifts to the canary',
    async () => {
      const w = await shownWeight('podinfo');
      return w !== undefined && w > 0 ? w : undefined;
    },
    60_000,
  );
  const grown = await until(
    `the weight grows beyond ${first}%`,
    async () => {
      const w = await shownWeight('podinfo');
      return w !== undefined && w > first ? w : undefined;
    },
    60_000,
  );
  expect(first).toBeGreaterThan(0);
  expect(grown).toBeGreaterThan(first);
  await screenshot('canary-tab.png');
  await phaseShows('podinfo', /^(Succeeded)$/, 120_000);

  // abtest 6.1.0: promoted from the UI by the guest (an owner) while the analysis runs
  await page.goto(canaryTab('abtest'));
  await phaseShows('abtest', /^(Initialized)$/, 60_000);
  await playground.command('release', 'abtest', '6.1.0');
  await phaseShows('abtest', /^(Progressing)$/, 60_000);
  const promote = page.getByTestId('canary-actions').getByRole('button', { name: 'Promote' });
  await until(
    'Promote is enabled',
    async () => ((await promote.isEnabled()) ? true : undefined),
    30_000,
  );
  await promote.click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Reason').fill('browser test: ship it');
  await dialog.getByRole('button', { name: 'Promote' }).click();
  await phaseShows('abtest', /^(Promoting|Finalising|Succeeded)$/, 60_000);
  // the controller applied the guest's request (the portal acts on behalf of the user) ...
  expect((await controllerCanary(state, 'abtest')).manualAction).toMatchObject({
    action: 'promote',
    requestedBy: 'user:default/guest',
    outcome: 'Applied',
  });
  // ... and the rollout history on the page names who promoted, with the reason
  await until(
    'the promotion attributed to the guest',
    async () => {
      const text = await page.locator('body').innerText({ timeout: 2000 });
      return /promote by (user:default\/)?guest \("browser test: ship it"\)/.test(text)
        ? true
        : undefined;
    },
    60_000,
  );
  await phaseShows('abtest', /^(Succeeded)$/, 60_000);

  // podinfo 6.0.2 with 30 % errors: rolled back, the reason on the page and in the API
  await page.goto(canaryTab('podinfo'));
  await phaseShows('podinfo', /^(Succeeded)$/, 60_000);
  await playground.command('release', 'podinfo', '6.0.2');
  await playground.command('inject', 'podinfo', '--errors', '30');
  await phaseShows('podinfo', /^(Failed)$/, 150_000);
  const reason = /failed checks threshold reached 2/;
  await until(
    'the rollback reason on the page',
    async () =>
      reason.test(await page.locator('body').innerText({ timeout: 2000 })) ? true : undefined,
    30_000,
  );
  // the state panel says why, in the controller's words
  expect(await panel('podinfo').getByTestId('canary-verdict').innerText()).toMatch(
    /success rate \d+(\.\d+)?% < 99%/,
  );
  await screenshot('canary-rollback.png');
  const failed = await controllerCanary(state, 'podinfo');
  expect(failed.phase).toBe('Failed');
  expect(failed.events.map(e => e.message).join('\n')).toMatch(reason);
}
