/**
 * The shapes the public API v1 answers with (README, "The API"), under the dashboard's names.
 * Types only, imported from the server's curated entry point (apps/server/src/api-types.ts)
 * so that an answer changed on the server is a compile error here; `import type` keeps
 * server code out of the browser bundle.
 */
import type {
  ActionsAnswer, FollowupStatus, LicenceAnswerRow, OrganisationRow, OverviewAnswer, OverviewAnswerRow, ProductRow, RenewalAnswerRow, RenewalsAnswer,
  ReadinessAnswer, ReadinessAnswerRow, SeatMovesAnswer, UnlicensedAnswerRow, UnusedAnswerRow,
} from '@licenskoll/server/api-types';

export type {
  ActionItem, ActionKind, AgreementReport, AgreementsAnswer, BuyerEntry, OrganiserAgreementLine, PeerComparisonRow, RegionAggregatesAnswer, RegionMe, RegionUnmappedRow, PeerDistribution, PeersAnswer, BuyerRow, ClassUsageRow, FlagKind, FlagRow, FollowupRow, FollowupStatus, MailReport, Me, NotSignedInPupil, Role, Rows, SeatMoveRow, Subscription, SubscriptionInput,
  SubscriptionRecipients, SubscriptionsAnswer, SubscriptionStatus, Target, UnmappedRow, UnresolvedRow,
} from '@licenskoll/server/api-types';
export type Organisation = OrganisationRow;
export type Product = ProductRow;
export type OverviewRow = OverviewAnswerRow;
export type OverviewReport = OverviewAnswer;
export type LicenceRow = LicenceAnswerRow;
export type UnusedRow = UnusedAnswerRow;
export type RenewalRow = RenewalAnswerRow;
export type RenewalsReport = RenewalsAnswer;
export type UnlicensedRow = UnlicensedAnswerRow;
export type SeatMovesReport = SeatMovesAnswer;
export type ActionsReport = ActionsAnswer;
export type ReadinessRow = ReadinessAnswerRow;
export type ReadinessReport = ReadinessAnswer;

/** In the order the follow-up page offers them; `satisfies` keeps it to the statuses the API takes. */
export const FOLLOWUP_STATUSES = ['open', 'contacted', 'keep', 'reduce', 'cancel'] as const satisfies readonly FollowupStatus[];
