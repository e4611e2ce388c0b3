/** Signing in, Översikt and the filter bar. Steps of dashboard.test.ts, in its order. */
import { expect } from 'vitest';
import { poll } from '../../helpers/browser.ts';
import { api, shot, settled, onScreen, kpi, sv, en, page, base, token, b } from './session.ts';

/** signs in with a pasted token, keeps it out of the URL, and refuses a wrong one */
export async function signIn(): Promise<void> {
  await page.goto(base + '/');
  await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Logga in');
  await shot('00-sign-in');

  b.expected.push(/\/v1\/me$/, /status of 401/);
  await page.getByLabel('API-nyckel (token)').fill('not-a-token');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await poll(() => page.getByRole('alert').innerText()).toContain('Nyckeln godtogs inte');
  b.expected.length = 0;

  await page.getByLabel('API-nyckel (token)').fill(token);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL(/\/overview/);
  await settled();
  expect(page.url()).not.toContain(token);
  expect(await page.evaluate(() => sessionStorage.getItem('licenskoll.token'))).toBe(token);
  expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(token);
}

/** Översikt leads with cost, unused cost and cost per active pupil, equal to the API */
export async function overview(): Promise<void> {
  await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Översikt');
  const params = new URLSearchParams(await page.evaluate(() => location.search));
  expect(params.get('period')).toBeNull(); // the default: the running school year
  const report = await api(`/v1/reports/overview?${await onScreen()}`);
  expect(await kpi('cost')).toBe(sv.money(report.totals.cost));
  expect(await kpi('unusedCost')).toBe(sv.money(report.totals.unusedCost));
  expect(await kpi('costPerActive')).toBe(sv.money(report.totals.costPerActiveUser));
  expect(await kpi('activeUsers')).toBe(sv.number(report.totals.activeUsers));
  expect(await page.locator('#overview-products tbody tr').count()).toBe(report.rows.length);
  await page.locator('.chart svg').first().waitFor({ timeout: 15_000 });
  await shot('01-oversikt');
}

/** period and product filters go into the URL and change the figures */
export async function filters(): Promise<void> {
  const before = await kpi('activeUsers');
  const period = page.getByLabel('Period', { exact: true });
  const month = await period.locator('optgroup[label="Månader"] option').nth(1).getAttribute('value');
  await period.selectOption(month!);
  await page.waitForURL(new RegExp(`period=${month}`));
  await settled();
  const from = `${month}-01`;
  expect(await page.locator('.filters-dates').getAttribute('data-from')).toBe(from);
  expect((await page.locator('.filters-dates').innerText()).startsWith(from)).toBe(true);
  const monthly = await api(`/v1/reports/overview?${await onScreen()}`);
  expect(await kpi('activeUsers')).toBe(sv.number(monthly.totals.activeUsers));
  expect(await kpi('activeUsers')).not.toBe(before);

  const products = await api<{ rows: { id: string; name: string }[] }>('/v1/products');
  const withLicence = monthly.rows.find((r: any) => r.licences > 0)!;
  await page.getByLabel(/^Läromedel/).selectOption(withLicence.product);
  await page.waitForURL(new RegExp(`product=${encodeURIComponent(withLicence.product)}`));
  await settled();
  expect(await page.locator('#overview-products tbody tr').count()).toBe(1);
  expect(await page.locator('#overview-products tbody tr th').innerText()).toBe(products.rows.find((p) => p.id === withLicence.product)!.name);
  const one = await api(`/v1/reports/overview?${await onScreen()}`);
  expect(await kpi('cost')).toBe(sv.money(one.totals.cost));

  // A custom period with no events says so, and what to do.
  await page.getByLabel('Period', { exact: true }).selectOption('custom');
  await page.getByLabel('Från', { exact: true }).fill('2024-01-01');
  await page.getByLabel('Till', { exact: true }).fill('2024-01-31');
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await page.waitForURL(/from=2024-01-01&to=2024-01-31/);
  await settled();
  expect(new URL(page.url()).searchParams.get('period')).toBeNull();
  const empty = await api(`/v1/reports/overview?${await onScreen()}`);
  if (empty.totals.events === 0) await poll(() => page.locator('main').innerText()).toContain('Inga händelser för perioden: skicka händelser till /v1/events eller välj en annan period.');
  await shot('01b-oversikt-tom-period');
  await page.goBack();
  await settled();

  // A bookmarked link reproduces the view.
  const link = page.url();
  await page.goto(base + '/overview');
  await settled();
  await page.goto(link);
  await settled();
  expect(await kpi('cost')).toBe(sv.money(one.totals.cost));
  await page.getByLabel(/^Läromedel/).selectOption('');
  await page.getByLabel('Period', { exact: true }).selectOption({ index: 0 });
  await settled();
  expect(page.url()).not.toContain('product=');
}
