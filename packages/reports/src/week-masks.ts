import type { Window } from './params.ts';

/**
 * The weeks of a window as day masks of each half-year it touches (masks.ts), made here and
 * passed as query parameters: per person and half-year the weekly series then costs one
 * 256-bit AND per week. Made in SQL per row, or joined as a table (whose arrays are copied into
 * every row), they cost more (docs/benchmarks.md, "Measurements behind the code", "Week masks").
 */
export interface WeekMasks {
  /** First day of each half-year. */
  halves: string[];
  /** Per half-year: the Monday of each week that overlaps it and the window. */
  mondays: string[][];
  /** Per half-year: each such week's days within the half-year and the window, as a mask. */
  masks: bigint[][];
}

const DAY = 86_400_000;
const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const halfOf = (d: string) => `${d.slice(0, 4)}-${Number(d.slice(5, 7)) < 7 ? '01' : '07'}-01`;
const nextHalf = (h: string) => (h.slice(5, 7) === '01' ? `${h.slice(0, 4)}-07-01` : `${Number(h.slice(0, 4)) + 1}-01-01`);

export function weekMasks(w: Window, firstUse?: string): WeekMasks {
  const out: WeekMasks = { halves: [], mondays: [], masks: [] };
  // A window without a start reaches back to 1970; weeks before any use have no one in them.
  const from = firstUse && firstUse > w.from ? firstUse : w.from;
  for (let h = halfOf(from); h <= w.to; h = nextHalf(h)) {
    const start = ms(h);
    const end = ms(nextHalf(h)) - DAY;
    const lo = Math.max(start, ms(from));
    const hi = Math.min(end, ms(w.to));
    if (lo > hi) continue;
    const mondays: string[] = [];
    const masks: bigint[] = [];
    // 1970-01-05 was a Monday.
    for (let mon = lo - ((((lo - ms('1970-01-05')) / DAY) % 7) + 7) % 7 * DAY; mon <= hi; mon += 7 * DAY) {
      const a = (Math.max(mon, lo) - start) / DAY;
      const b = (Math.min(mon + 6 * DAY, hi) - start) / DAY;
      mondays.push(iso(mon));
      masks.push(((1n << BigInt(b - a + 1)) - 1n) << BigInt(a));
    }
    out.halves.push(h);
    out.mondays.push(mondays);
    out.masks.push(masks);
  }
  return out;
}
