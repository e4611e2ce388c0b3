import { addDays, daysBetween, maxDate, minDate, monthStart } from '@licenskoll/core';
import type { Storage } from '@licenskoll/storage';
import { getLicences } from '@licenskoll/licensing';
import { productNames } from './licence-figures.ts';
import { ceilWithHeadroom, money } from './money.ts';
import { personsPerPeriod } from './licence-periods.ts';
import type { Within } from './params.ts';
import { renewalsWithin, type ScopedRenewalRow } from './reach.ts';

export interface RenewalsParams {
  asOf: string;
  within: number;
  headroom: number;
  products: string[];
}

export interface RenewalRow {
  licence: string;
  product: string;
  productName: string;
  buyer: string;
  end: string;
  daysToExpiry: number;
  seats: number | null;
  peak: number;
  recommendedSeats: number;
  projectedSaving: number | null;
  price: number;
  currency: string;
  /** Peak above the seats bought: more persons used it than it was bought for. */
  overused: boolean;
  /** max(0, recommended seats - seats): what renewing at the recommendation adds (null: unlimited). */
  seatsMissing: number | null;
  /** The missing seats at the licence's own seat price (price / seats): money needed, beside the saving. */
  missingCost: number | null;
  /** What the licence costs the caller: its price, or a scoped caller's share of it. */
  cost: number;
}

export interface RenewalTotals {
  /** Sum of the projected savings. */
  projectedSaving: number;
  /** Sum of the missing seats' cost. */
  missingCost: number;
  overused: number;
}

/** The renewal answer's totals: money saved and money needed are never netted against each other. */
export function renewalTotals(rows: { projectedSaving: number | null; missingCost: number | null; overused: boolean | null }[]): RenewalTotals {
  return {
    projectedSaving: money(rows.reduce((a, r) => a + (r.projectedSaving ?? 0), 0)),
    missingCost: money(rows.reduce((a, r) => a + (r.missingCost ?? 0), 0)),
    overused: rows.filter((r) => r.overused).length,
  };
}

/** Figure 9's money for a licence of `seats` seats at `price`, renewed at `recommended` seats. */
export function renewalMoney(seats: number | null, price: number, peak: number, recommended: number) {
  if (seats === null) return { projectedSaving: null, overused: false, seatsMissing: null, missingCost: null };
  const seatsMissing = Math.max(0, recommended - seats);
  return {
    projectedSaving: seats > 0 ? money((Math.max(0, seats - recommended) * price) / seats) : 0,
    overused: peak > seats,
    seatsMissing,
    // A licence of no seats has no seat price: what more seats cost is not known.
    missingCost: seats > 0 ? money((seatsMissing * price) / seats) : null,
  };
}

/**
 * The months whose licensed active counts make a licence's peak (figure 9): the last three
 * full calendar months before `asOf` that overlap the licence period; a licence younger than
 * that window is measured over its own period so far.
 */
export function peakMonths(asOf: string, start: string, end: string): { from: string; to: string }[] {
  const fullEnd = addDays(monthStart(asOf), -1);
  const months: { from: string; to: string }[] = [];
  for (let back = 3; back >= 1; back--) {
    const m = monthStart(asOf, back);
    const mEnd = addDays(monthStart(asOf, back - 1), -1);
    if (m <= end && mEnd >= start) months.push({ from: maxDate(m, start), to: minDate(mEnd, end) });
  }
  if (months.length === 0 && start > fullEnd) months.push({ from: start, to: minDate(asOf, end) });
  return months;
}

/** `/v1/reports/renewals`: licences ending within the horizon, their peak and what to renew; `within` limits it to a scoped caller's units (reach.ts). */
export function renewalsReport(storage: Storage, p: RenewalsParams): Promise<RenewalRow[]>;
export function renewalsReport(storage: Storage, p: RenewalsParams, within: Within | undefined): Promise<RenewalRow[] | ScopedRenewalRow[]>;
export async function renewalsReport(storage: Storage, p: RenewalsParams, within?: Within): Promise<RenewalRow[] | ScopedRenewalRow[]> {
  if (within) return renewalsWithin(storage, within.units, p, within.today);
  const horizonEnd = addDays(p.asOf, p.within);
  const [all, names] = await Promise.all([getLicences(storage), productNames(storage)]);
  const ending = all
    .map((l) => ({ ...l, product: names.resolve(l.product) }))
    .filter((l) => l.end >= p.asOf && l.end <= horizonEnd)
    .filter((l) => p.products.length === 0 || p.products.includes(l.product));
  if (!ending.length) return [];
  const from = ending.reduce((m, l) => minDate(m, maxDate(l.start, monthStart(p.asOf, 3))), p.asOf);
  const months: string[] = [];
  for (let m = monthStart(from); m <= p.asOf; m = monthStart(addDays(m, 40))) months.push(m);
  // The claimed days of each licence in the window, split by calendar month.
  const monthly = await personsPerPeriod(storage, { from, to: p.asOf }, ending.map((l) => l.id), months, 'toLastDayOfMonth(p)', p.products);
  const counts = new Map(monthly.map((r) => [`${r.licence}\u0000${r.start}`, r.n]));
  return ending
    .map((l) => {
      const peak = Math.max(0, ...peakMonths(p.asOf, l.start, l.end).map((m) => counts.get(`${l.id}\u0000${m.from.slice(0, 7)}-01`) ?? 0));
      const recommendedSeats = ceilWithHeadroom(peak, p.headroom);
      const m = renewalMoney(l.seats, l.price, peak, recommendedSeats);
      return {
        licence: l.id,
        product: l.product,
        productName: names.name(l.product),
        buyer: l.buyer,
        end: l.end,
        daysToExpiry: daysBetween(p.asOf, l.end),
        seats: l.seats,
        peak,
        recommendedSeats,
        projectedSaving: m.projectedSaving,
        price: l.price,
        currency: l.currency,
        overused: m.overused,
        seatsMissing: m.seatsMissing,
        missingCost: m.missingCost,
        cost: l.price,
      };
    })
    .sort((a, b) => (b.projectedSaving ?? 0) - (a.projectedSaving ?? 0) || a.end.localeCompare(b.end) || a.licence.localeCompare(b.licence));
}
