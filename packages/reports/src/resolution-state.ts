/**
 * A build of the resolution cache a query may read (resolution.ts): its id, the time from
 * which usage rows are not in it, and whether the window has such rows (they are then
 * resolved at query time and added).
 */
export interface Resolution {
  build: string;
  since: string;
  live: boolean;
  /** First days of the first and last half-year the build holds. */
  hmin: string;
  hmax: string;
  /** The half-years of the window the build holds (all of them, with use or not). */
  halves: string[];
}

/** Query parameters of the cached block variants. */
export const resolutionParams = (res: Resolution | null | undefined): Record<string, string | string[]> =>
  res ? { build: res.build, since: res.since, halves: res.halves } : {};
