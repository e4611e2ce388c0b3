import type { Storage } from '@licenskoll/storage';
import { getLicences } from '@licenskoll/licensing';
import { callOffWindow, type AgreementTerms, type CallOffCounts } from './agreement-report.ts';
import { licenceRows } from './licence-figures.ts';
import type { Window } from './params.ts';

/**
 * One organiser's call-offs (avrop) of a framework agreement, counted in its own storage
 * (figure 27): its live licences naming the agreement, their seats, their licensed active
 * persons over the agreement's period up to `asOf` (figure 6, as the licence report counts
 * them) and their unused seats (figure 7). Counts only: no licence, unit or person leaves here.
 */
export async function callOffCounts(storage: Storage, a: Pick<AgreementTerms, 'id' | 'start' | 'end'>, asOf: string): Promise<CallOffCounts & { window: Window | null }> {
  const window = callOffWindow(a, asOf);
  const callOffs = (await getLicences(storage)).filter((l) => l.agreement === a.id);
  if (!callOffs.length) return { callOffs: 0, seats: 0, used: 0, unusedSeats: 0, window };
  // Before the period starts nothing can be used: every seat called off is unused.
  const rows = window
    ? await licenceRows(storage, { window, asOf, products: [], licences: callOffs.map((l) => l.id) })
    : callOffs.map((l) => ({ seats: l.seats, licensedActive: 0, unusedSeats: l.seats }));
  const limited = rows.every((r) => r.seats !== null);
  return {
    callOffs: rows.length,
    seats: limited ? rows.reduce((n, r) => n + (r.seats ?? 0), 0) : null,
    used: rows.reduce((n, r) => n + r.licensedActive, 0),
    unusedSeats: limited ? rows.reduce((n, r) => n + (r.unusedSeats ?? 0), 0) : null,
    window,
  };
}
