import { daysBetween, type Target } from '@licenskoll/core';
import type { LicenceRow } from './licence-figures.ts';
import { money } from './money.ts';
import type { FlagSettings } from './flag-settings.ts';
import type { ClassUse, UnitSpread } from './flag-data.ts';
import { flagWords } from './flag-words.ts';

/**
 * The low-value flags (docs/figures.md, figures 20–25) as pure rules over figures already
 * made: the licence rows of the report (licence-figures.ts) and the few extra numbers of
 * flag-data.ts. Each rule says what it found in `numbers`, in words in `reason`/`reasonEn`
 * (flag-words.ts), and what is at stake in `sek`.
 */

export const FLAG_KINDS = ['never-used', 'low-utilisation', 'concentrated', 'falling', 'expensive', 'overlap'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

export type FlagNumber = number | string | null | string[];

/**
 * One flag on one licence. This shape is a contract: the action list (issue 14, point 6)
 * consumes these rows, so fields are only ever added, never renamed or removed.
 */
export interface FlagRow {
  flag: FlagKind;
  licenceId: string;
  productId: string;
  productName: string;
  buyer: string;
  /** The school units the flag is about, when it is about some (concentrated: the top two; overlap: the shared classes' units). */
  schoolIds?: string[];
  /** Plain Swedish: what was found and why it matters. */
  reason: string;
  reasonEn: string;
  /** The figures behind the flag, by name (docs/figures.md names each flag's). */
  numbers: Record<string, FlagNumber>;
  /** The money at stake, rounded to öre (each flag's definition says what it is). */
  sek: number;
  currency: string;
  /** The dashboard page with the rows that raised it (the licence, or its class usage). */
  link: string;
  /** Overlap: the other licence and product of the pair. */
  otherLicenceId?: string;
  otherProductId?: string;
}

/** What the rules read. `period` rows are over each licence's days up to `asOf`, `recent` over the trailing window. */
export interface FlagInput {
  asOf: string;
  settings: FlagSettings;
  /** Licence rows over start..asOf (one window from the earliest start: a licence's claims lie in its own period). */
  period: LicenceRow[];
  /** The same licences over the trailing `days` days ending on `asOf`. */
  recent: LicenceRow[];
  /** Each product's own target (the peers of figure 24). */
  productTargets: Map<string, Target>;
  spread: Map<string, UnitSpread>;
  classes: Map<string, ClassUse[]>;
  weeks: SchoolWeeks;
  /** Licence -> Monday -> persons attributed to it that week (weekly licensed active users, figure 6). */
  weekly: Map<string, Map<string, number>>;
}

export interface SchoolWeeks {
  /** The complete weeks looked at, oldest first, with the persons who used anything. */
  all: { week: string; n: number }[];
  median: number;
  /** The last eight school weeks, oldest first; fewer when the lookback held fewer. */
  school: string[];
}

const live = (r: LicenceRow, asOf: string) => r.start <= asOf && r.end >= asOf;
const pastGrace = (r: LicenceRow, asOf: string, grace: number) => daysBetween(r.start, asOf) >= grace;
const attributed = (r: LicenceRow) => r.licensedActive + (r.outsideTarget ?? 0);

export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The school weeks (figure 23): of the complete weeks, those with at least `share` × the median week (of weeks with any use). */
export function schoolWeeksOf(all: { week: string; n: number }[], share: number): SchoolWeeks {
  const med = median(all.filter((w) => w.n > 0).map((w) => w.n)) ?? 0;
  const school = all.filter((w) => w.n > 0 && w.n >= share * med).map((w) => w.week);
  return { all, median: med, school: school.slice(-8) };
}

const peerKey = (t: Target | undefined) =>
  t && (t.schoolTypes.length || t.years.length) ? `${[...t.schoolTypes].sort().join(',')}|${[...t.years].sort((a, b) => a - b).join(',')}` : null;

const meets = (a: readonly (string | number)[], b: readonly (string | number)[]) => !a.length || !b.length || a.some((x) => b.includes(x));
const subjectsOf = (t: Target | null) => [...new Set((t?.subjects ?? []).map((s) => s.trim().toLocaleLowerCase('sv')).filter(Boolean))];

/** Every flag of the input, by kind, then money at stake, then licence. */
export function flagRows(x: FlagInput): FlagRow[] {
  const s = x.settings;
  const out: FlagRow[] = [];
  const recentBy = new Map(x.recent.map((r) => [r.licence, r]));
  const rows = x.period.filter((r) => live(r, x.asOf));
  const row = (r: LicenceRow, flag: FlagKind, numbers: Record<string, FlagNumber>, sek: number, more: Partial<FlagRow> = {}): FlagRow => {
    const words = flagWords(flag, numbers);
    return {
      flag, licenceId: r.licence, productId: r.product, productName: r.productName, buyer: r.buyer, ...(more.schoolIds ? { schoolIds: more.schoolIds } : {}),
      reason: words.sv, reasonEn: words.en, numbers, sek: Math.max(0, money(sek)), currency: r.currency,
      link: more.link ?? `/licences?q=${encodeURIComponent(r.licence)}&product=${encodeURIComponent(r.product)}`,
      ...(more.otherLicenceId ? { otherLicenceId: more.otherLicenceId, otherProductId: more.otherProductId } : {}),
    };
  };

  for (const r of rows) {
    const sinceStart = daysBetween(r.start, x.asOf);
    // Figure 17: never used since it started, once the grace period is over.
    if (pastGrace(r, x.asOf, s.graceDays) && attributed(r) === 0) {
      out.push(row(r, 'never-used', { daysSinceStart: sinceStart, graceDays: s.graceDays, seats: r.seats, licensedActive: 0 }, r.cost));
      continue;
    }
    // Figure 18: low utilisation over the trailing window (a limited licence, past the grace period).
    const rec = recentBy.get(r.licence);
    if (rec && pastGrace(r, x.asOf, s.graceDays) && rec.utilisation !== null && rec.utilisation < s.lowUtilisation) {
      const base = rec.targetSize === null ? rec.seats : Math.min(rec.seats ?? 0, rec.targetSize);
      out.push(row(r, 'low-utilisation', {
        licensedActive: rec.licensedActive, seats: rec.seats, targetSize: rec.targetSize, base, utilisation: rec.utilisation,
        threshold: s.lowUtilisation, unusedSeats: rec.unusedSeats, days: s.days,
      }, rec.unusedCost ?? 0));
    }
  }

  // Figure 19: concentrated at one or two schools.
  for (const r of rows) {
    const sp = x.spread.get(r.licence);
    if (r.scope.type === 'group' || !sp || sp.covered < s.concentratedMinSchools || sp.persons < s.minActive) continue;
    const share = sp.topPersons / sp.persons;
    if (share < s.concentratedShare) continue;
    const top = sp.byUnit.slice(0, 2).map((u) => u.unit);
    out.push(row(r, 'concentrated', {
      schools: sp.covered, schoolsWithUse: sp.byUnit.length, licensedActive: sp.persons, topSchools: top, topPersons: sp.topPersons,
      topShare: share, threshold: s.concentratedShare, audience: sp.audience, audienceAtTop: sp.audienceAtTop, days: s.days,
    }, sp.audience > 0 ? r.cost * (1 - sp.audienceAtTop / sp.audience) : 0, { schoolIds: top }));
  }

  // Figure 20: falling over the last four school weeks against the four before.
  if (x.weeks.school.length === 8) {
    const before = x.weeks.school.slice(0, 4);
    const last = x.weeks.school.slice(4);
    const skipped = x.weeks.all.filter((w) => w.week > before[0] && w.week < last[3] && !x.weeks.school.includes(w.week)).map((w) => w.week);
    for (const r of rows) {
      if (r.start > before[0]) continue;
      const by = x.weekly.get(r.licence);
      const mean = (ws: string[]) => ws.reduce((a, w) => a + (by?.get(w) ?? 0), 0) / ws.length;
      const b = mean(before);
      const l = mean(last);
      if (b < s.minActive || l > (1 - s.fallingDrop) * b) continue;
      out.push(row(r, 'falling', {
        before: b, last: l, change: l / b - 1, drop: s.fallingDrop, weeksBefore: before, weeksLast: last, holidayWeeks: skipped,
      }, r.cost * (1 - l / b)));
    }
  }

  // Figure 21: expensive per active user against the median of products for the same school form and years.
  const byProduct = new Map<string, { cost: number; active: number }>();
  for (const r of rows) {
    const p = byProduct.get(r.product) ?? { cost: 0, active: 0 };
    p.cost += r.cost;
    p.active += r.licensedActive;
    byProduct.set(r.product, p);
  }
  const groups = new Map<string, string[]>();
  for (const [product, p] of byProduct) {
    const k = peerKey(x.productTargets.get(product));
    if (k && p.active > 0) groups.set(k, [...(groups.get(k) ?? []), product]);
  }
  for (const r of rows) {
    const k = peerKey(x.productTargets.get(r.product));
    const peers = k ? groups.get(k) ?? [] : [];
    if (peers.length < 3 || r.licensedActive === 0 || !pastGrace(r, x.asOf, s.graceDays)) continue;
    const med = median(peers.map((p) => byProduct.get(p)!.cost / byProduct.get(p)!.active))!;
    const cpa = r.cost / r.licensedActive;
    if (cpa < s.expensiveFactor * med) continue;
    out.push(row(r, 'expensive', {
      costPerActiveUser: money(cpa), median: money(med), factor: s.expensiveFactor, ratio: cpa / med, peers: peers.length,
      peerProducts: [...peers].sort(), licensedActive: r.licensedActive,
    }, r.cost - med * r.licensedActive));
  }

  // Figure 22: two licensed products for the same subject and years used in the same classes.
  const cands = x.recent.filter((r) => live(r, x.asOf) && subjectsOf(r.target).length);
  for (let i = 0; i < cands.length; i++) {
    for (let j = i + 1; j < cands.length; j++) {
      const a = cands[i];
      const b = cands[j];
      if (a.product === b.product || !a.target || !b.target) continue;
      const subjects = subjectsOf(a.target).filter((t) => subjectsOf(b.target).includes(t));
      if (!subjects.length || !meets(a.target.years, b.target.years) || !meets(a.target.schoolTypes, b.target.schoolTypes)) continue;
      const used = (r: LicenceRow) => new Map((x.classes.get(r.licence) ?? []).filter((c) => c.pupils >= s.minActive).map((c) => [c.group, c]));
      const ua = used(a);
      const ub = used(b);
      const shared = [...ua.keys()].filter((g) => ub.has(g)).sort();
      if (!shared.length) continue;
      const pa = shared.reduce((n, g) => n + ua.get(g)!.pupils, 0);
      const pb = shared.reduce((n, g) => n + ub.get(g)!.pupils, 0);
      // The licence with fewer pupils in the shared classes is the one to question.
      const [f, o, pf, po] = pa < pb || (pa === pb && (a.cost < b.cost || (a.cost === b.cost && a.licence < b.licence))) ? [a, b, pa, pb] : [b, a, pb, pa];
      const units = [...new Set(shared.map((g) => ua.get(g)!.unit))].sort();
      const base = x.period.find((p) => p.licence === f.licence) ?? f;
      out.push(row(base, 'overlap', {
        subjects, classes: shared.length, groups: shared, pupils: pf, otherPupils: po, otherLicence: o.licence, otherProduct: o.productName,
        licensedActive: f.licensedActive, days: s.days,
      }, f.licensedActive > 0 ? base.cost * Math.min(1, pf / f.licensedActive) : 0, {
        schoolIds: units, otherLicenceId: o.licence, otherProductId: o.product,
        link: `/classes?product=${encodeURIComponent(f.product)}${units.length === 1 ? `&school=${encodeURIComponent(units[0])}` : ''}`,
      }));
    }
  }

  const order = new Map(FLAG_KINDS.map((k, i) => [k, i]));
  return out.sort((p, q) => order.get(p.flag)! - order.get(q.flag)! || q.sek - p.sek || p.licenceId.localeCompare(q.licenceId));
}
