/**
 * The demo walked as every role, in a real browser against the real server (`npm start`'s
 * entry point with the demo): the sign-ins the demo prints for a principal, a teacher and a
 * purchaser each see only their scope; the demo principal's pages give each licence one cost;
 * a filter naming nothing shows the API's error instead of an empty table; a restart prints
 * new sign-ins and a start without the demo revokes them. One data directory for the file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatters } from '../../dashboards/src/format.ts';
import { sv as words } from '../../dashboards/src/i18n/sv.ts';
import { PAGES } from '../../dashboards/src/router.ts';
import { apiJson, browserSuite, poll, settled as settledOn, shot as shotOf, signIn as signInOn, skipBrowser, type BrowserPage } from '../helpers/browser.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const skip = skipBrowser('browser: the demo as every role');
const sv = formatters('sv');
const ROLES = ['principal', 'teacher', 'purchaser'] as const;
type DemoRole = (typeof ROLES)[number];
type SignIns = Partial<Record<DemoRole, { who: string; token: string }>>;

let server: RunningServer;
let b: BrowserPage;
let page: Page;
let signIns: SignIns = {};

/** The sign-ins a start printed (demo-roles.ts): `  <role>  <who>  lk_…`. */
function printed(output: string): SignIns {
  const found: SignIns = {};
  for (const m of output.matchAll(/^ {2}(principal|teacher|purchaser) +(.+?) {2}(lk_\S+)$/gm)) found[m[1] as DemoRole] = { who: m[2].trim(), token: m[3] };
  return found;
}

const apiAs = <T = any>(token: string, path: string) => apiJson<T>(server.url, token, path);
const status = async (token: string, path: string) => (await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } })).status;
const shot = (name: string) => shotOf(page, name);
const settled = () => settledOn(page);
const signIn = (token: string, lands: RegExp) => signInOn(page, server.url, token, lands);

async function signOut() {
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Logga in');
}

async function goTo(name: string) {
  await page.getByRole('navigation').getByRole('link', { name: new RegExp(`^${name}$`) }).click();
  await settled();
}

/** The navigation a role is given, in the words of the Swedish dashboard (router.ts). */
const navOf = (role: DemoRole) => PAGES.filter((p) => p.roles.includes(role)).map((p) => words[p.nav]);
const nav = () => page.getByRole('navigation').getByRole('link').allInnerTexts();
const period = async () => {
  const dates = page.locator('.filters-dates');
  return { from: (await dates.getAttribute('data-from'))!, to: (await dates.getAttribute('data-to'))! };
};
const kpi = (id: string) => page.locator(`[data-kpi="${id}"] .kpi-value`).innerText();
const schoolOptions = () => page.getByLabel(/^Skolenhet/).locator('option').allInnerTexts();
const heatmapClasses = () => page.locator('.heatmap tbody tr th').allInnerTexts();
const ids = (rows: { licence: string }[]) => rows.map((r) => r.licence).sort();
const sum = (xs: number[]) => Math.round(xs.reduce((a, x) => a + x, 0) * 100) / 100;

describe.skipIf(skip)('the demo as every role, in Chromium', { timeout: 240_000 }, () => {
  // The data directory outlives each stop: the last test restarts on it.
  const suite = browserSuite({ start: { demo: true, keepData: true, env: { LICENSKOLL_RATE_LIMIT_READ: '1000000' } }, removeData: true });
  beforeAll(() => {
    server = suite.server!;
    signIns = printed(server.output());
    b = suite.b;
    page = suite.page;
  });

  it('npm start with the demo prints a sign-in for a principal, a teacher and a purchaser', async () => {
    expect(Object.keys(signIns).sort()).toEqual(['principal', 'purchaser', 'teacher']);
    const me = await Promise.all(ROLES.map((r) => apiAs(signIns[r]!.token, '/v1/me')));
    expect(me.map((m) => m.role)).toEqual([...ROLES]);
    const orgs = await apiAs<{ rows: { id: string; name: string }[] }>(server.adminToken, '/v1/organisations');
    expect(me[0].schools).toHaveLength(1);
    expect(orgs.rows.find((o) => o.id === me[0].schools[0])?.name).toBe(signIns.principal!.who);
    expect(me[1].groups).toHaveLength(1);
    expect(me[2]).toMatchObject({ schools: [], groups: [] });
  });

  it('the principal sees their school unit only, and the same cost on every page', async () => {
    const { token, who } = signIns.principal!;
    const [school] = (await apiAs(token, '/v1/me')).schools as string[];
    await signIn(token, /\/classes/);
    expect(await nav()).toEqual(navOf('principal'));
    expect(await schoolOptions()).toEqual(['Alla skolenheter', who]);
    const { from, to } = await period();
    const classes = await apiAs(token, `/v1/reports/class-usage?from=${from}&to=${to}`);
    expect(new Set(classes.rows.map((r: any) => r.school))).toEqual(new Set([school]));
    expect((await heatmapClasses()).length).toBe(new Set(classes.rows.filter((r: any) => r.groupType === 'Klass').map((r: any) => r.group)).size);
    await shot('14-rektor-klasser');

    // Overview, licences, unused and renewals give each licence one cost (docs/figures.md).
    const [o, l, u, rn, all] = await Promise.all([
      apiAs(token, `/v1/reports/overview?from=${from}&to=${to}`),
      apiAs(token, `/v1/reports/licences?from=${from}&to=${to}&asOf=${to}`),
      apiAs(token, `/v1/reports/unused?asOf=${to}&days=90`),
      apiAs(token, `/v1/reports/renewals?asOf=${to}&within=365`),
      apiAs(server.adminToken, `/v1/reports/licences?from=${from}&to=${to}&asOf=${to}`),
    ]);
    // Only the licences that reach the school: fewer than the organiser's, and none unknown to it.
    expect(l.rows.length).toBeGreaterThan(0);
    expect(l.rows.length).toBeLessThan(all.rows.length);
    expect(ids(all.rows)).toEqual(expect.arrayContaining(ids(l.rows)));
    const cost = new Map<string, number>(l.rows.map((r: any) => [r.licence, r.cost]));
    expect(o.totals.cost).toBe(sum(l.rows.map((r: any) => r.cost)));
    expect(u.rows.length + rn.rows.length).toBeGreaterThan(0);
    for (const r of [...u.rows, ...rn.rows]) expect(r.cost, r.licence).toBe(cost.get(r.licence));

    await goTo('Översikt');
    expect(await kpi('cost')).toBe(sv.money(o.totals.cost));
    await goTo('Licenser');
    expect(await page.locator('#licences tbody tr').count()).toBe(l.rows.length);
    await shot('17-demo-rektor-licenser');
    // A page outside the role says so without asking the API (no 403 in the console).
    await page.goto(`${server.url}/unmapped`);
    await poll(() => page.locator('main').innerText()).toContain('visas inte för rollen rektor');
    await signOut();
  });

  it('the teacher sees their one class, and no money pages', async () => {
    const { token, who } = signIns.teacher!;
    const me = await apiAs(token, '/v1/me');
    await signIn(token, /\/classes/);
    expect(await nav()).toEqual(navOf('teacher'));
    const { from, to } = await period();
    const classes = await apiAs(token, `/v1/reports/class-usage?from=${from}&to=${to}`);
    expect(classes.rows.length).toBeGreaterThan(0);
    expect(new Set(classes.rows.map((r: any) => r.group))).toEqual(new Set(me.groups));
    const names = await heatmapClasses();
    expect(names).toHaveLength(1);
    expect(who).toContain(`klass ${names[0]}`);
    await shot('18-demo-larare');
    await page.goto(`${server.url}/licences`);
    await poll(() => page.locator('main').innerText()).toContain('visas inte för rollen lärare');
    await signOut();
  });

  it('the purchaser sees every school unit, every licence and every renewal', async () => {
    const { token } = signIns.purchaser!;
    await signIn(token, /\/overview/);
    expect(await nav()).toEqual(navOf('purchaser'));
    const orgs = await apiAs(server.adminToken, '/v1/organisations');
    expect((await schoolOptions()).length).toBe(orgs.rows.filter((o: any) => o.type === 'Skolenhet').length + 1);
    await goTo('Licenser');
    const { from, to } = await period();
    const all = await apiAs(server.adminToken, `/v1/reports/licences?from=${from}&to=${to}&asOf=${to}`);
    expect(ids((await apiAs(token, `/v1/reports/licences?from=${from}&to=${to}&asOf=${to}`)).rows)).toEqual(ids(all.rows));
    expect(await page.locator('#licences tbody tr').count()).toBe(all.rows.length);
    await shot('19-demo-inkopare');
    await goTo('Förnyelser');
    const renewals = await apiAs(server.adminToken, `/v1/reports/renewals?asOf=${to}&within=90`);
    expect(renewals.rows.length).toBeGreaterThan(0);
    expect(ids((await apiAs(token, `/v1/reports/renewals?asOf=${to}&within=90`)).rows)).toEqual(ids(renewals.rows));
    expect(await page.locator('#renewals tbody tr').count()).toBe(renewals.rows.length);
  });

  it('a filter naming nothing shows the API\'s error on every page, not an empty table', async () => {
    const [school] = (await apiAs(signIns.principal!.token, '/v1/me')).schools as string[];
    b.expected.push(/product=doesnotexist/, /status of 400/);
    const error = 'Servern godtog inte frågan: invalid parameters: product: "doesnotexist" is not a known product';
    // Klasser asks for a school unit before it asks the API anything.
    for (const path of ['overview', 'licences', `classes?school=${school}&`, 'unused', 'unlicensed', 'renewals']) {
      await page.goto(`${server.url}/${path.includes('?') ? path : `${path}?`}product=doesnotexist`);
      await poll(() => page.getByRole('alert').first().innerText(), path).toContain(error);
      expect(await page.locator('main table').count(), path).toBe(0);
      expect(await page.locator('main [data-kpi]').count(), path).toBe(0);
    }
    // A stale filter reached inside the app: the rows of the previous answer do not stay on screen.
    await page.goto(`${server.url}/licences`);
    await settled();
    expect(await page.locator('#licences tbody tr').count()).toBeGreaterThan(0);
    await page.evaluate(() => {
      history.pushState(null, '', '/licences?product=doesnotexist');
      dispatchEvent(new PopStateEvent('popstate'));
    });
    await poll(() => page.getByRole('alert').first().innerText()).toContain(error);
    expect(await page.locator('main table').count()).toBe(0);
    await shot('16-okant-lasemedel');
    b.expected.length = 0;
    await signOut();
  });

  it('a restart prints new sign-ins and revokes the old; a start without the demo revokes them all', async () => {
    const before = signIns;
    await server.stop();
    suite.server = server = await startServer({ demo: true, dataDir: server.dataDir, env: { LICENSKOLL_RATE_LIMIT_READ: '1000000' } });
    const again = printed(server.output());
    expect(Object.keys(again).sort()).toEqual(['principal', 'purchaser', 'teacher']);
    for (const r of ROLES) {
      expect(again[r]!.who, r).toBe(before[r]!.who);
      expect(again[r]!.token, r).not.toBe(before[r]!.token);
      expect(await status(before[r]!.token, '/v1/me'), `${r}: the earlier token`).toBe(401);
      expect((await apiAs(again[r]!.token, '/v1/me')).role).toBe(r);
    }
    await server.stop();
    suite.server = server = await startServer({ demo: false, dataDir: server.dataDir });
    expect(server.output()).not.toMatch(/lk_/);
    for (const r of ROLES) expect(await status(again[r]!.token, '/v1/me'), r).toBe(401);
    expect((await apiAs(server.adminToken, '/v1/reports/licences')).rows.length).toBeGreaterThan(0);
  }, 300_000);
});
