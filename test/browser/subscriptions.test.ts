/**
 * Utskick in a real browser against `npm start`'s setting: the demo municipality and no SMTP
 * settings. The page says e-mail is not configured, a subscription can still be made (a bad
 * schedule is refused naming the field), and its file downloads and holds what the API says.
 * Sending is tested end to end with a real SMTP server in test/mail/scheduled-email.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { skipWithout } from '../helpers/required.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DIST = join(ROOT, 'dashboards/dist/index.html');
const SHOTS = join(ROOT, 'test-artifacts/screenshots');
const skip = skipWithout('browser: Utskick in Chromium', existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install -y chromium)`);

let server: RunningServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];
/** Answers a test provokes on purpose (the refused schedule). */
const expected: RegExp[] = [];
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 60_000, interval: 100 });

function newestSource(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return t;
}

async function api<T = any>(path: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${server.adminToken}` } });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

describe.skipIf(skip)('Utskick in Chromium, demo without SMTP', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    if (!existsSync(DIST) || statSync(DIST).mtimeMs < newestSource(join(ROOT, 'dashboards/src'))) {
      const { NODE_ENV: _drop, ...env } = process.env;
      execFileSync('npm', ['run', 'build', '-w', 'dashboards', '--silent'], { cwd: ROOT, stdio: 'inherit', env: { ...env, NODE_ENV: 'production' } });
    }
    server = await startServer({ demo: true });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'] });
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
    page.on('console', (m) => {
      if (m.type() === 'error' && !expected.some((re) => re.test(m.text()))) problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400 && !expected.some((re) => re.test(r.url()))) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
  }, 300_000);

  afterEach(() => {
    expect(problems.splice(0), 'console errors or failed requests').toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 60_000);

  it('says e-mail is not configured, makes a subscription, refuses a bad schedule by name, and downloads its file', async () => {
    await page.goto(`${server.url}/`);
    await page.getByLabel('API-nyckel (token)').fill(server.adminToken);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForURL(/\/overview/);
    await page.getByRole('navigation').getByRole('link', { name: /^Utskick$/ }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Utskick');
    await poll(() => page.locator('[data-mail="off"]').innerText()).toContain('E-post är inte konfigurerad');
    await poll(() => page.getByText('Inga utskick ännu.').isVisible()).toBe(true);

    // A bad schedule: the server's 400 names the field, shown beside the form.
    expected.push(/\/v1\/subscriptions$/, /status of 400/);
    await page.getByLabel('Namn', { exact: true }).fill('Förnyelser till beställarna');
    await page.getByLabel('Rapport', { exact: true }).selectOption('renewals');
    await page.getByLabel('Beställare av licenser som snart slutar').check();
    await page.getByLabel('Schema (cron i organisationens tidszon)').fill('0 25 * * 1');
    await page.getByRole('button', { name: 'Skapa utskick' }).click();
    await poll(() => page.getByRole('alert').first().innerText()).toContain('schedule: is not a valid cron expression: Invalid value for hour: 25');
    expected.length = 0;

    await page.getByLabel('Förval').selectOption({ label: 'Måndagar kl. 07.00' });
    await page.getByRole('button', { name: 'Skapa utskick' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: 'är skapat' }).count()).toBe(1);
    const row = page.locator('#subscriptions-title').locator('xpath=ancestor::section').locator('tbody tr');
    await poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain('Varje beställare av licenser som slutar inom 90 dagar');
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('idle');
    expect(await row.getByRole('button', { name: /Skicka nu till mig/ }).isDisabled()).toBe(true);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, '20-utskick.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: /Ladda ner/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^licenskoll-renewals-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const ws = wb.worksheets[1];
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    const licences = [];
    for (let i = 2; i <= ws.rowCount; i++) licences.push(String(ws.getRow(i).getCell(header.indexOf('Licens') + 1).value));
    const day = download.suggestedFilename().slice('licenskoll-renewals-'.length, -'.xlsx'.length);
    const report = await api<{ rows: { licence: string }[] }>(`/v1/reports/renewals?asOf=${day}&within=90`);
    expect(report.rows.length).toBeGreaterThan(0);
    expect(licences.sort()).toEqual(report.rows.map((r) => r.licence).sort());
  });
});
