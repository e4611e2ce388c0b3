import { queryRows, type Storage } from '@licenskoll/storage';
import { money } from './money.ts';
import { withBlocks } from './sql.ts';

/**
 * The one rule for what a shared licence costs a scoped caller (docs/figures.md, "Audience
 * share"): a licence that reaches beyond the caller's school units (organisation-wide, or
 * bought for several schools) costs them the part of its price in proportion to the persons
 * of its audience in its scope who belong to their units, counted on one day per licence:
 * its last day, or today while it runs (its first day before it starts). The day depends on
 * the licence alone, so every report of the same day gives the same share whatever its
 * window. Every money figure of such a licence is the share of the whole licence's figure.
 *
 * Kept in this one module so that a change to who a licence's audience is (figure 5) has one
 * place to change here too.
 */
export const COST_SHARE_RULE = 'audience-share';

export interface CostShare {
  /** The caller's part of every money figure of the licence: 1 for a licence within their units. */
  share: number;
  /** Persons of the licence's audience in its scope who belong to the caller's units on `day`. */
  yours: number | null;
  /** Persons of the licence's audience in its scope on `day`. */
  whole: number | null;
  day: string | null;
}

export const FULL_SHARE: CostShare = { share: 1, yours: null, whole: null, day: null };

/** The day a licence's share is counted on. */
export function shareDay(l: { start: string; end: string }, today: string): string {
  if (today > l.end) return l.end;
  if (today < l.start) return l.start;
  return today;
}

/** A money figure of the whole licence as the caller's share of it. */
export const shareOf = (amount: number, s: CostShare): number => money(amount * s.share);
export const shareOfOrNull = (amount: number | null, s: CostShare): number | null => (amount === null ? null : shareOf(amount, s));

/**
 * The audience share of each licence for the persons belonging to `units` (figure 5 on one
 * day: in the licence's audience and, that day, in its scope). A licence nobody is in the
 * audience of on its day has share 0: nothing can be attributed to the caller.
 */
/**
 * Two blocks of a WITH: `share_days` (each licence of `{ids}` with its day of `{days}`) and
 * `name`, the persons in each licence's scope and audience on that day, each as its
 * `person_scopes` column `person` (the key, or `pk`, the key as UInt128). The one count of "who a licence covers on its day" that cost shares and target
 * sizes both divide by.
 */
export function licenceDayAudience(name: string, person: 'person_key' | 'pk'): [string, string] {
  return [
    `share_days AS (SELECT licence, day FROM (SELECT {ids:Array(String)} AS ids, {days:Array(Date)} AS ds) ARRAY JOIN ids AS licence, ds AS day)`,
    `${name} AS (
         SELECT DISTINCT d.licence AS licence, s.${person} AS ${person}, d.day AS day
         FROM share_days AS d
         INNER JOIN lic_scope AS ls ON ls.licence = d.licence
         INNER JOIN person_scopes AS s ON s.k = ls.k AND s.ref = ls.ref
         WHERE s.start <= d.day AND s.end >= d.day
           AND (ls.audience = 'all'
             OR (ls.audience = 'students' AND s.person_key IN (SELECT person_key FROM pupils))
             OR (ls.audience = 'staff' AND s.person_key IN (SELECT person_key FROM staff))))`,
  ];
}

export async function audienceShares(
  storage: Storage, units: Set<string>, licences: { id: string; start: string; end: string }[], today: string,
): Promise<Map<string, CostShare>> {
  const out = new Map<string, CostShare>();
  if (!licences.length) return out;
  const days = licences.map((l) => [l.id, shareDay(l, today)] as [string, string]);
  const rows = await queryRows<{ licence: string; whole: number; yours: number }>(
    storage.read,
    withBlocks(
      `SELECT e.licence AS licence, uniqExact(e.person_key) AS whole, uniqExactIf(e.person_key, o.person_key != '') AS yours
       FROM audience_on_day AS e
       LEFT JOIN (
         SELECT DISTINCT e.licence AS licence, e.person_key AS person_key
         FROM audience_on_day AS e INNER JOIN affil AS f ON f.person_key = e.person_key
         WHERE f.start <= e.day AND f.end >= e.day AND has({units:Array(String)}, f.unit)) AS o
         ON o.licence = e.licence AND o.person_key = e.person_key
       GROUP BY licence`,
      ...licenceDayAudience('audience_on_day', 'person_key'),
    ),
    { ids: days.map((d) => d[0]), days: days.map((d) => d[1]), units: [...units] },
    ['whole', 'yours'],
  );
  const found = new Map(rows.map((r) => [r.licence, r]));
  for (const [id, day] of days) {
    const r = found.get(id);
    const whole = r?.whole ?? 0;
    const yours = r?.yours ?? 0;
    out.set(id, { share: whole > 0 ? yours / whole : 0, yours, whole, day });
  }
  return out;
}
