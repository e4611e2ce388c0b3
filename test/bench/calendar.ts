/**
 * The benchmark's school year, 1 August 2025 to 31 July 2026, as the organiser's calendar
 * days: teaching days carry the load, breaks and summer are nearly silent, as in real logs.
 */

export const YEAR = { from: '2025-08-01', to: '2026-07-31' } as const;
/** The month the month-long reports ask about: a busy teaching month. */
export const MONTH = { from: '2026-03-01', to: '2026-03-31' } as const;
export const TIME_ZONE = 'Europe/Stockholm';

const TERMS: [string, string][] = [['2025-08-18', '2025-12-19'], ['2026-01-08', '2026-06-12']];
const BREAKS: [string, string][] = [['2025-10-27', '2025-10-31'], ['2026-02-23', '2026-02-27'], ['2026-04-06', '2026-04-10']];
const RED_DAYS = new Set(['2026-01-06', '2026-04-03', '2026-05-01', '2026-05-14', '2026-06-19']);

export interface Day {
  date: string;
  /** Monday = 0 ... Sunday = 6. */
  weekday: number;
  /** Activity relative to a teaching day. */
  factor: number;
  /** Minutes east of UTC at midday in the organiser's zone (CET 60, CEST 120). */
  offsetMinutes: number;
  /** `+01:00` or `+02:00`. */
  offset: string;
  /** UTC milliseconds of 00:00 on this date as if it were UTC. */
  utcMidnight: number;
}

function offsetMinutesAt(utcMs: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(utcMs))
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute);
  return Math.round((local - utcMs) / 60_000);
}

const inRanges = (date: string, ranges: [string, string][]) => ranges.some(([a, b]) => date >= a && date <= b);

export function schoolYearDays(): Day[] {
  const out: Day[] = [];
  for (let t = Date.parse(`${YEAR.from}T00:00:00Z`); t <= Date.parse(`${YEAR.to}T00:00:00Z`); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const weekday = (new Date(t).getUTCDay() + 6) % 7;
    // Midday, never near a DST switch (02:00-03:00 local): every event of the benchmark is 06:00-22:00.
    const offsetMinutes = offsetMinutesAt(t + 12 * 3600_000, TIME_ZONE);
    const term = inRanges(date, TERMS) && !inRanges(date, BREAKS) && !RED_DAYS.has(date);
    const factor = term ? 1 : inRanges(date, BREAKS) || RED_DAYS.has(date) ? 0.05 : 0.012;
    const h = String(Math.floor(offsetMinutes / 60)).padStart(2, '0');
    out.push({ date, weekday, factor, offsetMinutes, offset: `+${h}:00`, utcMidnight: t });
  }
  return out;
}

export const dayIndex = (date: string) => Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${YEAR.from}T00:00:00Z`)) / 86_400_000);
export const dateOf = (index: number) => new Date(Date.parse(`${YEAR.from}T00:00:00Z`) + index * 86_400_000).toISOString().slice(0, 10);
