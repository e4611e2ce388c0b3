import { addDays, daysBetween } from '@licenskoll/core';
import { queryRows, type Storage } from '@licenskoll/storage';
import { personsPerPeriod, type PeriodCount } from './licence-periods.ts';
import { withShared } from './sql.ts';
import type { Window } from './params.ts';

/** One licence's licensed active users per week (figure 6, weekly): Monday of the week -> persons. */
export interface LicenceWeeks {
  licence: string;
  weeks: { week: string; licensedActive: number }[];
}

/** The Monday on or before a day (1970-01-05 was a Monday). */
export function mondayOf(day: string): string {
  const n = daysBetween('1970-01-05', day);
  return addDays(day, -(((n % 7) + 7) % 7));
}

/** Mondays of the weeks that overlap the window, oldest first. */
export function mondaysOf(w: Window): string[] {
  const out: string[] = [];
  for (let m = mondayOf(w.from); m <= w.to; m = addDays(m, 7)) out.push(m);
  return out;
}

/** Every licence gets every week of the window, a week without use as 0. */
function filled(licences: string[], mondays: string[], counts: PeriodCount[]): LicenceWeeks[] {
  const by = new Map(counts.map((r) => [`${r.licence}\u0000${r.start}`, r.n]));
  return licences.map((licence) => ({ licence, weeks: mondays.map((week) => ({ week, licensedActive: by.get(`${licence}\u0000${week}`) ?? 0 })) }));
}

/**
 * Weekly licensed active users (figure 6): per licence and week, the persons attributed to the
 * licence on at least one day of the week that lies in the window. A week cut by the window's
 * start or end counts only its days inside it.
 */
export async function licenceWeeks(storage: Storage, licences: string[], w: Window, products: string[] = []): Promise<LicenceWeeks[]> {
  if (!licences.length) return [];
  const mondays = mondaysOf(w);
  const rows = await personsPerPeriod(storage, w, licences, mondays, 'addDays(p, 6)', products);
  return filled(licences, mondays, rows);
}

/**
 * The weekly counts for a scoped caller's licences that only touch their units (docs/privacy.md):
 * the persons attributed to the licence on a day on which they belonged to one of the units.
 */
export async function licenceWeeksWithin(storage: Storage, units: Set<string>, licences: string[], w: Window, products: string[] = []): Promise<LicenceWeeks[]> {
  if (!licences.length) return [];
  const mondays = mondaysOf(w);
  const rows = units.size
    ? (await queryRows<{ licence: string; week: string; n: number }>(
        storage.read,
        `${withShared()}SELECT a.licence AS licence, toString(toMonday(a.day)) AS week, uniqExact(a.person_key) AS n
         FROM attributed AS a INNER JOIN affil AS f ON f.person_key = a.person_key
         WHERE a.day >= f.start AND a.day <= f.end AND has({units:Array(String)}, f.unit) AND has({licences:Array(String)}, a.licence)
         GROUP BY licence, week`,
        { from: w.from, to: w.to, products, units: [...units], licences },
        ['n'],
      )).map((r) => ({ licence: r.licence, start: r.week, n: r.n }))
    : [];
  return filled(licences, mondays, rows);
}
