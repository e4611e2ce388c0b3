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

/**
 * Period-based reports default to the school year so far: what a purchaser asks about
 * ("this year's licences"), and stable from one day to the next.
 */
export function defaultWindow(p: { from?: string; to?: string; asOf?: string }, opts: ReportContextOptions): Window {
  const to = p.to ?? p.asOf ?? opts.today ?? todayInZone(opts.timeZone);
  const from = p.from ?? schoolYearStart(to);
  return { from, to };
}

export function asOfDay(p: { asOf?: string }, opts: ReportContextOptions): string {
  return p.asOf ?? opts.today ?? todayInZone(opts.timeZone);
}

export function trailingWindow(asOf: string, days: number): Window {
  return { from: addDays(asOf, -(days - 1)), to: asOf };
}
