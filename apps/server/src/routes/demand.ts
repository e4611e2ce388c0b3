import { Hono } from 'hono';
import { ApiError } from '@licenskoll/core';
import { MIN_GROUP_SIZE, SUPPRESSED_TEXT, defaultWindow, unlicensedReport, type UnlicensedRow } from '@licenskoll/reports';
import { requireRole } from '../auth.ts';
import type { AppContext, Caller, Env } from '../context.ts';
import { answerRows } from '../answer-format.ts';
import { parseQuery, scopeFor } from './reports.ts';

/**
 * Demand without a licence (docs/figures.md, figure 15): `/v1/reports/unlicensed`. Admins and
 * purchasers see the whole organiser (or a `school`), a principal their own school units: every
 * row counts only persons on days they belonged to one of them. Teachers do not: it is buying
 * work. A class of fewer than five pupils shows its counts to admins only, as class usage does.
 */
const COUNTS: (keyof UnlicensedRow)[] = ['persons', 'days', 'events', 'deniedPersons', 'deniedEvents'];

function suppressSmallClasses(rows: UnlicensedRow[], caller: Caller) {
  let suppressed = 0;
  const out = rows.map((r) => {
    if (r.level !== 'class' || caller.role === 'admin' || (r.enrolled ?? 0) >= MIN_GROUP_SIZE) return { ...r, suppressed: false };
    suppressed++;
    return { ...r, ...Object.fromEntries(COUNTS.map((k) => [k, null])), suppressed: true, reason: SUPPRESSED_TEXT };
  });
  return { rows: out, suppressed };
}

export function demandRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  app.get('/unlicensed', requireRole('admin', 'purchaser', 'principal', 'teacher'), async (c) => {
    const caller = c.get('caller');
    if (caller.role === 'teacher') throw new ApiError(403, 'forbidden', 'demand without a licence is for purchasers and principals; a teacher sees class usage of their groups (/v1/reports/class-usage)');
    const q = await parseQuery(ctx.storage, c, 'unlicensed');
    const scope = await scopeFor(ctx.storage, caller, q);
    const window = defaultWindow(q, { timeZone: ctx.config.timeZone, today: ctx.today });
    const rows = await unlicensedReport(ctx.storage, { window, products: q.product ?? [], ...(scope.units ? { units: scope.units } : {}) });
    const s = suppressSmallClasses(rows, caller);
    c.set('auditRows', s.rows.length);
    // In files a hidden count reads as the reason, where a blank would look like zero.
    const fileRows = s.rows.map((r) => (r.suppressed ? { ...r, ...Object.fromEntries(COUNTS.map((k) => [k, SUPPRESSED_TEXT])) } : r));
    return answerRows(c, q, {
      name: 'unlicensed', rows: s.rows as unknown as Record<string, unknown>[], timeZone: ctx.config.timeZone,
      ...(q.format !== undefined && q.format !== 'json' ? { fileRows: fileRows as unknown as Record<string, unknown>[] } : {}),
      extra: { suppressedGroups: s.suppressed, params: { ...window, product: q.product ?? null, ...(scope.units ? { school: scope.schools } : {}) } },
    });
  });
  return app;
}
