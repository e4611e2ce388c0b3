/**
 * The filters every page shares, kept in the URL query so that a view can be shared and
 * bookmarked: `period` (a preset key, see periods.ts) or `from`+`to` (a custom period),
 * `school` (a school unit id) and `product` (a product id). Page-specific parameters
 * (`days`, `threshold`, `within`, `q`, `buyer`, …) live in the same query and are left
 * untouched when the shared filters change.
 */
import { clampToToday, defaultPeriodKey, isDay, periodFromKey } from './periods.ts';

export interface Filters {
  /** A preset key, or null for a custom period given by from/to. */
  period: string | null;
  from?: string;
  to?: string;
  school?: string;
  product?: string;
}

export interface ResolvedFilters {
  /** The preset key, or 'custom'. */
  periodKey: string;
  custom: boolean;
  /** The period's first day. */
  from: string;
  /** The period's last day, clamped to today while the period is running. */
  to: string;
  /** The day as-of reports (unused, renewals, licences) are computed for: the clamped `to`. */
  asOf: string;
  /** The unclamped period, as chosen. */
  periodFrom: string;
  periodTo: string;
  school?: string;
  product?: string;
}

const ID_MAX = 200;
const cleanId = (v: string | null): string | undefined => {
  const s = v?.trim();
  return s && s.length <= ID_MAX ? s : undefined;
};

/** Reads the shared filters from a query string; anything invalid falls back to the default period. */
export function readFilters(search: string | URLSearchParams, today: string): ResolvedFilters {
  const q = typeof search === 'string' ? new URLSearchParams(search) : search;
  const school = cleanId(q.get('school'));
  const product = cleanId(q.get('product'));
  const from = q.get('from');
  const to = q.get('to');
  if (!q.get('period') && isDay(from) && isDay(to) && from <= to) {
    const c = clampToToday(from, to, today);
    return { periodKey: 'custom', custom: true, from: c.from, to: c.to, asOf: c.to, periodFrom: from, periodTo: to, school, product };
  }
  const p = periodFromKey(q.get('period')) ?? periodFromKey(defaultPeriodKey(today))!;
  const c = clampToToday(p.from, p.to, today);
  return { periodKey: p.key, custom: false, from: c.from, to: c.to, asOf: c.to, periodFrom: p.from, periodTo: p.to, school, product };
}

/**
 * Writes a change of the shared filters into a copy of `search`, keeping every other
 * parameter. `undefined` leaves a filter as it is; an empty string or null removes it.
 */
export function writeFilters(search: string | URLSearchParams, patch: Partial<Filters>): URLSearchParams {
  const q = new URLSearchParams(typeof search === 'string' ? search : search.toString());
  if (patch.period !== undefined) {
    if (patch.period) {
      q.set('period', patch.period);
      q.delete('from');
      q.delete('to');
    } else {
      q.delete('period');
    }
  }
  if (patch.period === null || (patch.period === undefined && (patch.from || patch.to))) {
    q.delete('period');
    if (patch.from !== undefined) setOrDelete(q, 'from', patch.from);
    if (patch.to !== undefined) setOrDelete(q, 'to', patch.to);
  }
  if (patch.school !== undefined) setOrDelete(q, 'school', patch.school);
  if (patch.product !== undefined) setOrDelete(q, 'product', patch.product);
  return q;
}

function setOrDelete(q: URLSearchParams, key: string, value: string | null | undefined) {
  if (value) q.set(key, value);
  else q.delete(key);
}

/** The filters as the URL would carry them, from a resolved state (for round trips and links). */
export function filtersOf(r: ResolvedFilters): Filters {
  return r.custom
    ? { period: null, from: r.periodFrom, to: r.periodTo, school: r.school, product: r.product }
    : { period: r.periodKey, school: r.school, product: r.product };
}

/** A bounded number from the query (`days`, `within`, `threshold`), or the fallback. */
export function readNumber(search: string | URLSearchParams, key: string, fallback: number, min: number, max: number): number {
  const q = typeof search === 'string' ? new URLSearchParams(search) : search;
  const raw = q.get(key);
  if (raw === null || raw.trim() === '') return fallback;
  const n = Number(raw);
  return Number.isFinite(n) && n >= min && n <= max ? n : fallback;
}

/** Sets or removes one page parameter, keeping the rest. */
export function writeParam(search: string | URLSearchParams, key: string, value: string | number | null | undefined): URLSearchParams {
  const q = new URLSearchParams(typeof search === 'string' ? search : search.toString());
  if (value === null || value === undefined || value === '') q.delete(key);
  else q.set(key, String(value));
  return q;
}
