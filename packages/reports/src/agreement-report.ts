import { money } from './money.ts';
import type { Window } from './params.ts';
import { MIN_GROUP_SIZE } from './small-groups.ts';

/**
 * Figure 27 (docs/figures.md): a framework agreement (ramavtal) procured jointly by the region,
 * and per participating organiser what its call-offs (avrop: its licences naming the agreement)
 * hold and how much of that went unused. Pure: the counts come from each organiser's own
 * storage (call-offs.ts); here they are blanked by the small-group rule and summed.
 */
export interface AgreementTerms {
  id: string;
  name: string;
  /** The product id the organisers' call-offs name. */
  product: string;
  supplier: string;
  pricePerSeat: number;
  currency: string;
  start: string;
  end: string;
}

/** One organiser's call-offs of an agreement, as counted in its own storage. */
export interface CallOffCounts {
  /** Its licences naming the agreement. */
  callOffs: number;
  /** Their seats; null when one of them is unlimited. */
  seats: number | null;
  /** Licensed active persons of those licences over the window (figure 6), summed over them. */
  used: number;
  /** Unused seats of those licences (figure 7, each licence on its own), summed; null when one is unlimited. */
  unusedSeats: number | null;
}

export interface AgreementLine {
  callOffs: number;
  seats: number | null;
  /** Null when 1 to 4 persons (MIN_GROUP_SIZE): the region never sees a handful of people. */
  used: number | null;
  unusedSeats: number | null;
  /** unusedSeats × the agreement's price per seat. */
  unusedSek: number | null;
  suppressed: boolean;
}

export interface OrganiserAgreementLine extends AgreementLine {
  organiser: { id: string; name: string };
  /** The organiser's own today (in its own time zone) the line is as of. */
  asOf: string;
  /** The days counted: the agreement's period up to asOf; null before the period starts. */
  window: Window | null;
}

export interface AgreementReport {
  agreement: AgreementTerms & { organisers: string[] };
  rows: OrganiserAgreementLine[];
  /** The sum of the rows; a figure made from a blanked one is blanked too. */
  total: AgreementLine;
  minCount: number;
}

/**
 * The days an organiser's call-offs are measured over as of its own today: the agreement's
 * period, cut at `asOf` while it runs; null when it has not started (nothing could be used yet).
 */
export function callOffWindow(a: Pick<AgreementTerms, 'start' | 'end'>, asOf: string): Window | null {
  const to = a.end < asOf ? a.end : asOf;
  return to < a.start ? null : { from: a.start, to };
}

const small = (n: number) => n > 0 && n < MIN_GROUP_SIZE;

/** One line, blanked: a count of 1 to 4 persons, and every figure made from it, is null. */
export function agreementLine(terms: Pick<AgreementTerms, 'pricePerSeat'>, c: CallOffCounts): AgreementLine {
  const suppressed = small(c.used);
  const unusedSeats = suppressed ? null : c.unusedSeats;
  return {
    callOffs: c.callOffs,
    seats: c.seats,
    used: suppressed ? null : c.used,
    unusedSeats,
    unusedSek: unusedSeats === null ? null : money(unusedSeats * terms.pricePerSeat),
    suppressed,
  };
}

const sum = (xs: (number | null)[]): number | null => (xs.some((x) => x === null) ? null : xs.reduce<number>((a, x) => a + (x as number), 0));

export function agreementReport(
  agreement: AgreementTerms & { organisers: string[] },
  counted: ({ organiser: { id: string; name: string }; asOf: string; window: Window | null } & CallOffCounts)[],
): AgreementReport {
  const rows = counted.map(({ organiser, asOf, window, ...c }) => ({ organiser, asOf, window, ...agreementLine(agreement, c) }));
  // Summed from the blanked lines, so that no total gives back a blanked count by subtraction.
  const unusedSeats = sum(rows.map((r) => r.unusedSeats));
  return {
    agreement,
    rows,
    total: {
      callOffs: rows.reduce((a, r) => a + r.callOffs, 0),
      seats: sum(rows.map((r) => r.seats)),
      used: sum(rows.map((r) => r.used)),
      unusedSeats,
      unusedSek: unusedSeats === null ? null : money(unusedSeats * agreement.pricePerSeat),
      suppressed: rows.some((r) => r.suppressed),
    },
    minCount: MIN_GROUP_SIZE,
  };
}
