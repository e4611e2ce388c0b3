import { ApiError } from '@licenskoll/core';
import type { AppContext } from './context.ts';

/**
 * How large a request body may be, per kind of route, each with the setting that raises it
 * (README, "Limits"). An ingest batch is built in memory, so it stays a few MB; roster and
 * licence files may be larger; everything else is small JSON. A refusal (413) names the
 * setting, so whoever sends a larger body knows what to raise or to split.
 */
export interface BodyLimit {
  bytes: number;
  /** The environment setting that sets it, in MB. */
  setting: string;
}

export interface RequestLimits {
  /** `POST /v1/events` and `POST /v1/caliper`. */
  events: BodyLimit;
  /** `POST /v1/import/*`. */
  imports: BodyLimit;
  /** Every other request (`/v1/*`, `/bol/*`). */
  other: BodyLimit;
}

const MB = 1024 ** 2;

export const BODY_SETTINGS = {
  events: { setting: 'LICENSKOLL_EVENTS_BODY_MB', mb: 16 },
  imports: { setting: 'LICENSKOLL_IMPORT_BODY_MB', mb: 256 },
  other: { setting: 'LICENSKOLL_BODY_MB', mb: 4 },
} as const;

function megabytes(env: NodeJS.ProcessEnv, setting: string, fallback: number): number {
  const raw = env[setting];
  if (raw === undefined || raw === '') return fallback * MB;
  const v = Number(raw);
  // Fractions are allowed (a test refuses a small body in a moment); 4 GB is beyond what one process holds.
  if (!Number.isFinite(v) || v <= 0 || v > 4096) throw new Error(`${setting}: "${raw}" must be a number of MB above 0 and at most 4096`);
  return Math.round(v * MB);
}

export function requestLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): RequestLimits {
  const limit = (k: keyof typeof BODY_SETTINGS): BodyLimit => ({ bytes: megabytes(env, BODY_SETTINGS[k].setting, BODY_SETTINGS[k].mb), setting: BODY_SETTINGS[k].setting });
  return { events: limit('events'), imports: limit('imports'), other: limit('other') };
}

const cached = new WeakMap<AppContext, RequestLimits>();

/** The limits of one running service, read from the environment once (a bad value stops the start). */
export function requestLimits(ctx: AppContext): RequestLimits {
  let l = cached.get(ctx);
  if (!l) cached.set(ctx, (l = requestLimitsFromEnv()));
  return l;
}

const shownMb = (bytes: number) => {
  const mb = bytes / MB;
  return mb >= 1 ? `${Math.round(mb * 10) / 10} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
};

/** 413 naming the limit and the setting that raises it. */
export const tooLargeError = (limit: BodyLimit) => new ApiError(
  413, 'too_large', `request body is larger than ${shownMb(limit.bytes)}: split it, or raise ${limit.setting}`,
  [{ field: '(body)', reason: `larger than ${limit.bytes} bytes (${limit.setting})` }],
);
