import { addDays, ApiError } from '@licenskoll/core';
import { queryRows, type Storage } from '@licenskoll/storage';
import { getLicences, listFollowups } from '@licenskoll/licensing';
import {
  asOfDay, scopeFor, licenceReach, licenceWeeks, licenceWeeksWithin, licencesOf, mondayOf, productNames, reachUnits, renewalTotals, renewalsReport,
  unusedReport, money, type LicenceWeeks, type RenewalRow, type ScopedRenewalRow, type ScopedUnusedRow,
  type UnusedRow,
} from '@licenskoll/reports';
import type { Caller } from '../context.ts';
import { checkKnownFilters } from '../routes/known-filters.ts';

/**
 * The figures of a renewal pack, from the same functions as the reports the API answers
 * (/v1/reports/renewals, /v1/reports/unused, /v1/followups) with the same parameters and the
 * same limits of the caller's role: a principal's pack holds what their reports hold. A pack
 * holds counts and money, never a person: no pupil or staff identifier is in any section.
 */
export interface RenewalPackQuery {
  /** One buyer (as the licences name it); absent: every buyer the caller can see. */
  buyer?: string;
  /** Licences ending within this many days of `asOf` (90). */
  within?: number;
  /** The day the figures are as of (today in the organiser's zone). */
  asOf?: string;
  /** Headroom of the recommended seats (0.1). */
  headroom?: number;
  /** Window of the unused section, in days ending on `asOf` (30). */
  days?: number;
  /** Underused below this utilisation (0.5). */
  threshold?: number;
  product?: string[];
  school?: string[];
}

/** Weeks of the chart of each licence, ending with the week of `asOf`. */
export const CHART_WEEKS = 26;

export type PackRenewal = RenewalRow | ScopedRenewalRow;
export type PackUnused = UnusedRow | ScopedUnusedRow;

export interface PackFollowup {
  licence: string;
  productName: string;
  buyer: string;
  end: string;
  status: string;
  note: string;
  /** Who wrote it (a staff member's name and role). */
  by: string;
  at: string;
}

export interface PackWeeks extends LicenceWeeks {
  productName: string;
}

export interface PackFigures {
  params: { asOf: string; within: number; horizonEnd: string; headroom: number; days: number; threshold: number; buyer: string | null; product: string[] | null; school?: string[] };
  /** The organiser's name (the register's huvudman), for the title page. */
  organiser: string | null;
  /** Buyers with a row in any section. */
  buyers: string[];
  renewals: PackRenewal[];
  unused: PackUnused[];
  followups: PackFollowup[];
  weekly: PackWeeks[];
  totals: { projectedSaving: number; missingCost: number; unusedCost: number; renewals: number; unused: number; openFollowups: number };
}

const SEES_PACKS = new Set<Caller['role']>(['admin', 'purchaser', 'principal']);

/** The buyers the caller may ask a pack of: those of every licence they can see. */
export async function visibleBuyers(storage: Storage, caller: Caller, school: string[] = []): Promise<string[]> {
  const scope = await scopeFor(storage, caller, { school });
  const all = await getLicences(storage);
  const reach = scope.units ? await licenceReach(storage, scope.units, all) : null;
  return [...new Set(all.filter((l) => !reach || reach.has(l.id)).map((l) => l.buyer))].sort((a, b) => a.localeCompare(b, 'sv'));
}

async function organiserName(storage: Storage): Promise<string | null> {
  const rows = await queryRows<{ name: string }>(storage.read, "SELECT name FROM organisations FINAL WHERE type = 'Huvudman' ORDER BY name LIMIT 1");
  return rows[0]?.name ?? null;
}

/** The pack's figures for the caller; 403 for a role without reports of money, 400 for a buyer they cannot see. */
export async function renewalPackFigures(storage: Storage, caller: Caller, q: RenewalPackQuery, opts: { timeZone: string; today?: string }): Promise<PackFigures> {
  if (!SEES_PACKS.has(caller.role)) {
    throw new ApiError(403, 'forbidden', `the ${caller.role} role may not read renewal packs: they are about licences and money, for purchasers and principals`);
  }
  await checkKnownFilters(storage, { product: q.product });
  const scope = await scopeFor(storage, caller, { school: q.school });
  const today = asOfDay({}, opts);
  const asOf = asOfDay({ asOf: q.asOf }, opts);
  const within = q.within ?? 90;
  const headroom = q.headroom ?? 0.1;
  const days = q.days ?? 30;
  const threshold = q.threshold ?? 0.5;
  const products = q.product ?? [];
  const buyer = q.buyer ?? null;
  if (buyer !== null && !(await visibleBuyers(storage, caller, q.school)).includes(buyer)) {
    throw new ApiError(400, 'bad_request', `invalid parameters: buyer: ${JSON.stringify(buyer).slice(0, 80)} is not the buyer of any licence you can see`, [{ field: 'buyer', reason: 'not the buyer of any licence you can see' }]);
  }
  const units = scope.units;
  const scoped = units ? { units, today } : undefined;
  const [renewalRows, unusedRows] = await Promise.all([
    renewalsReport(storage, { asOf, within, headroom, products }, scoped),
    unusedReport(storage, { asOf, days, threshold, products }, scoped),
  ]);
  const mine = <T extends { buyer: string }>(rows: T[]) => (buyer === null ? rows : rows.filter((r) => r.buyer === buyer));
  const renewals = mine<PackRenewal>(renewalRows);
  const unused = mine<PackUnused>(unusedRows);

  // Follow-ups as /v1/followups gives them: a principal's of their school's own licences only.
  const all = await getLicences(storage);
  const names = await productNames(storage);
  let followable: Set<string> | null = null;
  if (caller.role === 'principal') followable = (await licencesOf(storage, await reachUnits(storage, caller.schools))).own;
  if (units) {
    const reach = await licenceReach(storage, units, all);
    followable = new Set([...(followable ?? reach.keys())].filter((id) => reach.has(id)));
  }
  const licences = all.filter((l) => (followable === null || followable.has(l.id)) && (buyer === null || l.buyer === buyer));
  const byId = new Map(licences.map((l) => [l.id, l]));
  const history = licences.length ? await listFollowups(storage, undefined, licences.map((l) => l.id)) : [];
  const latest = new Map<string, (typeof history)[number]>();
  for (const f of history) if (!latest.has(f.licence)) latest.set(f.licence, f);
  const followups: PackFollowup[] = [...latest.values()]
    .filter((f) => f.status === 'open')
    .map((f) => {
      const l = byId.get(f.licence)!;
      return { licence: f.licence, productName: names.name(names.resolve(l.product)), buyer: l.buyer, end: l.end, status: f.status, note: f.note, by: f.by, at: f.at };
    })
    .sort((a, b) => a.end.localeCompare(b.end) || a.licence.localeCompare(b.licence));

  // The chart of each licence in the first two sections: the whole licence's persons, or for a
  // licence that only touches a principal's units, their own pupils (as its other figures).
  const charted = new Map<string, string>();
  for (const r of [...renewals, ...unused]) charted.set(r.licence, r.productName);
  const window = { from: mondayOf(addDays(asOf, -7 * (CHART_WEEKS - 1))), to: asOf };
  const partial = new Set([...renewals, ...unused].filter((r) => 'reach' in r && r.reach === 'partial').map((r) => r.licence));
  const ids = [...charted.keys()];
  const [whole, own] = await Promise.all([
    licenceWeeks(storage, ids.filter((id) => !partial.has(id)), window, products),
    units ? licenceWeeksWithin(storage, units, ids.filter((id) => partial.has(id)), window, products) : Promise.resolve([]),
  ]);
  const weeks = new Map([...whole, ...own].map((w) => [w.licence, w]));
  const weekly = ids.map((id) => ({ ...weeks.get(id)!, productName: charted.get(id)! }));

  const rt = renewalTotals(renewals);
  return {
    params: { asOf, within, horizonEnd: addDays(asOf, within), headroom, days, threshold, buyer, product: q.product ?? null, ...(units ? { school: scope.schools } : {}) },
    organiser: await organiserName(storage),
    buyers: [...new Set([...renewals, ...unused, ...followups].map((r) => r.buyer))].sort((a, b) => a.localeCompare(b, 'sv')),
    renewals,
    unused,
    followups,
    weekly,
    totals: {
      projectedSaving: rt.projectedSaving,
      missingCost: rt.missingCost,
      unusedCost: money(unused.reduce((a, r) => a + (r.unusedCost ?? 0), 0)),
      renewals: renewals.length,
      unused: unused.length,
      openFollowups: followups.length,
    },
  };
}
