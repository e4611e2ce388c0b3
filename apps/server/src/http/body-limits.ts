/**
 * Request body limits, each with the setting that raises it: a 413 names the setting, and the
 * README's table of limits lists them (issue 19: they were documented nowhere). Read once at
 * start from the environment, as the ingest settings are (ingest/src/options.ts).
 */
export interface BodyLimit {
  bytes: number;
  /** The environment setting, in MB, that sets `bytes`. */
  setting: string;
}

const MB = 1024 ** 2;

function limitFromEnv(env: NodeJS.ProcessEnv, setting: string, fallbackMb: number): BodyLimit {
  const raw = env[setting];
  if (raw === undefined || raw === '') return { bytes: fallbackMb * MB, setting };
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0 || v > 4096) throw new Error(`${setting}: "${raw}" must be a positive number of MB up to 4096`);
  return { bytes: Math.round(v * MB), setting };
}

export interface BodyLimits {
  /** `POST /v1/events` and `/v1/caliper`: a batch is built in memory. */
  events: BodyLimit;
  /** `/v1/import/*`: roster and licence files, read as they stream. */
  imports: BodyLimit;
  /** Every other `/v1` and `/bol` request. */
  other: BodyLimit;
}

export function bodyLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): BodyLimits {
  return {
    events: limitFromEnv(env, 'LICENSKOLL_EVENTS_BODY_MB', 16),
    imports: limitFromEnv(env, 'LICENSKOLL_IMPORT_BODY_MB', 256),
    other: limitFromEnv(env, 'LICENSKOLL_BODY_MB', 4),
  };
}

/** The limits of this process. */
export const BODY_LIMITS = bodyLimitsFromEnv();
