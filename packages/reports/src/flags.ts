import { addDays } from '@licenskoll/core';
import { getLicences } from '@licenskoll/licensing';
import type { Storage } from '@licenskoll/storage';
import { activityByWeek, classUse, unitSpread, type ClassUse } from './flag-data.ts';
import { flagRows, schoolWeeksOf, type FlagRow } from './flag-rules.ts';
import type { FlagSettings } from './flag-settings.ts';
import { licenceRows, productNames } from './licence-figures.ts';
import { licenceWeeks, mondayOf } from './licence-weeks.ts';
import { trailingWindow } from './params.ts';
import { licenceReachIds } from './reach.ts';
import { memoOnStore } from './store-memo.ts';
import { loadTargets } from './targets.ts';

export * from './flag-rules.ts';
export * from './flag-settings.ts';

/**
 * `/v1/reports/flags` (docs/figures.md, figures 20–25): the low-value flags of the licences
 * live on `asOf`. The figures come from the blocks every report uses (licence-figures.ts,
 * licence-weeks.ts, flag-data.ts); the rules are pure (flag-rules.ts).
 *
 * A scoped caller (a principal, or a `school` filter) gets the flags of the licences within
 * their units only (reach `full`: their own purchases, whose figures are all their units'); a
 * licence shared with other schools is the decision of whoever bought the whole of it, as in
 * renewals. The peers of figure 24 and the school weeks of figure 23 are the organiser's.
 */
export interface FlagsParams {
  asOf: string;
  settings: FlagSettings;
  /** Only flags of these products (empty = all); the peers of figure 24 are always every product. */
  products: string[];
  units?: Set<string>;
  /** Only these kinds (empty = all). */
  kinds?: string[];
}

/** The 26 complete weeks (Monday to Sunday) ending on or before `asOf`: a week still running is not judged. */
export function lookbackWeeks(asOf: string): { from: string; to: string } {
  const monday = mondayOf(asOf);
  const lastMonday = asOf === addDays(monday, 6) ? monday : addDays(monday, -7);
  return { from: addDays(lastMonday, -25 * 7), to: addDays(lastMonday, 6) };
}

export async function flagsReport(storage: Storage, p: FlagsParams): Promise<FlagRow[]> {
  // Every flag of the organiser, then the caller's part: a filter or a scope only picks rows
  // (the peers of figure 24 and the school weeks of figure 23 are the whole organiser's).
  const [rows, reach] = await Promise.all([
    memoOnStore(storage, `flags|${p.asOf}|${JSON.stringify(p.settings)}`, () => allFlags(storage, p.asOf, p.settings)),
    p.units ? getLicences(storage).then((all) => licenceReachIds(storage, p.units!, all)) : Promise.resolve(null),
  ]);
  return rows.filter((r) => (!reach || reach.get(r.licenceId)?.reach === 'full') && (!p.products.length || p.products.includes(r.productId)) && (!p.kinds?.length || p.kinds.includes(r.flag)));
}

async function allFlags(storage: Storage, asOf: string, s: FlagSettings): Promise<FlagRow[]> {
  const [all, names, targets] = await Promise.all([getLicences(storage), productNames(storage), loadTargets(storage)]);
  const liveIds = all.filter((l) => l.start <= asOf && l.end >= asOf).map((l) => l.id);
  if (!liveIds.length) return [];
  const live = all.filter((l) => liveIds.includes(l.id));
  const earliest = live.reduce((a, l) => (l.start < a ? l.start : a), asOf);
  const recentWindow = trailingWindow(asOf, s.days);
  const weeksWindow = lookbackWeeks(asOf);
  const spreadLicences = live.filter((l) => l.scope.type !== 'group');
  const subjectIds = liveIds.filter((id) => (targets.byLicence.get(id)?.subjects.length ?? 0) > 0);

  const [period, recent, spread, classes, activity, weekly] = await Promise.all([
    licenceRows(storage, { window: { from: earliest, to: asOf }, asOf, products: [], licences: liveIds }, undefined, names),
    licenceRows(storage, { window: recentWindow, asOf, products: [], licences: liveIds }, undefined, names),
    unitSpread(storage, recentWindow, spreadLicences, asOf, targets.byLicence),
    subjectIds.length > 1 ? classUse(storage, recentWindow, subjectIds) : Promise.resolve(new Map<string, ClassUse[]>()),
    activityByWeek(storage, weeksWindow),
    licenceWeeks(storage, liveIds, weeksWindow),
  ]);
  return flagRows({
    asOf, settings: s, period, recent, productTargets: targets.byProduct, spread, classes,
    weeks: schoolWeeksOf(activity, s.schoolWeekShare),
    weekly: new Map(weekly.map((w) => [w.licence, new Map(w.weeks.map((x) => [x.week, x.licensedActive]))])),
  });
}
