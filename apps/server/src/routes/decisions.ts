import { addDays, ApiError } from '@licenskoll/core';
import { actionsReport, asOfDay, money, seatMovesReport, seatMovesWindow } from '@licenskoll/reports';
import { checkKnownNames } from './known-filters.ts';
import type { ReportRoute } from './report-table.ts';

/**
 * Figures that are decisions (docs/figures.md, figures 18 and 19), as rows of the report table:
 * seat moves before purchases (`/v1/reports/seat-moves`) and the one action list
 * (`/v1/reports/actions`). Admins and purchasers see the whole organiser (or a `school`); a
 * principal the moves touching their school units and the items of the licences within or
 * touching them. Teachers do not: it is buying work.
 */
const PEOPLE = ['admin', 'purchaser', 'principal', 'teacher'] as const;
const TEACHERS = 'seat moves and the action list are buying work for purchasers and principals; a teacher sees class usage of their groups (/v1/reports/class-usage)';

export const DECISION_REPORTS: readonly ReportRoute[] = [
  {
    name: 'seat-moves', roles: PEOPLE, teacherText: TEACHERS,
    async run(r) {
      const asOf = asOfDay(r.q, r.opts);
      const rows = await seatMovesReport(r.storage, { asOf, products: r.q.product ?? [], ...(r.within ? { units: r.within.units } : {}) });
      return {
        rows,
        extra: {
          totals: { seats: rows.reduce((a, x) => a + x.seats, 0), saving: money(rows.reduce((a, x) => a + x.saving, 0)) },
          params: { asOf, ...seatMovesWindow(asOf), product: r.q.product ?? null, ...(r.within ? { school: r.scope.schools } : {}) },
        },
      };
    },
  },
  {
    name: 'actions', roles: PEOPLE, teacherText: TEACHERS,
    async run(r) {
      await checkKnownNames(r.storage, r.q);
      const asOf = asOfDay(r.q, r.opts);
      const before = r.q.before ?? addDays(asOf, 90);
      if (before < asOf) throw new ApiError(400, 'bad_request', 'invalid parameters: before: must not be before asOf', [{ field: 'before', reason: 'must not be before asOf' }]);
      const headroom = r.q.headroom ?? 0.1;
      const a = await actionsReport(r.storage, {
        asOf, before, headroom, products: r.q.product ?? [], today: asOfDay({}, r.opts),
        ...(r.q.buyer !== undefined ? { buyer: r.q.buyer } : {}), ...(r.q.forvaltning !== undefined ? { forvaltning: r.q.forvaltning } : {}),
        ...(r.within ? { units: r.within.units } : {}),
      });
      return {
        rows: a.rows,
        extra: {
          totals: a.totals,
          params: { asOf, before, headroom, buyer: r.q.buyer ?? null, forvaltning: r.q.forvaltning ?? null, product: r.q.product ?? null, ...(r.within ? { school: r.scope.schools } : {}) },
        },
      };
    },
  },
];
