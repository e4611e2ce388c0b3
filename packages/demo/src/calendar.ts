import { addDays, daysBetween } from '@licenskoll/core';

/**
 * The Swedish school year the demo lives in. Licences follow the budget year
 * (1 August – 31 July); teaching runs from mid-August to mid-June with the usual breaks.
 */
export interface SchoolYear {
  /** 1 August: first day of the school (and licence) year. */
  start: string;
  /** 31 July of the following calendar year. */
  end: string;
  /** First day of teaching, a Monday in mid-August. */
  termStart: string;
  /** Last day of teaching, a Friday in mid-June. */
  termEnd: string;
}

/** `term` = teaching day, `lov` = school break, `red` = public holiday, `summer` = summer break. */
export type DayKind = 'term' | 'lov' | 'red' | 'summer';

/** Monday = 0 … Sunday = 6. */
export function weekdayOf(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** Monday of ISO week `week` of `year`. */
export function isoWeekMonday(year: number, week: number): string {
  const jan4 = `${year}-01-04`;
  const week1Monday = addDays(jan4, -weekdayOf(jan4));
  return addDays(week1Monday, (week - 1) * 7);
}

/** Gregorian Easter Sunday (anonymous algorithm). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The school year that contains `today`: it starts on the 1 August on or before it. */
export function schoolYearOf(today: string): SchoolYear {
  const y = Number(today.slice(0, 4));
  const startYear = Number(today.slice(5, 7)) >= 8 ? y : y - 1;
  const aug16 = `${startYear}-08-16`;
  const june13 = `${startYear + 1}-06-13`;
  return {
    start: `${startYear}-08-01`,
    end: `${startYear + 1}-07-31`,
    termStart: addDays(aug16, (7 - weekdayOf(aug16)) % 7),
    termEnd: addDays(june13, -((weekdayOf(june13) - 4 + 7) % 7)),
  };
}

/**
 * The school year the demo shows: the current one once it has two weeks of teaching behind
 * it, otherwise the one that just ended, so that a demo started in August is not empty.
 */
export function dataYearOf(today: string): SchoolYear {
  const current = schoolYearOf(today);
  return today >= addDays(current.termStart, 14) ? current : schoolYearOf(addDays(current.start, -1));
}

/** First day with events: the school year's start, but never more than a year before `today`. */
export function dataFrom(sy: SchoolYear, today: string): string {
  const yearAgo = addDays(today, -364);
  return sy.start > yearAgo ? sy.start : yearAgo;
}

/** Every break and public holiday of the school year, by date. */
export function breaksOf(sy: SchoolYear): Map<string, DayKind> {
  const y0 = Number(sy.start.slice(0, 4));
  const y1 = y0 + 1;
  const out = new Map<string, DayKind>();
  const span = (from: string, days: number, kind: DayKind) => {
    for (let i = 0; i < days; i++) out.set(addDays(from, i), kind);
  };
  span(isoWeekMonday(y0, 44), 5, 'lov'); // höstlov
  span(`${y0}-12-21`, daysBetween(`${y0}-12-21`, `${y1}-01-07`) + 1, 'lov'); // jullov
  span(isoWeekMonday(y1, 9), 5, 'lov'); // sportlov
  const easter = easterSunday(y1);
  span(addDays(easter, 1), 5, 'lov'); // påsklov: the week after Easter
  out.set(addDays(easter, -2), 'red'); // långfredagen
  out.set(addDays(easter, 1), 'red'); // annandag påsk
  out.set(`${y1}-05-01`, 'red');
  out.set(addDays(easter, 39), 'red'); // Kristi himmelsfärd
  out.set(addDays(easter, 40), 'lov'); // the "klämdag" after it
  out.set(`${y1}-06-06`, 'red');
  return out;
}

export function dayKindOf(date: string, sy: SchoolYear, breaks: Map<string, DayKind>): DayKind {
  if (date < sy.termStart || date > sy.termEnd) return 'summer';
  return breaks.get(date) ?? 'term';
}

/** The zone's UTC offset around noon of a local day, e.g. `+01:00`; events fall 06–23 local, clear of DST switches. */
export function offsetFormatter(timeZone: string): (date: string) => string {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  const minutesAt = (ms: number): number => {
    const name = f.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
    if (!m) return 0;
    return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  };
  return (date: string) => {
    const noonUtc = Date.parse(`${date}T12:00:00Z`);
    const min = minutesAt(noonUtc - minutesAt(noonUtc) * 60_000);
    const abs = Math.abs(min);
    return `${min < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  };
}
