import { addDays, todayInZone } from '@licenskoll/core';

/** The caller's reach: empty arrays mean everything (admin, purchaser). */
export interface Reach {
  schools: string[];
  groups: string[];
}

export interface ReportContextOptions {
  timeZone: string;
  /** "Today" in the organiser's zone; tests pin it. */
  today?: string;
}

/** Start of the school year (1 August) that contains `date`. */
export function schoolYearStart(date: string): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return `${m >= 8 ? y : y - 1}-08-01`;
}

export interface Window {
  from: string;
  to: string;
}

/** The first day a window can start on: "from the beginning of the data". */
export const EARLIEST = '1970-01-01';

/**
 * Without `from`, a period report covers everything up to `to` (default today): a licence's
 * figures are then over its whole period so far, which is what "how many used it" means when
 * no period is named. The dashboard always names one (the school year by default).
 */
export function defaultWindow(p: { from?: string; to?: string; asOf?: string }, opts: ReportContextOptions): Window {
  const to = p.to ?? p.asOf ?? opts.today ?? todayInZone(opts.timeZone);
  const from = p.from ?? EARLIEST;
  return { from, to };
}

/** `WITH FILL` bounds for a weekly series: from the window's start only when one was named. */
export function weekFill(w: Window): string {
  return `${w.from > EARLIEST ? 'FROM toMonday({from:Date}) ' : ''}TO toMonday({to:Date}) + 1 STEP toIntervalWeek(1)`;
}

export function asOfDay(p: { asOf?: string }, opts: ReportContextOptions): string {
  return p.asOf ?? opts.today ?? todayInZone(opts.timeZone);
}

export function trailingWindow(asOf: string, days: number): Window {
  return { from: addDays(asOf, -(days - 1)), to: asOf };
}

/**
 * A scoped caller's part of the organiser (a principal, or a school filter): the school units
 * the figures are limited to, and the organiser's today, the day a shared licence's cost share
 * is counted on (cost-share.ts). A report given one answers as reach.ts describes.
 */
export interface Within {
  units: Set<string>;
  today: string;
}
