/** Keeping the data right: follow-up status and mapping unknown sources. Steps of dashboard.test.ts, in its order. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { poll } from '../../helpers/browser.ts';
import { api, apiAs, shot, settled, goTo, page, token, ROOT, ownServer } from './session.ts';

/** Uppföljning: set a status with a note on a buyer’s licence */
export async function followUp(): Promise<void> {
  await goTo(/^Uppföljning$/);
  await shot('06-uppfoljning');
  const first = page.locator('#buyers tbody tr').first();
  await first.getByRole('button', { name: /Visa licenser/ }).click();
  await page.waitForURL(/buyer=/);
  const buyer = new URL(page.url()).searchParams.get('buyer')!;
  expect(await first.locator('th button').getAttribute('aria-pressed')).toBe('true');
  await page.getByRole('heading', { name: `Licenser beställda av ${buyer}` }).waitFor();
  const card = page.locator('.licence-card').first();
  const licence = await card.getAttribute('data-licence');
  await card.getByLabel('Ny status').selectOption('contacted');
  await card.getByLabel('Anteckning').fill('Ringt beställaren, återkommer före förnyelsen.');
  await card.getByRole('button', { name: 'Spara' }).click();
  await poll(() => card.locator('.field-ok').innerText()).toBe('Sparat: Kontaktad.');
  await poll(() => card.locator('.current-status').innerText()).toContain('Kontaktad');
  const history = await api<{ rows: any[] }>(`/v1/followups?licence=${licence}`);
  expect(history.rows[0]).toMatchObject({ licence, status: 'contacted', note: 'Ringt beställaren, återkommer före förnyelsen.' });
  await card.locator('summary').click();
  await shot('07-uppfoljning-licens');
}

/** Okända källor: map an unknown identifier to a new learning material */
export async function mapUnknown(): Promise<void> {
  await goTo(/^Okända källor$/);
  const before = await api<{ rows: any[] }>('/v1/reports/unmapped');
  expect(await page.locator('#unmapped tbody tr').count()).toBe(before.rows.length);
  await shot('08-okanda-kallor');
  if (!before.rows.length) return;
  const target = before.rows[before.rows.length - 1];
  await page.getByRole('button', { name: `Koppla… ${target.identifier}` }).click();
  await page.getByRole('radio', { name: 'Nytt läromedel' }).check();
  await page.getByLabel('Namn').fill('Kartlagt i webbläsartest');
  await shot('09-okanda-kallor-koppla');
  await page.getByRole('button', { name: 'Koppla', exact: true }).click();
  await poll(() => page.locator('.notice-ok').innerText()).toContain(target.identifier);
  await settled();
  await poll(async () => (await api<{ rows: any[] }>('/v1/reports/unmapped')).rows.some((r) => r.identifier === target.identifier)).toBe(false);
  expect(await page.locator('#unmapped tbody tr').count()).toBe(before.rows.length - 1);
}

/** Okända källor also lists register rows that name a school unit or person never imported */
export async function unknownRegister(): Promise<void> {
  if (!ownServer) return; // against LICENSKOLL_BROWSER_URL: would write to someone else's roster
  const fixture = JSON.parse(readFileSync(join(ROOT, 'packages/importers/test-fixtures/ss12000/dangling-references.json'), 'utf8'));
  await apiAs(token, '/v1/import/ss12000', fixture);
  const stored = await api<{ rows: { kind: string; id: string | null; rows: number }[] }>('/v1/roster/unresolved');
  expect(stored.rows.length).toBeGreaterThan(0);
  await page.reload();
  await goTo(/^Okända källor$/);
  const section = page.getByTestId('unresolved-references');
  await poll(() => section.locator('#unresolved tbody tr').count()).toBe(stored.rows.length);
  await expect.poll(() => section.innerText()).toContain('c1000000-0000-4000-8000-000000000001');
  expect(await section.getByRole('heading').first().innerText()).toBe('Okända hänvisningar i registret');
  await shot('09b-okanda-hanvisningar');
}
