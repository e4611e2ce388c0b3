import { Cron } from 'croner';
import { dayInZone, isoInZone } from '@licenskoll/core';
import type { Period } from './attachments.ts';

/**
 * A subscription's schedule: a cron expression read in the organiser's time zone (LICENSKOLL_TZ),
 * five fields (minute hour day month weekday) or six with seconds first, or @daily, @weekly,
 * @monthly... (croner). Each occurrence is one period: the mail of a period is sent once.
 */
const NICKNAME = /^@(yearly|annually|monthly|weekly|daily|hourly)$/;

export type ScheduleCheck = { ok: true; cron: Cron } | { ok: false; reason: string };

export function parseSchedule(expr: string, timeZone: string): ScheduleCheck {
  const text = expr.trim();
  const parts = text.split(/\s+/).length;
  if (!NICKNAME.test(text) && parts !== 5 && parts !== 6) {
    return { ok: false, reason: `must be a cron expression of 5 fields (minute hour day month weekday, e.g. "0 7 * * 1" for Mondays at 07:00) or 6 with seconds first (got ${parts} part${parts === 1 ? '' : 's'})` };
  }
  let cron: Cron;
  try {
    cron = new Cron(text, { timezone: timeZone, paused: true, mode: '5-or-6-parts' });
  } catch (e) {
    return { ok: false, reason: `is not a valid cron expression: ${(e as Error).message.replace(/^CronPattern: /, '')}` };
  }
  if (!cron.nextRun()) return { ok: false, reason: 'never falls due (no day matches it)' };
  return { ok: true, cron };
}

/** The period of an occurrence: its wall-clock time with offset in the organiser's zone, and its day. */
export function periodAt(at: Date, timeZone: string): Period {
  const iso = isoInZone(at, timeZone);
  return { key: `${iso.slice(0, 19)}${iso.slice(23)}`, asOf: dayInZone(at, timeZone), at };
}

/** The latest occurrence at or before `now` that is after `since`, if one is. */
export function latestDue(cron: Cron, since: Date, now: Date): Date | null {
  // previousRuns is strictly before its reference and works in whole seconds: the next second's start includes `now`'s.
  const [last] = cron.previousRuns(1, new Date(Math.floor(now.getTime() / 1000) * 1000 + 1000));
  return last && last.getTime() > since.getTime() ? last : null;
}

export const nextDue = (cron: Cron, after: Date): Date | null => cron.nextRun(after);
