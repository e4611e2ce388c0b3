import { queryRows, type Storage } from '@licenskoll/storage';
import { span } from './masks.ts';
import { resolutionFor } from './resolution.ts';
import { resolutionParams } from './resolution-state.ts';
import { sqlFor } from './sql.ts';
import type { Window } from './params.ts';

/** One licence's count in one period, the period named by its first day. */
export interface PeriodCount {
  licence: string;
  start: string;
  n: number;
}

/**
 * Per licence and period (weeks for figure 6's weekly counts, calendar months for figure 9's
 * renewal peak): the persons attributed to the licence (figure 6) on at least one of the
 * period's days that lie in the window. `last` is the SQL of a period's last day from its first (`p`).
 */
export async function personsPerPeriod(storage: Storage, w: Window, licences: string[], starts: string[], last: string, products: string[]): Promise<PeriodCount[]> {
  const res = await resolutionFor(storage, w);
  return queryRows<PeriodCount>(
    storage.read,
    sqlFor(res)(`SELECT licence, toString(p) AS start, uniqExact(pk) AS n
     FROM claims ARRAY JOIN {starts:Array(Date)} AS p
     WHERE has({licences:Array(String)}, licence) AND bitAnd(claim, ${span('half', 'p', last)}) != 0
     GROUP BY licence, start`),
    { from: w.from, to: w.to, products, licences, starts, ...resolutionParams(res) },
    ['n'],
  );
}
