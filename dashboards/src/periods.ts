/**
 * Period presets of the Swedish school calendar. A school year (läsår) runs 1 August to
 * 31 July; the autumn term (HT) August–December and the spring term (VT) January–June.
 * Every period is a pair of calendar days, both included, as the API takes them.
 *
 * Keys are what the URL carries: `sy-2025` (läsår 2025/26), `ht-2025`, `vt-2026`,
 * `2026-03` (a month). A custom period is carried as `from`/`to` instead (see filters.ts).
 */
export type PeriodKind = 'schoolYear' | 'term' | 'month';

export interface Period {
  key: string;
  kind: PeriodKind;
  /** First day, `YYYY-MM-DD`. */
  from: string;
  /** Last day, included. */
  to: string;
  /** For school years and terms: the calendar year it starts in; for months the year. */
  year: number;
  term?: 'HT' | 'VT';
  /** `YYYY-MM` for months. */
  month?: string;
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written `YYYY-MM-DD`. */
export function isDay(s: string | null | undefined): s is string {
  if (!s) return false;
  const m = DAY_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

const pad = (n: number) => String(n).padStart(2, '0');
function lastDayOfMonth(year: number, month1: number): number {
  return new Date(Date.UTC(year, month1, 0)).getUTCDate();
}

/** The calendar year in which the school year containing `day` began. */
export function schoolYearOf(day: string): number {
  const y = +day.slice(0, 4);
  const m = +day.slice(5, 7);
  return m >= 8 ? y : y - 1;
}

export function schoolYear(year: number): Period {
  return { key: `sy-${year}`, kind: 'schoolYear', from: `${year}-08-01`, to: `${year + 1}-07-31`, year };
}

export function term(term: 'HT' | 'VT', year: number): Period {
  return term === 'HT'
    ? { key: `ht-${year}`, kind: 'term', term, from: `${year}-08-01`, to: `${year}-12-31`, year }
    : { key: `vt-${year}`, kind: 'term', term, from: `${year}-01-01`, to: `${year}-06-30`, year };
}

export function month(yyyyMm: string): Period {
  const y = +yyyyMm.slice(0, 4);
  const m = +yyyyMm.slice(5, 7);
  return { key: yyyyMm, kind: 'month', month: yyyyMm, from: `${yyyyMm}-01`, to: `${yyyyMm}-${pad(lastDayOfMonth(y, m))}`, year: y };
}

/** Parses a preset key; null when it is not one. */
export function periodFromKey(key: string | null | undefined): Period | null {
  if (!key) return null;
  let m = /^sy-(\d{4})$/.exec(key);
  if (m) return schoolYear(+m[1]);
  m = /^(ht|vt)-(\d{4})$/.exec(key);
  if (m) return term(m[1] === 'ht' ? 'HT' : 'VT', +m[2]);
  m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m && +m[2] >= 1 && +m[2] <= 12) return month(key);
  return null;
}

/** The term that contains `day` (summer, July, belongs to no term: the last VT is returned). */
export function termOf(day: string): Period {
  const y = +day.slice(0, 4);
  const m = +day.slice(5, 7);
  return m >= 8 ? term('HT', y) : term('VT', y);
}

export function defaultPeriodKey(today: string): string {
  return schoolYear(schoolYearOf(today)).key;
}

export interface PresetGroups {
  schoolYears: Period[];
  terms: Period[];
  months: Period[];
}

/**
 * What the period picker offers on `today`: this and the two previous school years, the
 * terms of this and last school year that have begun, and the last 13 months, newest first.
 */
export function presets(today: string): PresetGroups {
  const sy = schoolYearOf(today);
  const schoolYears = [sy, sy - 1, sy - 2].map(schoolYear);
  const terms = [term('VT', sy + 1), term('HT', sy), term('VT', sy), term('HT', sy - 1)].filter((p) => p.from <= today);
  const months: Period[] = [];
  let y = +today.slice(0, 4);
  let m = +today.slice(5, 7);
  for (let i = 0; i < 13; i++) {
    months.push(month(`${y}-${pad(m)}`));
    m -= 1;
    if (m === 0) { m = 12; y -= 1; }
  }
  return { schoolYears, terms, months };
}

/**
 * The days actually asked for: a period that has begun but not ended stops at today, so
 * "läsår 2026/27" in November means August 1 to today, and as-of reports (unused,
 * renewals) are computed as of today rather than as of next July.
 */
export function clampToToday(from: string, to: string, today: string): { from: string; to: string } {
  if (from <= today && today < to) return { from, to: today };
  return { from, to };
}

/** Adds days to a calendar day. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
