/**
 * Plain language and the renewal pack in a real browser (Chromium through playwright-core)
 * against the real server with the demo municipality: the Ordlista page with every term, a
 * column's "Vad betyder det här?" explanation opened from its header (the exports' own sentence),
 * a status's and a figure's, the English glossary, and the renewal pack downloaded as PDF for one
 * buyer from Förnyelser. Screenshots land in test-artifacts/screenshots/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { COLUMNS } from '@licenskoll/reports';
import { skipWithout } from '../helpers/required.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'test-artifacts/screenshots');
const DIST = join(ROOT, 'dashboards/dist/index.html');
const skip = skipWithout('browser: plain language', existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install -y chromium)`);

let server: { url: string; adminToken: string; stop(): Promise<unknown> } | null = null;
let browser: Browser;
let page: Page;
const problems: string[] = [];

function newestSource(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return t;
}
const shot = async (name: string) => {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
};
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 60_000, interval: 100 });
const settled = () => page.waitForFunction(() => !document.querySelector('.state-loading') && !document.querySelector('[aria-busy="true"]'), undefined, { timeout: 90_000 });

const TERMS = ['Aktiv användare', 'Licensierad aktiv (aktiv med licens)', 'Nyttjandegrad', 'Oanvänd kostnad', 'Målgrupp', 'SS12000', 'BOL',
  'IdP (inloggningstjänst)', 'LTI', 'Caliper', 'Pseudonym', 'Skolenhet', 'Huvudman'];

describe.skipIf(skip)('plain language in Chromium', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    if (!existsSync(DIST) || statSync(DIST).mtimeMs < newestSource(join(ROOT, 'dashboards/src'))) {
      const { NODE_ENV: _drop, ...env } = process.env;
      execFileSync('npm', ['run', 'build', '-w', 'dashboards', '--silent'], { cwd: ROOT, stdio: 'inherit', env: { ...env, NODE_ENV: 'production' } });
    }
    const helper = (await import(join(ROOT, 'test/helpers/server.ts'))) as { startServer(o: { demo?: boolean }): Promise<{ url: string; adminToken: string; stop(): Promise<unknown> }> };
    server = await helper.startServer({ demo: true });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'] });
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
    await page.goto(`${server.url}/`);
    await page.getByLabel('API-nyckel (token)').fill(server.adminToken);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForURL(/\/overview/);
    await settled();
  }, 300_000);

  afterEach(() => expect(problems.splice(0), 'console errors or failed requests').toEqual([]));
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 60_000);

  it('Ordlista explains every term a purchaser meets, in Swedish and in English', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Ordlista' }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Ordlista');
    const terms = await page.locator('#glossary-terms ~ dl dt, section[aria-labelledby="glossary-terms"] dt').allInnerTexts();
    expect(terms).toEqual(TERMS);
    const ss = await page.locator('#ss12000 dd').innerText();
    expect(ss).toMatch(/elevregister/);
    // Figures and columns follow, in the words of the Excel files.
    expect(await page.locator('#kolumn-utilisation dd').innerText()).toBe(COLUMNS.utilisation.meaningSv);
    await shot('20-ordlista');
    // A link to one term lands on it.
    await page.goto(`${server!.url}/glossary#nyttjandegrad`);
    await poll(() => page.locator('#nyttjandegrad dt').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Glossary');
    expect(await page.locator('#nyttjandegrad dt').innerText()).toBe('Utilisation');
    await page.getByRole('button', { name: 'Byt till svenska' }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Ordlista');
  });

  it('"Vad betyder det här?" opens a column\'s, a figure\'s and a status\'s explanation where it is shown', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Förnyelser' }).click();
    await settled();
    const th = page.locator('#renewals thead th', { hasText: 'Högsta användning' });
    const button = th.getByRole('button', { name: 'Vad betyder det här?' });
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    await button.click();
    const pop = th.locator('[role="note"]');
    await poll(() => pop.isVisible()).toBe(true);
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    expect(await pop.innerText()).toContain(COLUMNS.peak.meaningSv);
    await shot('21-forklaring-hogsta-anvandning');
    await page.keyboard.press('Escape');
    await poll(() => pop.count()).toBe(0);

    // A headline figure.
    const kpi = page.locator('[data-kpi="saving"]');
    await kpi.getByRole('button', { name: 'Vad betyder det här?' }).click();
    await poll(() => kpi.locator('[role="note"]').innerText()).toMatch(/rekommenderat antal platser/);
    await page.mouse.click(5, 5);
    await poll(() => kpi.locator('[role="note"]').count()).toBe(0);

    // A status, on Oanvänt, then on to the glossary from the explanation.
    await page.getByRole('navigation').getByRole('link', { name: 'Oanvänt' }).click();
    await settled();
    const status = page.locator('#unused tbody .badge-help').first();
    await status.getByRole('button', { name: 'Vad betyder det här?' }).click();
    await poll(() => status.locator('[role="note"]').innerText()).toMatch(/^(Oanvänd|Underutnyttjad)/);
    await shot('22-forklaring-status');
    await status.getByRole('link', { name: 'Fler ord i ordlistan' }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Ordlista');
  });

  it('Förnyelser downloads the renewal pack of one buyer as PDF', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Förnyelser' }).click();
    await settled();
    const pack = page.locator('[data-pack]');
    const options = await pack.getByLabel('Beställare').locator('option').allInnerTexts();
    expect(options[0]).toBe('Alla beställare');
    expect(options.length).toBeGreaterThan(1);
    const buyer = options[1];
    await pack.getByLabel('Beställare').selectOption({ label: buyer });
    const [download] = await Promise.all([page.waitForEvent('download'), pack.getByRole('button', { name: 'Förnyelseunderlag (PDF)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^licenskoll-fornyelseunderlag-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.pdf$/);
    const path = await download.path();
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path!, '-'], { encoding: 'utf8' });
    expect(text).toContain('Förnyelseunderlag');
    expect(text).toContain(buyer.split(',')[0]);
    expect(text).toMatch(/Sida 1 av \d+/);
    await shot('23-fornyelser-underlag');
  });
});
