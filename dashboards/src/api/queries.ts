/**
 * One `queryOptions()` factory per API resource. Query keys carry exactly the parameters
 * sent (after dropping empty ones), so two pages asking the same question share a cache
 * entry, and a CSV download asks for exactly what the screen shows.
 *
 * staleTime, chosen on purpose:
 * - `me`: for the session (a token's role does not change under it).
 * - organisations, products: 10 minutes (the roster and the catalogue change by import).
 * - reports: 60 s. Usage arrives in batches and is read as daily figures; a minute keeps
 *   tab switching instant without showing yesterday's numbers after a new import.
 * - unmapped, follow-ups: 15 s, because the admin acts on them on this very screen
 *   (mutations also invalidate them).
 * Reports use `placeholderData: keepPreviousData` so a filter change keeps the old table
 * on screen (marked as updating) instead of flashing a spinner.
 */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { getCachedMe, setCachedMe } from '../auth/session.ts';
import { apiGet, type Params } from './client.ts';
import type {
  ActionsReport, AgreementReport, AgreementsAnswer, BuyerEntry, PeersAnswer, RegionAggregatesAnswer, RegionUnmappedRow, BuyerRow, ClassUsageRow, FlagRow, NotSignedInPupil, ReadinessReport, SeatMovesReport, UnlicensedRow, FollowupRow, LicenceRow, Me, Organisation, OverviewReport, Product, RenewalsReport, Rows, SubscriptionsAnswer, UnmappedRow, UnresolvedRow, UnusedRow,
} from './types.ts';

const MINUTE = 60_000;

export const REPORT_PATHS = {
  overview: '/v1/reports/overview',
  classUsage: '/v1/reports/class-usage',
  licences: '/v1/reports/licences',
  unused: '/v1/reports/unused',
  renewals: '/v1/reports/renewals',
  buyers: '/v1/reports/buyers',
  unmapped: '/v1/reports/unmapped',
  unlicensed: '/v1/reports/unlicensed',
  seatMoves: '/v1/reports/seat-moves',
  actions: '/v1/reports/actions',
  signInReadiness: '/v1/reports/sign-in-readiness',
  signInReadinessPupils: '/v1/reports/sign-in-readiness/pupils',
  flags: '/v1/reports/flags',
} as const;
export type ReportName = keyof typeof REPORT_PATHS;

/** Drops empty parameters so `{school: undefined}` and `{}` are the same key and the same request. */
export function clean<P extends object>(p: P): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== null && v !== '') out[k] = v as Params[string];
  return out;
}

export interface PeriodParams { from: string; to: string; school?: string; product?: string }
export interface ClassUsageParams extends PeriodParams { group?: string }
export interface LicencesParams extends PeriodParams { asOf: string }
export interface UnusedParams { asOf: string; days: number; threshold: number; school?: string; product?: string }
export interface RenewalsParams { asOf: string; within: number; school?: string; product?: string }
export interface SeatMovesParams { asOf: string; school?: string; product?: string }
export interface ActionsParams extends SeatMovesParams { before: string; buyer?: string; forvaltning?: string }
export interface ReadinessParams { date: string; days: number }
export interface ReadinessPupilsParams extends ReadinessParams { group: string }
export interface FlagsParams { asOf: string; school?: string; product?: string }
export interface BuyersParams { from: string; to: string; asOf: string; school?: string; product?: string }

function report<T>(name: ReportName, params: object, staleTime = MINUTE) {
  const p = clean(params);
  return queryOptions({
    queryKey: ['report', name, p] as const,
    queryFn: ({ signal }) => apiGet<T>(REPORT_PATHS[name], p, signal),
    staleTime,
    placeholderData: keepPreviousData,
  });
}

export const queries = {
  me: () =>
    queryOptions({
      queryKey: ['me'] as const,
      queryFn: async ({ signal }) => {
        const me = await apiGet<Me>('/v1/me', undefined, signal);
        setCachedMe(me);
        return me;
      },
      // Seeded from the session at start (role known at once), refreshed once in the background.
      initialData: () => getCachedMe<Me>(),
      initialDataUpdatedAt: 0,
      staleTime: 10 * MINUTE,
    }),
  organisations: () =>
    queryOptions({ queryKey: ['organisations'] as const, queryFn: ({ signal }) => apiGet<Rows<Organisation>>('/v1/organisations', undefined, signal), staleTime: 10 * MINUTE }),
  products: () =>
    queryOptions({ queryKey: ['products'] as const, queryFn: ({ signal }) => apiGet<Rows<Product>>('/v1/products', undefined, signal), staleTime: 10 * MINUTE }),

  overview: (p: PeriodParams) => report<OverviewReport>('overview', p),
  classUsage: (p: ClassUsageParams) => report<Rows<ClassUsageRow>>('classUsage', p),
  licences: (p: LicencesParams) => report<Rows<LicenceRow>>('licences', p),
  unused: (p: UnusedParams) => report<Rows<UnusedRow>>('unused', p),
  renewals: (p: RenewalsParams) => report<RenewalsReport>('renewals', p),
  buyers: (p: BuyersParams) => report<Rows<BuyerRow>>('buyers', p),
  unmapped: () => report<Rows<UnmappedRow>>('unmapped', {}, 15_000),
  /** Register rows naming an organisation or person that is not there: data quality, beside the unknown sources. */
  unresolved: () =>
    queryOptions({ queryKey: ['unresolved'] as const, queryFn: ({ signal }) => apiGet<Rows<UnresolvedRow>>('/v1/roster/unresolved', undefined, signal), staleTime: 15_000 }),
  /** Whom a renewal pack can be asked for: the buyers of the licences the caller can see. */
  packBuyers: (school?: string) =>
    queryOptions({
      queryKey: ['packBuyers', school ?? ''] as const,
      queryFn: ({ signal }) => apiGet<Rows<{ buyer: string }>>('/v1/reports/renewal-pack/buyers', clean({ school }), signal),
      staleTime: 5 * MINUTE,
    }),
  unlicensed: (p: PeriodParams) => report<Rows<UnlicensedRow>>('unlicensed', p),
  seatMoves: (p: SeatMovesParams) => report<SeatMovesReport>('seatMoves', p),
  actions: (p: ActionsParams) => report<ActionsReport>('actions', p),
  /** Buyers and their förvaltning, for the action list's choices (admins and purchasers). */
  buyerList: () =>
    queryOptions({ queryKey: ['buyerList'] as const, queryFn: ({ signal }) => apiGet<Rows<BuyerEntry>>('/v1/buyers', undefined, signal), staleTime: 5 * 60_000 }),
  signInReadiness: (p: ReadinessParams) => report<ReadinessReport>('signInReadiness', p),
  signInReadinessPupils: (p: ReadinessPupilsParams) => report<Rows<NotSignedInPupil>>('signInReadinessPupils', p),
  flags: (p: FlagsParams) => report<Rows<FlagRow>>('flags', p),
  /** The region's view (region tokens only): each organiser's aggregates, the joint procurements and one's report. */
  regionAggregates: (p: { from: string; to: string }) =>
    queryOptions({ queryKey: ['region', 'aggregates', clean(p)] as const, queryFn: ({ signal }) => apiGet<RegionAggregatesAnswer>('/v1/region/aggregates', clean(p), signal), staleTime: MINUTE }),
  regionUnmapped: () =>
    queryOptions({ queryKey: ['region', 'unmapped'] as const, queryFn: ({ signal }) => apiGet<Rows<RegionUnmappedRow>>('/v1/region/unmapped', undefined, signal), staleTime: MINUTE }),
  regionAgreements: () =>
    queryOptions({ queryKey: ['region', 'agreements'] as const, queryFn: ({ signal }) => apiGet<AgreementsAnswer>('/v1/region/agreements', undefined, signal), staleTime: MINUTE }),
  regionAgreement: (id: string) =>
    queryOptions({ queryKey: ['region', 'agreement', id] as const, queryFn: ({ signal }) => apiGet<AgreementReport>(`/v1/region/agreements/${encodeURIComponent(id)}`, undefined, signal), staleTime: MINUTE }),
  /** Så gör andra (figure 26): the other organisers change it too, so as long as a report. */
  peers: (p: { from: string; to: string }) =>
    queryOptions({
      queryKey: ['peers', clean(p)] as const,
      queryFn: ({ signal }) => apiGet<PeersAnswer>('/v1/peers', clean(p), signal),
      staleTime: MINUTE,
      placeholderData: keepPreviousData,
    }),

  /**
   * Follow-up history, newest first: of one licence, or (no licence) of all of them in one
   * request, which the Uppföljning page groups per licence instead of asking once per licence.
   */
  followups: (licence?: string) =>
    queryOptions({
      queryKey: ['followups', licence ?? '*'] as const,
      queryFn: ({ signal }) => apiGet<Rows<FollowupRow>>('/v1/followups', licence ? { licence } : undefined, signal),
      staleTime: 15_000,
    }),

  /** Scheduled e-mail: the subscriptions with their state, the mail settings, what can be sent. 10 s: it is watched after a change. */
  subscriptions: () =>
    queryOptions({ queryKey: ['subscriptions'] as const, queryFn: ({ signal }) => apiGet<SubscriptionsAnswer>('/v1/subscriptions', undefined, signal), staleTime: 10_000 }),
};
