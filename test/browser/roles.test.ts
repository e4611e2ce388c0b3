/**
 * The demo walked as every role, in a real browser against the real server (`npm start`'s
 * entry point with the demo): the sign-ins the demo prints for a principal, a teacher and a
 * purchaser each see only their scope; the Renewals page shows an over-used licence with the
 * seats and SEK missing; a filter naming nothing shows the API's error instead of an empty
 * table. One server and one browser for the file. Needs /usr/bin/chromium (see dashboard.test.ts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatters } from '../../dashboards/src/format.ts';
import { ensureDashboardBuilt, openBrowser, poll, settled, shot, skipBrowser, type BrowserPage } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const skip = skipBrowser('browser: the demo as every role');
const sv = formatters('sv');

let server: RunningServer;
let b: BrowserPage;
let page: Page;
/** The demo's printed sign-ins: role -> whom it stands for and its token. */
const signIns: Record<string, { who: string; token: string }> = {};

async function apiAs<T = any>(token: string, path: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function signIn(token: string, lands: RegExp) {
  await page.goto(`${server.url}/`);
  await page.getByLabel('API-nyckel (token)').fill(token);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL(lands);
  await settled(page);
}

async function signOut() {
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Logga in');
}

const nav = () => page.getByRole('navigation').getByRole('link').allInnerTexts();
const period = async () => {
  const dates = page.locator('.filters-dates');
  return { from: (await dates.getAttribute('data-from'))!, to: (await dates.getAttribute('data-to'))! };
};
const kpi = (id: string) => page.locator(`[data-kpi="${id}"] .kpi-value`).innerText();
const schoolOptions = () => page.getByLabel(/^Skolenhet/).locator('option').allInnerTexts();
const heatmapClasses = () => page.locator('.heatmap tbody tr th').allInnerTexts();

describe.skipIf(skip)('the demo as every role, in Chromium', { timeout: 240_000 }, () => {
  beforeAll(async () => {
    ensureDashboardBuilt();
    server = await startServer({ demo: true, env: { LICENSKOLL_RATE_LIMIT_READ: '1000000' } });
    for (const m of server.output().matchAll(/^ {2}(principal|teacher|purchaser) +(.+?) {2}(lk_\S+)$/gm)) signIns[m[1]] = { who: m[2].trim(), token: m[3] };
    b = await openBrowser();
    page = b.page;
  }, 600_000);

  afterEach(() => {
    expect(b.problems.splice(0), 'console errors or failed requests').toEqual([]);
  });

  afterAll(async () => {
    await b?.close();
    await server?.stop();
  }, 60_000);

  it('npm start with the demo prints a sign-in for a principal, a teacher and a purchaser', async () => {
    expect(Object.keys(signIns).sort()).toEqual(['principal', 'purchaser', 'teacher']);
    const me = await Promise.all(['principal', 'teacher', 'purchaser'].map((r) => apiAs(signIns[r].token, '/v1/me')));
    expect(me.map((m) => m.role)).toEqual(['principal', 'teacher', 'purchaser']);
    expect(me[0].schools).toHaveLength(1);
    expect(me[1].groups).toHaveLength(1);
    expect(me[2]).toMatchObject({ schools: [], groups: [] });
  });

  it('Förnyelser shows an over-used licence with the seats and SEK missing, and money saved and needed apart', async () => {
    await signIn(server.adminToken, /\/overview/);
    await page.getByRole('navigation').getByRole('link', { name: /^Förnyelser$/ }).click();
    await settled(page);
    const report = await apiAs(server.adminToken, `/v1/reports/renewals?asOf=${(await period()).to}&within=90`);
    const over = report.rows.filter((r: any) => r.overused);
    expect(over.length, 'the demo has an over-used licence up for renewal').toBeGreaterThan(0);
    expect(report.totals.missingCost).toBeGreaterThan(0);
    expect(await kpi('saving')).toBe(sv.money(report.totals.projectedSaving));
    expect(await kpi('needed')).toBe(sv.money(report.totals.missingCost));
    expect(await page.locator('[data-kpi="needed"] .kpi-hint').innerText()).toBe(`Överanvända licenser: ${sv.number(report.totals.overused)}`);
    for (const r of over) {
      const row = page.locator('#renewals tbody tr').filter({ has: page.locator('.cell-sub', { hasText: r.licence }) });
      expect(await row.locator('.badge').allInnerTexts()).toContainEqual(expect.stringContaining('Överanvänd'));
      const cells = await row.locator('td').allInnerTexts();
      expect(r.peak).toBeGreaterThan(r.seats);
      expect(cells).toContain(sv.number(r.seatsMissing));
      expect(cells).toContain(sv.money(r.missingCost, r.currency));
    }
    await shot(page, '15-fornyelser-overanvand');
  });

  it('a filter naming nothing shows the API\'s error, not an empty table', async () => {
    b.expected.push(/product=doesnotexist/, /status of 400/);
    await page.goto(`${server.url}/licences?product=doesnotexist`);
    await poll(() => page.getByRole('alert').innerText()).toContain('product: doesnotexist is not a known product');
    expect(await page.locator('#licences tbody tr').count()).toBe(0);
    await shot(page, '16-okant-lasemedel');
    b.expected.length = 0;
    await signOut();
  });

  it('the principal sees their school unit only, and the same cost on every page', async () => {
    const { token, who } = signIns.principal;
    const me = await apiAs(token, '/v1/me');
    const [school] = me.schools;
    await signIn(token, /\/classes/);
    expect(await nav()).toEqual(['Översikt', 'Licenser', 'Klasser', 'Oanvänt', 'Förnyelser', 'Uppföljning']);
    expect(await schoolOptions()).toEqual(['Alla skolenheter', who]);
    const { from, to } = await period();
    const classes = await apiAs(token, `/v1/reports/class-usage?from=${from}&to=${to}`);
    expect(new Set(classes.rows.map((r: any) => r.school))).toEqual(new Set([school]));
    expect((await heatmapClasses()).length).toBe(new Set(classes.rows.filter((r: any) => r.groupType === 'Klass').map((r: any) => r.group)).size);
    // Overview, licences, unused and renewals give each licence one cost (docs/figures.md, figure 11).
    const [o, l, u, rn] = await Promise.all([
      apiAs(token, `/v1/reports/overview?from=${from}&to=${to}`),
      apiAs(token, `/v1/reports/licences?from=${from}&to=${to}&asOf=${to}`),
      apiAs(token, `/v1/reports/unused?asOf=${to}&days=90`),
      apiAs(token, `/v1/reports/renewals?asOf=${to}&within=365`),
    ]);
    const cost = new Map<string, number>(l.rows.map((r: any) => [r.licence, r.cost]));
    expect(o.totals.cost).toBe(Math.round(l.rows.reduce((s: number, r: any) => s + r.cost, 0) * 100) / 100);
    for (const r of [...u.rows, ...rn.rows]) expect(r.cost, r.licence).toBe(cost.get(r.licence));
    await page.getByRole('navigation').getByRole('link', { name: /^Översikt$/ }).click();
    await settled(page);
    expect(await kpi('cost')).toBe(sv.money(o.totals.cost));
    await page.getByRole('navigation').getByRole('link', { name: /^Licenser$/ }).click();
    await settled(page);
    expect(await page.locator('#licences tbody tr').count()).toBe(l.rows.length);
    await shot(page, '17-demo-rektor-licenser');
    await signOut();
  });

  it('the teacher sees their one class, and no money pages', async () => {
    const { token, who } = signIns.teacher;
    const me = await apiAs(token, '/v1/me');
    await signIn(token, /\/classes/);
    expect(await nav()).toEqual(['Klasser']);
    const { from, to } = await period();
    const classes = await apiAs(token, `/v1/reports/class-usage?from=${from}&to=${to}`);
    expect(new Set(classes.rows.map((r: any) => r.group))).toEqual(new Set(me.groups));
    const names = await heatmapClasses();
    expect(names).toHaveLength(1);
    expect(who).toContain(`klass ${names[0]}`);
    await page.goto(`${server.url}/licences`);
    await poll(() => page.locator('main').innerText()).toContain('visas inte för rollen lärare');
    await shot(page, '18-demo-larare');
    await signOut();
  });

  it('the purchaser sees every school unit and every licence', async () => {
    const { token } = signIns.purchaser;
    await signIn(token, /\/overview/);
    expect(await nav()).toContain('Okända källor');
    const orgs = await apiAs(server.adminToken, '/v1/organisations');
    const units = orgs.rows.filter((o: any) => o.type === 'Skolenhet');
    expect((await schoolOptions()).length).toBe(units.length + 1);
    await page.getByRole('navigation').getByRole('link', { name: /^Licenser$/ }).click();
    await settled(page);
    const { from, to } = await period();
    const all = await apiAs(server.adminToken, `/v1/reports/licences?from=${from}&to=${to}&asOf=${to}`);
    expect(await page.locator('#licences tbody tr').count()).toBe(all.rows.length);
    await shot(page, '19-demo-inkopare');
    await signOut();
  });
});
