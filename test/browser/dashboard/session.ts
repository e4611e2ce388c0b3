/**
 * What the steps of dashboard.test.ts share: the browser page, the server it talks to, the
 * admin token, and the ways a step reads the page and asks the API the same question.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { formatters } from '../../../dashboards/src/format.ts';
import { apiJson, settled as settledOn, shot as shotOf, type BrowserPage } from '../../helpers/browser.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export const sv = formatters('sv');
export const en = formatters('en');

/** The browser; its `expected` holds requests a test makes fail on purpose (the wrong-token sign-in). */
export let b: BrowserPage;
export let page: Page;
export let base = '';
export let token = '';
/** The school unit the Klasser test chose, for the tablet view of its heat map. */
export let pickedSchool = '';
/** False against LICENSKOLL_BROWSER_URL: steps that would write to someone else's roster are left out. */
export let ownServer = false;

export const api = <T = any>(path: string) => apiJson<T>(base, token, path);
export const apiAs = <T = any>(tok: string, path: string, body?: unknown) => apiJson<T>(base, tok, path, body);

export async function apiText(path: string): Promise<string> {
  const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return res.text();
}

export const shot = (name: string) => shotOf(page, name);
export const settled = () => settledOn(page);

export async function goTo(navText: RegExp) {
  await page.getByRole('navigation').getByRole('link', { name: navText }).click();
  await settled();
}

/**
 * The query the page on screen stands for: the resolved period (from the filter bar) and
 * the school/product filters of the URL, plus report-specific parameters. The API is then
 * asked exactly what the page asked.
 */
export async function onScreen(extra: Record<string, string | number> = {}, keys = ['from', 'to', 'school', 'product']): Promise<string> {
  const dates = page.locator('.filters-dates');
  const all: Record<string, string> = {
    from: (await dates.getAttribute('data-from'))!,
    to: (await dates.getAttribute('data-to'))!,
  };
  const url = new URL(page.url());
  for (const k of ['school', 'product']) if (url.searchParams.get(k)) all[k] = url.searchParams.get(k)!;
  const q = new URLSearchParams();
  for (const k of keys) if (all[k]) q.set(k, all[k]);
  for (const [k, v] of Object.entries(extra)) q.set(k, String(v));
  return q.toString();
}
export const asOf = async () => (await page.locator('.filters-dates').getAttribute('data-to'))!;

export const kpi = (id: string) => page.locator(`[data-kpi="${id}"] .kpi-value`).innerText();

/** The licences table's panel: Licenser also shows the seat moves, with downloads of their own. */
export const licencesPanel = () => page.locator('section.table-panel').filter({ has: page.locator('#licences') });

/** Binds the suite's browser and server; called once, before the first step. */
export function bind(suite: { b: BrowserPage; page: Page; base: string; adminToken: string; server?: unknown }): void {
  ownServer = Boolean(suite.server);
  b = suite.b;
  page = suite.page;
  base = suite.base;
  token = suite.adminToken;
}

export function pick(school: string): void {
  pickedSchool = school;
}

/** RFC 4180 CSV: quoted fields with commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}
