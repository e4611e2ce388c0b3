/**
 * Utskick in a real browser against `npm start`'s setting: the demo municipality and no SMTP
 * settings. The page says e-mail is not configured, a subscription can still be made (a bad
 * schedule is refused naming the field), and its file downloads and holds what the API says.
 * Sending is tested end to end with a real SMTP server in test/mail/scheduled-email.test.ts.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiJson, browserSuite, poll, shot, signIn, skipBrowser, type BrowserPage } from '../helpers/browser.ts';
import type { RunningServer } from '../helpers/server.ts';

const skip = skipBrowser('browser: Utskick in Chromium');

let server: RunningServer;
/** The browser; its `expected` holds answers a test provokes on purpose (the refused schedule). */
let b: BrowserPage;
let page: Page;
const api = <T = any>(path: string) => apiJson<T>(server.url, server.adminToken, path);

describe.skipIf(skip)('Utskick in Chromium, demo without SMTP', { timeout: 180_000 }, () => {
  const suite = browserSuite({ start: { demo: true }, acceptDownloads: true });
  beforeAll(() => {
    server = suite.server!;
    b = suite.b;
    page = suite.page;
  });

  it('says e-mail is not configured, makes a subscription, refuses a bad schedule by name, and downloads its file', async () => {
    await signIn(page, server.url, server.adminToken);
    await page.getByRole('navigation').getByRole('link', { name: /^Utskick$/ }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Utskick');
    await poll(() => page.locator('[data-mail="off"]').innerText()).toContain('E-post är inte konfigurerad');
    await poll(() => page.getByText('Inga utskick ännu.').isVisible()).toBe(true);

    // A bad schedule: the server's 400 names the field, shown beside the form.
    b.expected.push(/\/v1\/subscriptions$/, /status of 400/);
    await page.getByLabel('Namn', { exact: true }).fill('Förnyelser till beställarna');
    await page.getByLabel('Rapport', { exact: true }).selectOption('renewals');
    await page.getByLabel('Beställare av licenser som snart slutar').check();
    await page.getByLabel('Schema (cron i organisationens tidszon)').fill('0 25 * * 1');
    await page.getByRole('button', { name: 'Skapa utskick' }).click();
    await poll(() => page.getByRole('alert').first().innerText()).toContain('schedule: is not a valid cron expression: Invalid value for hour: 25');
    b.expected.length = 0;

    await page.getByLabel('Förval').selectOption({ label: 'Måndagar kl. 07.00' });
    await page.getByRole('button', { name: 'Skapa utskick' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: 'är skapat' }).count()).toBe(1);
    const row = page.locator('#subscriptions-title').locator('xpath=ancestor::section').locator('tbody tr');
    await poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain('Varje beställare av licenser som slutar inom 90 dagar');
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('idle');
    expect(await row.getByRole('button', { name: /Skicka nu till mig/ }).isDisabled()).toBe(true);
    await shot(page, '20-utskick');

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
