/**
 * A real browser for the dashboard tests: Debian's Chromium through playwright-core, a
 * dashboard build that is not older than its sources, and a page that records every console
 * error, page error, failed request and HTTP error answer (except those a test expects).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { skipWithout } from './required.ts';
import { startServer, type RunningServer, type StartOptions } from './server.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = join(ROOT, 'test-artifacts/screenshots');
const DIST = join(ROOT, 'dashboards/dist/index.html');

export const skipBrowser = (what: string) => skipWithout(what, existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install -y chromium)`);

function newestSource(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Rebuilds dashboards/dist when a source is newer: the server serves what is built. */
export function ensureDashboardBuilt(): void {
  if (existsSync(DIST) && statSync(DIST).mtimeMs >= newestSource(join(ROOT, 'dashboards/src'))) return;
  // Vitest sets NODE_ENV=test, which would make Vite build React's development bundle.
  const { NODE_ENV: _drop, ...env } = process.env;
  execFileSync('npm', ['run', 'build', '-w', 'dashboards', '--silent'], { cwd: ROOT, stdio: 'inherit', env: { ...env, NODE_ENV: 'production' } });
}

export interface BrowserPage {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** What went wrong on the page; a test's afterEach empties it. */
  problems: string[];
  /** URLs or messages a test makes fail on purpose. */
  expected: RegExp[];
  close(): Promise<void>;
}

export async function openBrowser(opts: { acceptDownloads?: boolean } = {}): Promise<BrowserPage> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: opts.acceptDownloads ?? false, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const problems: string[] = [];
  const expected: RegExp[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !expected.some((re) => re.test(m.text()))) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A navigation away aborts in-flight requests; that is not a failure of the app.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !expected.some((re) => re.test(r.url()))) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return { browser, context, page, problems, expected, close: () => browser.close() };
}

/** Waits until no loading state is on screen and nothing is marked as updating. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => !document.querySelector('.state-loading') && !document.querySelector('[aria-busy="true"]') && !(document.querySelector('.updating')?.textContent ?? '').trim(),
    undefined,
    { timeout: 90_000 },
  );
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** expect.poll with a timeout that fits reports taking a second or two. */
export const poll = <T>(fn: () => Promise<T> | T, message?: string) => expect.poll(fn, { timeout: 60_000, interval: 100, message });

/** Signs in on the sign-in page with a pasted token and waits for the page it lands on. */
export async function signIn(page: Page, base: string, token: string, lands: RegExp = /\/overview/): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('API-nyckel (token)').fill(token);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL(lands);
  await settled(page);
}

/** The API's JSON answer to a GET (or a POST with a body) as `token`; any error status throws. */
export async function apiJson<T = any>(base: string, token: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface BrowserSuite {
  /** The server the suite started (null against LICENSKOLL_BROWSER_URL); a test that restarts it puts the new one here. */
  server: RunningServer | null;
  base: string;
  adminToken: string;
  b: BrowserPage;
  page: Page;
}

/**
 * One test file's browser set-up, called inside its describe: builds a stale dashboard, starts
 * the server (or, with `external`, uses LICENSKOLL_BROWSER_URL and LICENSKOLL_BROWSER_TOKEN),
 * opens Chromium, fails each test that left a problem on the page, and closes both at the end
 * (removing the data directory too with `removeData`, for a suite that restarts on it).
 */
export function browserSuite(opts: { start?: StartOptions; external?: boolean; acceptDownloads?: boolean; removeData?: boolean } = {}): BrowserSuite {
  const suite = { server: null, base: '', adminToken: '' } as BrowserSuite;
  beforeAll(async () => {
    ensureDashboardBuilt();
    const external = opts.external ? process.env.LICENSKOLL_BROWSER_URL : undefined;
    if (external) {
      suite.base = external.replace(/\/$/, '');
      suite.adminToken = process.env.LICENSKOLL_BROWSER_TOKEN ?? '';
    } else {
      suite.server = await startServer(opts.start);
      suite.base = suite.server.url;
      suite.adminToken = suite.server.adminToken;
    }
    suite.b = await openBrowser({ acceptDownloads: opts.acceptDownloads });
    suite.page = suite.b.page;
  }, 600_000);
  afterEach(() => {
    expect(suite.b.problems.splice(0), 'console errors or failed requests').toEqual([]);
  });
  afterAll(async () => {
    await suite.b?.close();
    await suite.server?.stop();
    if (opts.removeData && suite.server) rmSync(suite.server.dataDir, { recursive: true, force: true });
  }, 60_000);
  return suite;
}
