/**
 * Plain language and the renewal pack in a real browser (Chromium through playwright-core)
 * against the real server with the demo municipality: the Ordlista page with every term, a
 * column's "Vad betyder det här?" explanation opened from its header (the exports' own sentence),
 * a status's and a figure's, the English glossary, and the renewal pack downloaded as PDF for one
 * buyer from Förnyelser. Screenshots land in test-artifacts/screenshots/.
 */
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { COLUMNS } from '@licenskoll/reports';
import { browserSuite, poll, settled as settledOn, shot as shotOf, signIn, skipBrowser } from '../helpers/browser.ts';
import type { RunningServer } from '../helpers/server.ts';

const skip = skipBrowser('browser: plain language');

let server: RunningServer;
let page: Page;
const shot = (name: string) => shotOf(page, name);
const settled = () => settledOn(page);

const TERMS = ['Aktiv användare', 'Licensierad aktiv (aktiv med licens)', 'Nyttjandegrad', 'Oanvänd kostnad', 'Målgrupp', 'SS12000', 'BOL',
  'IdP (inloggningstjänst)', 'LTI', 'Caliper', 'Pseudonym', 'Skolenhet', 'Huvudman'];

describe.skipIf(skip)('plain language in Chromium', { timeout: 180_000 }, () => {
  const suite = browserSuite({ start: { demo: true }, acceptDownloads: true });
  beforeAll(async () => {
    server = suite.server!;
    page = suite.page;
    await signIn(page, server.url, server.adminToken);
  }, 120_000);

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
    await page.goto(`${server.url}/glossary#nyttjandegrad`);
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
