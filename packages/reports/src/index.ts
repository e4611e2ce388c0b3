export * from './params.ts';
export * from './money.ts';
export * from './sql.ts';
export * from './licence-figures.ts';
export * from './licences.ts';
export * from './renewals.ts';
export * from './class-usage.ts';
export * from './overview.ts';
export * from './unmapped.ts';
export * from './region-unmapped.ts';
export {
  groupUnits, licenceReach, licencesOf, reachUnits, unitsUnder,
  type LicenceReach, type ScopedLicenceRow, type ScopedOverview, type ScopedOverviewRow, type ScopedRenewalRow, type ScopedUnusedRow, type ShareFields,
} from './reach.ts';
export * from './publisher.ts';
export * from './resolution.ts';
export * from './cost-share.ts';
export * from './columns.ts';
export * from './report-words.ts';
export * from './licence-weeks.ts';
export * from './targets.ts';
export * from './unlicensed.ts';
export * from './region-aggregates.ts';
export * from './seat-moves.ts';
export * from './actions.ts';
export * from './scope.ts';
export * from './small-groups.ts';
export * from './sign-in-readiness.ts';
export * from './tested-forms.ts';
export * from './flags.ts';
export * from './peer-comparison.ts';
export * from './agreement-report.ts';
export * from './call-offs.ts';
export { memoOnStore, storeStates } from './store-memo.ts';
