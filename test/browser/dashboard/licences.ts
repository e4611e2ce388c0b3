/** Licenser: the list, its downloads and the targets beside the seats. Steps of dashboard.test.ts, in its order. */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { poll } from '../../helpers/browser.ts';
import { api, apiText, shot, settled, goTo, onScreen, asOf, licencesPanel, parseCsv, sv, page, b } from './session.ts';

/** Licenser lists every licence, sorts, filters, and downloads the same figures as CSV */
export async function licenceList(): Promise<void> {
  await goTo(/^Licenser$/);
  const query = await onScreen({ asOf: await asOf() });
  const span = [(await page.locator('.filters-dates').getAttribute('data-from'))!, await asOf()];
  const report = await api<{ rows: any[] }>(`/v1/reports/licences?${query}`);
  expect(await page.locator('#licences tbody tr').count()).toBe(report.rows.length);
  await shot('02-licenser');

  // Sorted by unused cost, largest first.
  const top = [...report.rows].sort((a, b) => (b.unusedCost ?? -1) - (a.unusedCost ?? -1))[0];
  expect(await page.locator('#licences tbody tr').first().locator('th .cell-sub').innerText()).toBe(top.licence);
  // Sorting by days left puts the soonest first.
  await page.getByRole('button', { name: /Dagar kvar/ }).click();
  const soonest = [...report.rows].sort((a, b) => a.daysToExpiry - b.daysToExpiry)[0];
  expect(await page.locator('#licences tbody tr').first().locator('.days-date').innerText()).toBe(soonest.end);
  expect(await page.locator('th[aria-sort="ascending"]').innerText()).toContain('Dagar kvar');

  // Free-text search into the URL.
  await page.getByLabel('Sök licens, läromedel eller beställare').fill(top.licence);
  await page.waitForURL(new RegExp(`q=${top.licence}`));
  expect(await page.locator('#licences tbody tr').count()).toBe(report.rows.filter((r) => r.licence.includes(top.licence)).length);
  await page.getByLabel('Sök licens, läromedel eller beställare').fill('');

  const [download] = await Promise.all([page.waitForEvent('download'), licencesPanel().getByRole('button', { name: 'Ladda ner CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^licenskoll-licences-${span[0]}_${span[1]}.*\\.csv$`));
  const csv = readFileSync((await download.path())!, 'utf8');
  const [cols, ...records] = parseCsv(csv.replace(/^\uFEFF/, ''));
  const record = records.find((r) => r[cols.indexOf('licence')] === top.licence);
  expect(record, 'CSV row for the top licence').toBeTruthy();
  expect(Number(record![cols.indexOf('unusedCost')])).toBe(top.unusedCost);
  expect(Number(record![cols.indexOf('price')])).toBe(top.price);
  expect(records.length).toBe(report.rows.length);
  const direct = await apiText(`/v1/reports/licences?${query}&format=csv`);
  // Same bytes as the API's own CSV for the same parameters (the file keeps the BOM Excel needs).
  expect(csv.replace(/^\uFEFF/, '')).toBe(direct.replace(/^\uFEFF/, ''));
}

/** Licenser downloads the same figures as an Excel workbook and as CSV för Excel */
export async function licenceWorkbook(): Promise<void> {
  await goTo(/^Licenser$/);
  const query = await onScreen({ asOf: await asOf() });
  const report = await api<{ rows: any[] }>(`/v1/reports/licences?${query}`);
  const [xlsx] = await Promise.all([page.waitForEvent('download'), licencesPanel().getByRole('button', { name: 'Excel', exact: true }).click()]);
  expect(xlsx.suggestedFilename()).toMatch(/^licenskoll-licences-.*\.xlsx$/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync((await xlsx.path())!) as never);
  expect(wb.worksheets.map((w) => w.name)).toEqual(['Om rapporten', 'Licenser']);
  const ws = wb.worksheets[1];
  const headers = (ws.getRow(1).values as unknown[]).slice(1);
  expect(headers.slice(0, 3)).toEqual(['Licens', 'Läromedel (id)', 'Läromedel']);
  const col = (h: string) => headers.indexOf(h) + 1;
  expect(ws.rowCount).toBe(report.rows.length + 1);
  for (let n = 0; n < report.rows.length; n++) {
    const r = report.rows.find((x) => x.licence === ws.getCell(n + 2, 1).value)!;
    expect(ws.getCell(n + 2, col('Pris')).value).toBe(r.price);
    expect(ws.getCell(n + 2, col('Pris')).numFmt).toBe('#,##0.00 "kr"');
    expect(ws.getCell(n + 2, col('Aktiva med licens')).value).toBe(r.licensedActive);
  }
  const [sv] = await Promise.all([page.waitForEvent('download'), licencesPanel().getByRole('button', { name: 'CSV för Excel' }).click()]);
  expect(sv.suggestedFilename()).toMatch(/-excel\.csv$/);
  const text = readFileSync((await sv.path())!, 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(text.slice(1).split('\r\n')[0].split(';').slice(0, 3)).toEqual(['Licens', 'Läromedel (id)', 'Läromedel']);
  expect(text.split('\r\n').length - 2).toBe(report.rows.length);
}

/** Licenser shows each target beside the seats, and an admin changes one; a backwards range is refused with the reason */
export async function targets(): Promise<void> {
  await goTo(/^Licenser$/);
  const report = await api<{ rows: any[] }>(`/v1/reports/licences?${await onScreen({ asOf: await asOf() })}`);
  const targeted = report.rows.filter((r) => r.targetSize !== null);
  expect(targeted.length).toBeGreaterThan(0);
  expect(await page.getByTestId('target-size').count()).toBe(targeted.length);
  expect(await page.locator('#licences').innerText()).toContain('målgrupp saknas');
  // A licence reaching beyond a school filter is not the school's to change.
  const row = targeted.find((r) => r.reach !== 'partial');
  // Narrowed to one year of its own target, so that a target is left (year 8 of a 1-3 product would not be).
  const year = row?.target?.years?.[0] ?? 8;
  expect(row, 'a targeted licence within the filter').toBeTruthy();
  await page.getByLabel('Sök licens, läromedel eller beställare').fill(row!.licence);
  await page.waitForURL(new RegExp(`q=${row!.licence}`));
  await page.getByRole('button', { name: `Ändra målgrupp för ${row!.licence}` }).click();
  b.expected.push(/\/target$/, /status of 400/);
  await page.getByLabel('Årskurs').fill('9-7');
  await page.getByRole('button', { name: 'Spara målgrupp' }).click();
  await poll(async () => page.getByRole('alert').innerText()).toMatch(/9-7 runs backwards/);
  b.expected.length = 0;
  await page.getByLabel('Årskurs').fill(String(year));
  await page.getByRole('button', { name: 'Spara målgrupp' }).click();
  await poll(async () => (await api<any>(`/v1/licences/${row!.licence}`)).target.years).toEqual([year]);
  await settled();
  // The search matches ids that contain it (lic-004 finds lic-040 to lic-047 too): the licence's own row.
  const edited = page.locator('#licences tbody tr').filter({ has: page.locator('th .cell-sub', { hasText: new RegExp(`^${row!.licence}$`) }) });
  await poll(async () => edited.innerText()).toContain(`åk ${year}`);
  // Put back as it was: the licence's own target empty again, the product's applies.
  await page.getByRole('button', { name: `Ändra målgrupp för ${row!.licence}` }).click();
  for (const label of ['Skolform', 'Årskurs', 'Befattning (personal)']) await page.getByLabel(label, { exact: true }).fill('');
  await page.getByRole('button', { name: 'Spara målgrupp' }).click();
  await poll(async () => (await api<any>(`/v1/licences/${row!.licence}`)).target.years).toEqual([]);
  const log = await api<{ rows: any[] }>('/v1/audit?action=licence.target');
  expect(log.rows.filter((r) => r.status === 200 && r.params.licence === row!.licence).length).toBeGreaterThanOrEqual(2);
  await page.getByLabel('Sök licens, läromedel eller beställare').fill('');
}
