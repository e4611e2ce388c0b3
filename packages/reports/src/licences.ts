import type { Storage } from '@licenskoll/storage';
import { listFollowups } from '@licenskoll/licensing';
import { licenceRows, type LicenceRow } from './licence-figures.ts';
import { money } from './money.ts';
import { withPublisherFigures, type PublisherSays } from './publisher.ts';
import { trailingWindow, type Window, type Within } from './params.ts';
import { buyersWithin, licencesWithin, unusedWithin, type ScopedLicenceRow, type ScopedUnusedRow } from './reach.ts';

export interface LicencesParams {
  window: Window;
  asOf: string;
  products: string[];
}

/**
 * `/v1/reports/licences`: every licence whose period overlaps the window, with figure 7 and,
 * where a publisher reported its own count (BOL), that figure beside ours. `within` limits it
 * to a scoped caller's units (reach.ts).
 */
export function licencesReport(storage: Storage, p: LicencesParams): Promise<(LicenceRow & { publisher: PublisherSays | null })[]>;
export function licencesReport(storage: Storage, p: LicencesParams, within: Within | undefined): Promise<(LicenceRow & { publisher: PublisherSays | null })[] | ScopedLicenceRow[]>;
export async function licencesReport(storage: Storage, p: LicencesParams, within?: Within) {
  if (within) return licencesWithin(storage, within.units, p, within.today);
  const rows = await licenceRows(storage, { window: p.window, asOf: p.asOf, products: p.products });
  const live = rows
    .filter((r) => r.start <= p.window.to && r.end >= p.window.from)
    .sort((a, b) => a.end.localeCompare(b.end) || a.licence.localeCompare(b.licence));
  return withPublisherFigures(storage, live);
}

export interface UnusedParams {
  asOf: string;
  days: number;
  threshold: number;
  products: string[];
}

export type UnusedRow = LicenceRow & { status: 'unused' | 'underused' };

/**
 * `/v1/reports/unused` (figure 8): licences live on `asOf` with no licensed active user in
 * the trailing window, or (limited licences) utilisation below the threshold. `within` limits
 * it to a scoped caller's units (reach.ts).
 */
export function unusedReport(storage: Storage, p: UnusedParams): Promise<UnusedRow[]>;
export function unusedReport(storage: Storage, p: UnusedParams, within: Within | undefined): Promise<UnusedRow[] | ScopedUnusedRow[]>;
export async function unusedReport(storage: Storage, p: UnusedParams, within?: Within) {
  if (within) return unusedWithin(storage, within.units, p, within.today);
  const window = trailingWindow(p.asOf, p.days);
  const rows = await licenceRows(storage, { window, asOf: p.asOf, products: p.products });
  const out: UnusedRow[] = [];
  for (const r of rows) {
    if (!(r.start <= p.asOf && r.end >= p.asOf)) continue;
    if (r.licensedActive === 0) out.push({ ...r, status: 'unused' });
    else if (r.utilisation !== null && r.utilisation < p.threshold) out.push({ ...r, status: 'underused' });
  }
  return out.sort((a, b) => (b.unusedCost ?? b.price) - (a.unusedCost ?? a.price) || a.licence.localeCompare(b.licence));
}

export interface BuyerRow {
  buyer: string;
  licences: number;
  cost: number;
  unusedCost: number;
  worstUtilisation: number | null;
  openFollowups: number;
  currency: string;
}

/**
 * Figure 10 over the given licence rows. `openFollowups` counts the buyer's licences whose
 * latest follow-up status is `open` (`followups` newest first).
 */
export function buyersOf(rows: LicenceRow[], followups: { licence: string; status: string }[]): BuyerRow[] {
  const latest = new Map<string, string>();
  for (const f of followups) if (!latest.has(f.licence)) latest.set(f.licence, f.status);
  const byBuyer = new Map<string, LicenceRow[]>();
  for (const r of rows) byBuyer.set(r.buyer, [...(byBuyer.get(r.buyer) ?? []), r]);
  return [...byBuyer.entries()]
    .map(([buyer, ls]) => {
      const utils = ls.map((l) => l.utilisation).filter((u): u is number => u !== null);
      return {
        buyer,
        licences: ls.length,
        cost: money(ls.reduce((a, l) => a + l.price, 0)),
        unusedCost: money(ls.reduce((a, l) => a + (l.unusedCost ?? 0), 0)),
        worstUtilisation: utils.length ? Math.min(...utils) : null,
        openFollowups: ls.filter((l) => latest.get(l.licence) === 'open').length,
        currency: ls[0].currency,
      };
    })
    .sort((a, b) => b.unusedCost - a.unusedCost || a.buyer.localeCompare(b.buyer));
}

/** `/v1/reports/buyers`: every buyer of the licences live in the window; `within`, of those within a scoped caller's units. */
export async function buyersReport(storage: Storage, p: LicencesParams, within?: Within): Promise<BuyerRow[]> {
  if (within) return buyersWithin(storage, within.units, p);
  const [rows, followups] = await Promise.all([licencesReport(storage, p), listFollowups(storage)]);
  return buyersOf(rows, followups);
}
