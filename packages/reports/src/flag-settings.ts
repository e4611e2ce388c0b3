/**
 * The thresholds of the low-value flags (docs/figures.md, figures 20–25): defaults here, each
 * overridable for the whole service by an environment variable (`LICENSKOLL_FLAG_*`, read
 * once at start like the rate limits) and for one request by the query parameter of the same
 * name (apps/server/src/routes/flags.ts validates it with zod, with the same bounds).
 */
export interface FlagSettings {
  /** Days from a licence's start before it may be flagged as never used or low (the grace period). */
  graceDays: number;
  /** The trailing window, in days ending on `asOf`, of low utilisation, concentration and overlap. */
  days: number;
  /** Low utilisation: below this share of min(seats, target size). */
  lowUtilisation: number;
  /** Concentrated: at least this share of the licensed active users at the top two schools. */
  concentratedShare: number;
  /** Concentrated: only licences covering at least this many school units with anyone in them. */
  concentratedMinSchools: number;
  /** Concentrated, falling, overlap: the fewest users a flag is raised on (fewer is noise). */
  minActive: number;
  /** Falling: the mean of the last four school weeks at most (1 - this) × the four before. */
  fallingDrop: number;
  /** A school week: organiser-wide active persons at least this share of the median week. */
  schoolWeekShare: number;
  /** Expensive: cost per active user at least this many times the median of the peer products. */
  expensiveFactor: number;
}

export const DEFAULT_FLAG_SETTINGS: FlagSettings = {
  graceDays: 30,
  days: 30,
  lowUtilisation: 0.5,
  concentratedShare: 0.8,
  concentratedMinSchools: 3,
  minActive: 5,
  fallingDrop: 0.5,
  schoolWeekShare: 0.5,
  expensiveFactor: 2,
};

/** Bounds of each setting: `int` ones are whole numbers. Shared by the environment and the query. */
export const FLAG_SETTING_BOUNDS: Record<keyof FlagSettings, { min: number; max: number; int: boolean }> = {
  graceDays: { min: 0, max: 365, int: true },
  days: { min: 7, max: 366, int: true },
  lowUtilisation: { min: 0, max: 1, int: false },
  concentratedShare: { min: 0.5, max: 1, int: false },
  concentratedMinSchools: { min: 2, max: 1000, int: true },
  minActive: { min: 1, max: 100_000, int: true },
  fallingDrop: { min: 0.05, max: 1, int: false },
  schoolWeekShare: { min: 0, max: 1, int: false },
  expensiveFactor: { min: 1, max: 100, int: false },
};

/** `graceDays` -> `LICENSKOLL_FLAG_GRACE_DAYS`. */
export const flagEnvName = (k: keyof FlagSettings) => `LICENSKOLL_FLAG_${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/** The settings from the environment; a value out of bounds stops the start with its name and bounds. */
export function flagSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): FlagSettings {
  const out = { ...DEFAULT_FLAG_SETTINGS };
  for (const k of Object.keys(FLAG_SETTING_BOUNDS) as (keyof FlagSettings)[]) {
    const name = flagEnvName(k);
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const b = FLAG_SETTING_BOUNDS[k];
    const n = Number(raw);
    if (!Number.isFinite(n) || n < b.min || n > b.max || (b.int && !Number.isInteger(n))) {
      throw new Error(`${name}: "${raw}" must be ${b.int ? 'a whole number' : 'a number'} from ${b.min} to ${b.max}`);
    }
    out[k] = n;
  }
  return out;
}
