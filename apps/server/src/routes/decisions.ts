import { Hono, type Context } from 'hono';
import { addDays, ApiError } from '@licenskoll/core';
import { actionsReport, asOfDay, seatMovesReport, seatMovesWindow } from '@licenskoll/reports';
import { requireRole } from '../auth.ts';
import type { AppContext, Env } from '../context.ts';
import { answerRows } from '../answer-format.ts';
import { checkKnownNames } from './known-filters.ts';
import { parseQuery, scopeFor } from './reports.ts';

/**
 * Figures that are decisions (docs/figures.md, figures 16 and 17): seat moves before purchases
 * (`/v1/reports/seat-moves`) and the one action list (`/v1/reports/actions`). Admins and
 * purchasers see the whole organiser (or a `school`); a principal the moves touching their
 * school units and the items of the licences within or touching them. Teachers do not: it is
 * buying work.
 */
const NOT_FOR_TEACHERS = 'seat moves and the action list are buying work for purchasers and principals; a teacher sees class usage of their groups (/v1/reports/class-usage)';

export function decisionRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  const opts = () => ({ timeZone: ctx.config.timeZone, today: ctx.today });
  const people = requireRole('admin', 'purchaser', 'principal', 'teacher');
  const noTeacher = (c: Context<Env>) => {
    if (c.get('caller').role === 'teacher') throw new ApiError(403, 'forbidden', NOT_FOR_TEACHERS);
  };

  app.get('/seat-moves', people, async (c) => {
    noTeacher(c);
    const q = await parseQuery(ctx.storage, c, 'seat-moves');
    const scope = await scopeFor(ctx.storage, c.get('caller'), q);
    const asOf = asOfDay(q, opts());
    const rows = await seatMovesReport(ctx.storage, { asOf, products: q.product ?? [], ...(scope.units ? { units: scope.units } : {}) });
    c.set('auditRows', rows.length);
    const saving = rows.reduce((a, r) => a + r.saving, 0);
    return answerRows(c, q, {
      name: 'seat-moves', rows: rows as unknown as Record<string, unknown>[], timeZone: ctx.config.timeZone,
      extra: {
        totals: { seats: rows.reduce((a, r) => a + r.seats, 0), saving: Math.round(saving * 100) / 100 },
        params: { asOf, ...seatMovesWindow(asOf), product: q.product ?? null, ...(scope.units ? { school: scope.schools } : {}) },
      },
    });
  });

  app.get('/actions', people, async (c) => {
    noTeacher(c);
    const q = await parseQuery(ctx.storage, c, 'actions');
    const scope = await scopeFor(ctx.storage, c.get('caller'), q);
    await checkKnownNames(ctx.storage, q);
    const asOf = asOfDay(q, opts());
    const before = q.before ?? addDays(asOf, 90);
    if (before < asOf) throw new ApiError(400, 'bad_request', 'invalid parameters: before: must not be before asOf', [{ field: 'before', reason: 'must not be before asOf' }]);
    const headroom = q.headroom ?? 0.1;
    const r = await actionsReport(ctx.storage, {
      asOf, before, headroom, products: q.product ?? [], today: asOfDay({}, opts()),
      ...(q.buyer !== undefined ? { buyer: q.buyer } : {}), ...(q.forvaltning !== undefined ? { forvaltning: q.forvaltning } : {}),
      ...(scope.units ? { units: scope.units } : {}),
    });
    c.set('auditRows', r.rows.length);
    return answerRows(c, q, {
      name: 'actions', rows: r.rows as unknown as Record<string, unknown>[], timeZone: ctx.config.timeZone,
      extra: {
        totals: r.totals,
        params: { asOf, before, headroom, buyer: q.buyer ?? null, forvaltning: q.forvaltning ?? null, product: q.product ?? null, ...(scope.units ? { school: scope.schools } : {}) },
      },
    });
  });
  return app;
}
