/** What the figures found: Oanvänt, Utan licens, Inloggning inför prov and Signaler. Steps of dashboard.test.ts, in its order. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { poll } from '../../helpers/browser.ts';
import { api, apiText, shot, settled, goTo, onScreen, asOf, kpi, parseCsv, sv, page, base, token, b } from './session.ts';

/** Oanvänt lists unused and underused licences with their cost */
export async function unused(): Promise<void> {
  await goTo(/^Oanvänt$/);
  const keys = ['school', 'product'];
  const report = await api<{ rows: any[]; params: Record<string, unknown> }>(`/v1/reports/unused?${await onScreen({ asOf: await asOf(), days: 30, threshold: 0.5 }, keys)}`);
  expect(await page.locator('#unused tbody tr').count()).toBe(report.rows.length);
  const total = report.rows.reduce((s, r) => s + (r.unusedCost ?? (r.status === 'unused' ? r.price : 0)), 0);
  expect(await kpi('unusedTotal')).toBe(sv.money(total));
  await page.getByLabel('Fönster').selectOption('90');
  await page.waitForURL(/days=90/);
  await settled();
  const wider = await api<{ rows: any[] }>(`/v1/reports/unused?${await onScreen({ asOf: await asOf(), days: 90, threshold: 0.5 }, keys)}`);
  expect(await page.locator('#unused tbody tr').count()).toBe(wider.rows.length);
  // A set filter that the report did not apply is marked as such instead of pretending.
  const schoolSet = new URL(page.url()).searchParams.has('school');
  expect((await page.locator('label', { hasText: 'Skolenhet' }).innerText()).includes('gäller inte här')).toBe(schoolSet && !('school' in report.params));
  await shot('04-oanvant');
}

/** Utan licens lists use without a licence per product, school unit and class, equal to the API */
export async function unlicensed(): Promise<void> {
  await goTo(/^Utan licens$/);
  const report = await api<{ rows: any[] }>(`/v1/reports/unlicensed?${await onScreen()}`);
  const at = (level: string) => report.rows.filter((r) => r.level === level);
  expect(at('product').length).toBeGreaterThan(0);
  expect(await page.locator('#unlicensed-products tbody tr').count()).toBe(at('product').length);
  expect(await page.locator('#unlicensed-schools tbody tr').count()).toBe(at('school').length);
  // Products nobody bought (the demo's Elevspel, at four schools) are marked and counted.
  const shadow = at('product').filter((r) => !r.licensed);
  if (shadow.length) expect(await page.locator('[data-shadow]').getAttribute('data-shadow')).toBe(String(shadow.length));
  else expect(await page.locator('[data-shadow]').count()).toBe(0);
  const top = [...at('product')].sort((a, b) => b.persons - a.persons)[0];
  const first = page.locator('#unlicensed-products tbody tr').first();
  expect(await first.locator('th .cell-main').innerText()).toBe(top.productName);
  expect(await first.innerText()).toContain(sv.number(top.days));
  const denied = at('product').reduce((n, r) => n + (r.deniedEvents ?? 0), 0);
  if (denied) expect(await page.locator('#unlicensed-products').innerText()).toContain(sv.number(Math.max(...at('product').map((r) => r.deniedEvents))));
  await shot('04b-utan-licens');
}

/** Inloggning inför prov shows the tested classes by share signed in and, for an admin, the pupils of one who did not sign in */
export async function signInReadiness(): Promise<void> {
  await goTo(/^Inloggning inför prov$/);
  const report = await api<{ rows: any[]; params: { date: string } }>('/v1/reports/sign-in-readiness?days=30');
  const at = (level: string) => report.rows.filter((r) => r.level === level);
  expect(at('class').length).toBeGreaterThan(0);
  expect(await page.locator('#signins-schools tbody tr').count()).toBe(at('school').length);
  expect(await page.locator('[data-tested]').innerText()).toContain('grundskolan årskurs 3, 6 och 9 och gymnasieskolan');
  // Lowest share first: the class that needs help before the test is on top.
  const worst = [...at('class')].sort((a, b) => a.signedInShare - b.signedInShare)[0];
  const first = page.locator('#signins-classes tbody tr').first();
  expect(await first.locator('th .cell-main').innerText()).toBe(worst.groupName);
  expect(await first.innerText()).toContain(sv.percent(worst.signedInShare));
  // The demo makes some classes ready and some not.
  expect(at('class').some((r) => r.signedInShare >= 0.9)).toBe(true);
  expect(at('class').some((r) => r.signedInShare < 0.7)).toBe(true);
  await first.getByRole('button', { name: 'Visa elever' }).click();
  await settled();
  await poll(() => page.locator('#signins-pupils tbody tr').count()).toBe(worst.notSignedIn);
  const list = await api<{ rows: any[] }>(`/v1/reports/sign-in-readiness/pupils?group=${worst.group}&date=${report.params.date}&days=30`);
  expect(await page.locator('#signins-pupils tbody tr').first().locator('code').innerText()).toBe(list.rows[0].pseudonym);
  // A shorter window counts fewer sign-ins.
  await page.getByLabel('Räkna inloggningar under').selectOption('7');
  await settled();
  const week = await api<{ rows: any[] }>('/v1/reports/sign-in-readiness?days=7');
  const signed = (rows: any[]) => rows.filter((r) => r.level === 'school').reduce((n, r) => n + r.signedIn, 0);
  expect(signed(week.rows)).toBeLessThanOrEqual(signed(report.rows));
  expect(await page.locator('.kpi').first().innerText()).toContain(sv.number(signed(week.rows)));
  await shot('04c-inloggning-infor-prov');
}

/** Signaler lists every flag with its reason and money at stake, equal to the API; reached from Översikt, leads to the rows */
export async function flags(): Promise<void> {
  // Signed in by the first test; alone (vitest -t Signaler) it signs in itself.
  if (!page.url().startsWith(base) || !(await page.evaluate(() => sessionStorage.getItem('licenskoll.token')))) {
    await page.goto(base + '/');
    await page.getByLabel('API-nyckel (token)').fill(token);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForURL(/\/overview/);
    await settled();
  }
  await goTo(/^Översikt$/);
  await page.locator('[data-flags-link] a').click();
  await page.waitForURL(/\/flags/);
  await settled();
  expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Signaler');
  const query = await onScreen({ asOf: await asOf() }, ['school', 'product']);
  const report = await api<{ rows: any[] }>(`/v1/reports/flags?${query}`);
  expect(report.rows.length).toBeGreaterThan(0);
  expect(await page.locator('#flags tbody tr').count()).toBe(report.rows.length);
  // The most money at stake first, with its reason in plain Swedish.
  const top = [...report.rows].sort((a, b) => b.sek - a.sek)[0];
  const first = page.locator('#flags tbody tr').first();
  expect(await first.locator('.flag-reason').innerText()).toBe(top.reason);
  expect(await first.innerText()).toContain(sv.money(top.sek));
  const words: Record<string, string> = {
    'never-used': 'Aldrig använd', 'low-utilisation': 'Lågt nyttjad', concentrated: 'Koncentrerad', falling: 'Sjunkande', expensive: 'Dyr per aktiv', overlap: 'Överlapp',
  };
  const table = await page.locator('#flags').innerText();
  for (const kind of new Set(report.rows.map((r) => r.flag as string))) expect(table).toContain(words[kind]);
  await shot('04d-signaler');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Ladda ner CSV' }).click()]);
  const csv = readFileSync((await download.path())!, 'utf8');
  const [cols, ...records] = parseCsv(csv.replace(/^\uFEFF/, ''));
  expect(records.length).toBe(report.rows.length);
  expect(cols).toContain('sek');
  expect(csv.replace(/^\uFEFF/, '')).toBe((await apiText(`/v1/reports/flags?${query}&format=csv`)).replace(/^\uFEFF/, ''));

  // "Visa raderna" leads to the licence (or the classes) the flag is about.
  await first.getByRole('link', { name: 'Visa raderna' }).click();
  await page.waitForURL(/\/(licences|classes)\?/);
  await settled();
  if (top.link.startsWith('/licences')) expect(await page.locator('#licences tbody tr').first().locator('th .cell-sub').innerText()).toBe(top.licenceId);
  // The link's filters stay in the URL: the tests after this one start from the whole organiser.
  await page.goto(`${base}/overview`);
  await settled();
}
