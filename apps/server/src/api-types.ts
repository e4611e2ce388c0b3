/**
 * The shapes API v1 answers with, for clients written in TypeScript (the dashboard): types
 * only, from the packages that make the answers, so that a change to an answer that a client
 * does not follow is a compile error there. Import with `import type`: nothing of the server
 * reaches a browser bundle.
 */
import type { FollowupInput, Role } from '@licenskoll/core';
import type { Followup, Product } from '@licenskoll/licensing';
import type {
  BuyerRow, ClassUsageRow, LicenceRow, Overview, OverviewRow, RenewalRow, RenewalTotals, ShareFields, UnmappedRow,
} from '@licenskoll/reports';

export type { BuyerRow, ClassUsageRow, Role, UnmappedRow };
export type FollowupStatus = FollowupInput['status'];

/** A list or report: its rows, and the parameters it was answered for. */
export interface Rows<T> {
  rows: T[];
  params?: Record<string, unknown>;
}

/** `GET /v1/me`. */
export interface Me {
  role: Role;
  name: string;
  schools?: string[];
  groups?: string[];
}

/** A row answered to a scoped caller (a principal, or a school filter) says which part of a shared licence is theirs. */
type MaybeScoped<T> = T & Partial<ShareFields>;

export type LicenceAnswerRow = MaybeScoped<LicenceRow>;
export type UnusedAnswerRow = LicenceAnswerRow & { status: 'unused' | 'underused' };
/** Scoped renewals have no recommendation for a licence reaching beyond the caller. */
export type RenewalAnswerRow = MaybeScoped<Omit<RenewalRow, 'recommendedSeats' | 'overused'> & { recommendedSeats: number | null; overused: boolean | null }>;
export interface RenewalsAnswer extends Rows<RenewalAnswerRow> {
  totals: RenewalTotals;
}

/** With a school filter: `partialLicences` cover units outside it too, `wholePrice` their whole prices (cost is the selection's share). */
export type OverviewAnswerRow = OverviewRow & { partialLicences?: number; wholePrice?: number };
export interface OverviewAnswer extends Rows<OverviewAnswerRow> {
  series: Overview['series'];
  totals: Overview['totals'] & { wholePrice?: number };
}

/** `GET /v1/organisations` (routes/reports.ts reads these columns; roster ids are text, '' when absent). */
export interface OrganisationRow {
  id: string;
  name: string;
  type: string;
  schoolUnitCode: string;
  organisationCode: string;
  parent: string;
}
export type ProductRow = Product;
/** The status is one the API took (core's followupInput). */
export type FollowupRow = Omit<Followup, 'status'> & { status: FollowupStatus };
