/** Decisions with money at stake: Förnyelser, Att besluta and seat moves. Steps of dashboard.test.ts, in its order. */
import { expect } from 'vitest';
import { poll } from '../../helpers/browser.ts';
import { api, shot, settled, goTo, onScreen, asOf, kpi, sv, page, b } from './session.ts';

/** Förnyelser sorts by projected saving and totals it */
export async function renewals(): Promise<void> {
  await goTo(/^Förnyelser$/);
  const report = await api<{ rows: any[] }>(`/v1/reports/renewals?${await onScreen({ asOf: await asOf(), within: 90 }, ['school', 'product'])}`);
  expect(await page.locator('#renewals tbody tr').count()).toBe(report.rows.length);
  expect(await kpi('saving')).toBe(sv.money(report.rows.reduce((s, r) => s + (r.projectedSaving ?? 0), 0)));
  if (report.rows.length) {
    const best = [...report.rows].sort((a, b) => (b.projectedSaving ?? -1) - (a.projectedSaving ?? -1))[0];
    expect(await page.locator('#renewals tbody tr').first().locator('th .cell-sub').innerText()).toBe(best.licence);
  }
  await shot('05-fornyelser');
}

/** Förnyelser shows over-used licences with the seats and SEK missing, apart from the saving */
export async function overUsed(): Promise<void> {
  await goTo(/^Förnyelser$/);
  await page.locator('select[id$="-within"]').selectOption('365');
  const report = await api<{ rows: any[]; totals: { missingCost: number; overused: number } }>(`/v1/reports/renewals?${await onScreen({ asOf: await asOf(), within: 365 }, ['school', 'product'])}`);
  const over = report.rows.filter((r) => r.overused);
  // The demo buys too few seats of at least one product: a renewal that needs money, not one that saves it.
  expect(over.length).toBeGreaterThan(0);
  await poll(() => page.locator('#renewals tbody tr').count()).toBe(report.rows.length);
  expect(await kpi('needed')).toBe(sv.money(report.totals.missingCost));
  // Seats missing counts the headroom too: a licence used up to its seats needs more, without being over-used.
  expect(report.totals.missingCost).toBeCloseTo(report.rows.reduce((s, r) => s + (r.missingCost ?? 0), 0), 2);
  const r = over[0];
  const row = page.locator('#renewals tbody tr', { has: page.locator('th .cell-sub', { hasText: r.licence }) });
  const cells = await row.locator('td').allInnerTexts();
  expect(cells.join(' | ')).toContain('Överanvänd');
  expect(cells.some((c) => c.includes(sv.money(r.missingCost)))).toBe(true);
  expect(r.seatsMissing).toBe(r.recommendedSeats - r.seats);
  expect(r.projectedSaving).toBe(0);
  await shot('05b-fornyelser-overanvand');
}

/** Att besluta is reached from Översikt and lists every decision with its SEK, largest first, as the API; cut per förvaltning */
export async function actionList(): Promise<void> {
  await goTo(/^Översikt$/);
  await page.getByTestId('actions-link').getByRole('link').click();
  await page.waitForURL(/\/actions/);
  await settled();
  expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Att besluta');
  const day = await asOf();
  const before = new Date(Date.parse(`${day}T00:00:00Z`) + 90 * 86_400_000).toISOString().slice(0, 10);
  const q = await onScreen({ asOf: day, before }, ['school', 'product']);
  const report = await api<{ rows: any[]; totals: { saving: number; cost: number } }>(`/v1/reports/actions?${q}`);
  // The demo has licences to reduce or renew and seats to move between its schools.
  expect(report.rows.some((r) => r.action === 'move')).toBe(true);
  expect(await page.locator('#actions tbody tr').count()).toBe(report.rows.length);
  expect(await kpi('actionsSaving')).toBe(sv.money(report.totals.saving));
  expect(await kpi('actionsCost')).toBe(sv.money(report.totals.cost));
  const first = await page.locator('#actions tbody tr').first().innerText();
  expect(first).toContain(sv.money(report.rows[0].sek));
  expect(first).toContain(report.rows[0].explanation);
  await shot('05c-att-besluta');
  const forv = 'Grundskoleförvaltningen';
  await page.getByLabel('Förvaltning').selectOption(forv);
  await page.waitForURL(/forvaltning=/);
  await settled();
  const cut = await api<{ rows: any[] }>(`/v1/reports/actions?${q}&forvaltning=${encodeURIComponent(forv)}`);
  expect(cut.rows.length).toBeLessThan(report.rows.length);
  await poll(() => page.locator('#actions tbody tr').count()).toBe(cut.rows.length);
  await page.getByLabel('Förvaltning').selectOption('');
  await settled();
}

/** Licenser and Förnyelser show the seat moves with what each saves against buying, as the API */
export async function seatMoves(): Promise<void> {
  await goTo(/^Licenser$/);
  const moves = await api<{ rows: any[]; totals: { saving: number } }>(`/v1/reports/seat-moves?${await onScreen({ asOf: await asOf() }, ['school', 'product'])}`);
  expect(moves.rows.length).toBeGreaterThan(0);
  await poll(() => page.locator('#seat-moves tbody tr').count()).toBe(moves.rows.length);
  const top = moves.rows[0];
  const first = await page.locator('#seat-moves tbody tr').first().innerText();
  expect(first).toContain(top.fromSchoolName);
  expect(first).toContain(sv.money(top.saving));
  expect(await page.locator('main').innerText()).toContain(sv.money(moves.totals.saving));
  await page.locator('#seat-moves').scrollIntoViewIfNeeded();
  await shot('03c-licenser-flytta-platser');
  await goTo(/^Förnyelser$/);
  await poll(() => page.locator('#seat-moves tbody tr').count()).toBe(moves.rows.length);
}
