/**
 * The shapes API v1 answers with, for clients written in TypeScript (the dashboard): types
 * only, from the packages that make the answers, so that a change to an answer that a client
 * does not follow is a compile error there. Import with `import type`: nothing of the server
 * reaches a browser bundle.
 */
import type { FollowupInput, Role, Target } from '@licenskoll/core';
import type { Buyer, Followup, Product } from '@licenskoll/licensing';
import type {
  ActionItem, ActionKind, ActionTotals, BuyerRow, ClassUsageRow, LicenceRow, NotSignedInPupil, Overview, OverviewRow, ReadinessRow, RenewalRow, RenewalTotals,
  AgreementTerms, PeerComparisonRow, RegionAggregate, SeatMoveRow, ShareFields, TestedForm, UnlicensedRow, UnmappedRow,
} from '@licenskoll/reports';
import type { OrganisationRow, StoredUnresolved } from '@licenskoll/roster';
import type { Recipients, SubscriptionSpec } from './mail/subscription-input.ts';
import type { SubscriptionStatus } from './mail/deliveries.ts';
import type { Subscription as StoredSubscription } from './mail/subscriptions.ts';
import type { TransportState } from './mail/outbox.ts';

export type { ActionItem, ActionKind, BuyerRow, ClassUsageRow, NotSignedInPupil, Role, SeatMoveRow, SubscriptionStatus, Target, UnmappedRow };

/** `GET /v1/reports/seat-moves` (figure 18) and `GET /v1/reports/actions` (figure 19, routes/decisions.ts). */
export interface SeatMovesAnswer extends Rows<SeatMoveRow> {
  totals: { seats: number; saving: number };
}
export interface ActionsAnswer extends Rows<ActionItem> {
  totals: ActionTotals;
}
/** `GET /v1/peers` (figure 26, routes/peers.ts): the organiser's products beside the other organisers'. */
export interface PeersAnswer {
  window: { from: string; to: string };
  /** false: the organiser opted out; it contributes nothing and sees no peers (no rows). */
  contributing: boolean;
  /** A distribution shows over at least this many other organisers. */
  minPeers: number;
  rows: PeerComparisonRow[];
}
export type { PeerComparisonRow, PeerDistribution } from '@licenskoll/reports';
/** `GET /v1/me` with a region token (docs/tenants.md): the region's roles see only the region's pages. */
export interface RegionMe {
  role: 'region_admin' | 'region_analyst';
  name: string;
  via: 'token';
  region: true;
}
/** `GET /v1/region/aggregates`: what the region sees of each organiser (figure 17). */
export interface RegionAggregatesAnswer {
  rows: (RegionAggregate & { organiser: { id: string; name: string } })[];
}
/** `GET /v1/region/agreements` and `GET /v1/region/agreements/:id` (figure 27). */
export interface AgreementsAnswer {
  rows: (AgreementTerms & { organisers: string[]; created: string })[];
}
export type { AgreementReport, OrganiserAgreementLine, RegionProductRow, RegionUnmappedRow } from '@licenskoll/reports';
/** `GET /v1/buyers`: each buyer, its förvaltning and those its licences name. */
export type BuyerEntry = Buyer;
/** A low-value flag (/v1/reports/flags, docs/figures.md figures 20–25): the shape the action list consumes. */
export type { FlagKind, FlagRow } from '@licenskoll/reports';
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
  organiser?: { id: string; name: string };
  via?: 'token' | 'env' | 'session';
  /** A dashboard session's (routes/roster.ts): sent back in X-CSRF-Token on writes; and where it ends. */
  csrfToken?: string;
  logout?: string;
  expires?: string;
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

/** `GET /v1/organisations` (routes/roster.ts; roster ids are text, '' when absent). */
export type { OrganisationRow };
export type ProductRow = Product;
/** The status is one the API took (core's followupInput). */
export type FollowupRow = Omit<Followup, 'status'> & { status: FollowupStatus };

/** `GET /v1/roster/unresolved`: a kind of stored roster row that names an organisation or person the roster lacks. */
export type UnresolvedRow = StoredUnresolved;

/** `GET /v1/reports/unlicensed` (routes/report-table.ts): a class row below the small-group size has its counts withheld (null). */
export type UnlicensedAnswerRow = Omit<UnlicensedRow, 'persons' | 'days' | 'events' | 'deniedPersons' | 'deniedEvents'> & {
  persons: number | null; days: number | null; events: number | null; deniedPersons: number | null; deniedEvents: number | null;
  suppressed?: boolean;
};

/** `GET /v1/reports/sign-in-readiness` (figure 16): a class row below the small-group size has its counts withheld (null). */
export type ReadinessAnswerRow = Omit<ReadinessRow, 'pupils' | 'signedIn' | 'notSignedIn' | 'signedInShare'> & {
  pupils: number | null; signedIn: number | null; notSignedIn: number | null; signedInShare: number | null;
  suppressed?: boolean;
};
export interface ReadinessAnswer extends Rows<ReadinessAnswerRow> {
  /** The tested school forms and years (LICENSKOLL_TESTED_YEARS). */
  tested: TestedForm[];
}

/** Scheduled e-mail (`/v1/subscriptions`, admins; routes/subscriptions.ts). */
export type SubscriptionRecipients = Recipients;
export type SubscriptionInput = Omit<SubscriptionSpec, 'format' | 'params' | 'enabled'> & {
  format: string; params?: Record<string, unknown>; enabled?: boolean;
};
export type Subscription = StoredSubscription & { next: string | null; status: SubscriptionStatus };
/** A report that can be mailed, with its names in both languages and its default parameters. */
export interface MailReport { key: string; sv: string; en: string; formats: string[]; buyers: boolean; params: Record<string, unknown> }
export interface SubscriptionsAnswer extends Rows<Subscription> {
  mail: { configured: boolean; host?: string; port?: number; security?: string; from?: string; timeZone: string; transport: TransportState | null };
  reports: MailReport[];
}
