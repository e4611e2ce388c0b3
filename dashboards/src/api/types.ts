/**
 * The shapes the public API v1 answers with (README, "The API"). Kept here,
 * not imported from the server packages, so the browser bundle never pulls server code.
 */
export type Role = 'admin' | 'purchaser' | 'principal' | 'teacher' | 'ingest';
export type FollowupStatus = 'open' | 'contacted' | 'keep' | 'reduce' | 'cancel';
export const FOLLOWUP_STATUSES: readonly FollowupStatus[] = ['open', 'contacted', 'keep', 'reduce', 'cancel'];

export interface Me { role: Role; name: string; schools?: string[]; groups?: string[] }
export interface Rows<T> { rows: T[]; params?: Record<string, unknown> }

export interface Organisation { id: string; name: string; type: string; schoolUnitCode?: string | null; parent?: string | null }
/** Who a product or licence is meant for (målgrupp, docs/figures.md figure 13); every list empty = none. */
export interface Target { schoolTypes: string[]; years: number[]; subjects: string[]; dutyRoles: string[] }
export interface Product { id: string; name: string; supplier?: string | null; identifiers: string[]; target?: Target }

export interface OverviewRow {
  product: string; name: string; licences: number; seats: number | null; activeUsers: number; events: number;
  utilisation: number | null; cost: number; unusedCost: number | null;
  /** Persons in the targets of its targeted licences, and users outside them; null when none has a target. */
  targetSize?: number | null; outsideTarget?: number | null; licensedActive?: number;
  /** With a school filter: licences that also cover units outside it. */
  partialLicences?: number;
  /** With a school filter: the whole licences' prices (cost is the selection's share). */
  wholePrice?: number;
}
export interface OverviewReport extends Rows<OverviewRow> {
  series: { week: string; activeUsers: number }[];
  totals: { cost: number; unusedCost: number; licensedActive: number; costPerActiveUser: number | null; activeUsers: number; events: number; wholePrice?: number };
}

export interface ClassUsageRow {
  school: string; schoolName?: string; group: string; groupName: string; groupType?: string; product: string; productName?: string;
  enrolled: number; active: number; adoption: number | null; events: number; activeDays: number; lastActive: string | null;
  /** false: the class is outside the product's target (neutral, never "not opened"); null: no target applies. */
  inTarget?: boolean | null;
}

export interface LicenceRow {
  licence: string; product: string; productName?: string; buyer: string;
  scope: { type: 'organisation' | 'school' | 'group'; ids: string[] };
  audience?: string; seats: number | null; licensedActive: number; utilisation: number | null;
  unusedSeats: number | null; unusedCost: number | null; costPerActiveUser: number | null;
  price: number; currency?: string; start: string; end: string; daysToExpiry: number;
  /** What it costs the caller: the price, or the audience share of a shared licence (docs/figures.md, figure 11). */
  cost: number;
  /** Its target, the persons in it, and users outside it (figure 14); null without a target. */
  target?: Target | null; targetSize?: number | null; outsideTarget?: number | null;
  /** With a school filter: `partial` when the licence also covers units outside it (figures then cover the selection only). */
  reach?: 'full' | 'partial';
  share?: number; shareYours?: number | null; shareWhole?: number | null;
}
export interface UnusedRow extends LicenceRow { status: 'unused' | 'underused' }

export interface RenewalRow {
  licence: string; product: string; productName?: string; buyer: string; end: string; daysToExpiry: number;
  seats: number | null; peak: number; recommendedSeats: number | null; projectedSaving: number | null; price: number; currency?: string;
  overused: boolean | null; seatsMissing: number | null; missingCost: number | null; cost: number;
  reach?: 'full' | 'partial';
  share?: number; shareYours?: number | null; shareWhole?: number | null;
}
export interface RenewalsReport extends Rows<RenewalRow> {
  totals: { projectedSaving: number; missingCost: number; overused: number };
}

export interface BuyerRow { buyer: string; licences: number; cost: number; unusedCost: number | null; worstUtilisation: number | null; openFollowups: number }
/** A kind of stored roster row that names an organisation or person the roster lacks (GET /v1/roster/unresolved). */
export interface UnresolvedRow {
  kind: 'organisation' | 'person'; from: 'organisations' | 'groups' | 'duties' | 'enrolments' | 'memberships';
  /** The organisation id as the register names it; null for persons (pseudonyms are not shown). */
  id: string | null; rows: number; examples: string[];
}
/** Demand without a licence (docs/figures.md, figure 15): one row per product, school unit or class. */
export interface UnlicensedRow {
  level: 'product' | 'school' | 'class'; school: string; schoolName: string; group: string; groupName: string;
  product: string; productName: string; licensed: boolean;
  persons: number | null; days: number | null; events: number | null; deniedPersons: number | null; deniedEvents: number | null;
  suppressed?: boolean;
}
/** A low-value flag (/v1/reports/flags, docs/figures.md figures 16–21). */
export type FlagKind = 'never-used' | 'low-utilisation' | 'concentrated' | 'falling' | 'expensive' | 'overlap';
export interface FlagRow {
  flag: FlagKind; licenceId: string; productId: string; productName: string; buyer: string; schoolIds?: string[];
  reason: string; reasonEn: string; numbers: Record<string, number | string | null | string[]>; sek: number; currency: string; link: string;
  otherLicenceId?: string; otherProductId?: string;
}
export interface UnmappedRow { identifier: string; events: number; users: number; firstSeen: string; lastSeen: string }
export interface FollowupRow { licence: string; status: FollowupStatus; note?: string | null; by: string; at: string }

/** Scheduled e-mail (/v1/subscriptions, admins). */
export type SubscriptionRecipients =
  | { kind: 'addresses'; addresses: string[] }
  | { kind: 'buyers'; within: number; addresses: Record<string, string> };
export interface SubscriptionInput {
  name: string; report: string; format: string; lang: 'sv' | 'en'; schedule: string; recipients: SubscriptionRecipients;
  params?: Record<string, unknown>; enabled?: boolean;
}
export interface SubscriptionStatus {
  state: 'ok' | 'failing' | 'idle';
  lastSent: { at: string; period: string } | null;
  pending: number;
  lastError: { at: string; error: string } | null;
  withoutAddress: string[];
}
export interface Subscription extends Required<SubscriptionInput> { id: string; created: string; updated: string; next: string | null; status: SubscriptionStatus }
export interface MailReport { key: string; sv: string; en: string; formats: string[]; buyers: boolean; params: Record<string, unknown> }
export interface SubscriptionsAnswer extends Rows<Subscription> {
  mail: {
    configured: boolean; host?: string; port?: number; security?: string; from?: string; timeZone: string;
    transport: { state: 'unverified' | 'ok' | 'auth' | 'unreachable' | 'tls' | 'temporary' | 'rejected'; message: string; at: string } | null;
  };
  reports: MailReport[];
}
