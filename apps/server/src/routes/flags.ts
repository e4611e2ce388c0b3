import { Hono } from 'hono';
import { z } from 'zod';
import { ApiError, isoDate } from '@licenskoll/core';
import { FLAG_KINDS, FLAG_SETTING_BOUNDS, asOfDay, flagSettingsFromEnv, flagsReport, scopeFor, type FlagSettings } from '@licenskoll/reports';
import { requireRole } from '../auth/auth.ts';
import type { AppContext, Env } from '../context.ts';
import { answerRows, formatFields } from '../http/answer-format.ts';
import { validQuery } from '../http/validation.ts';
import { checkKnownFilters } from './known-filters.ts';
import { list } from './report-query.ts';

/**
 * Low-value flags (docs/figures.md, figures 20–25): `/v1/reports/flags`. Admins and
 * purchasers see the whole organiser (or a `school`), a principal the licences within their
 * own school units; teachers do not (it is buying work). Every threshold has a default
 * (flag-settings.ts), a `LICENSKOLL_FLAG_*` setting and a query parameter of its name.
 */

const setting = (k: keyof FlagSettings) => {
  const b = FLAG_SETTING_BOUNDS[k];
  const n = z.coerce.number({ error: 'must be a number' }).min(b.min, `must be from ${b.min} to ${b.max}`).max(b.max, `must be from ${b.min} to ${b.max}`);
  return (b.int ? n.int('must be a whole number') : n).optional();
};

const flagQuery = z.strictObject({
  asOf: isoDate.optional(),
  product: list.optional(),
  school: list.optional(),
  flag: list.refine((a) => a.every((x) => (FLAG_KINDS as readonly string[]).includes(x)), `each must be one of ${FLAG_KINDS.join(', ')}`).optional(),
  ...Object.fromEntries((Object.keys(FLAG_SETTING_BOUNDS) as (keyof FlagSettings)[]).map((k) => [k, setting(k)])) as Record<keyof FlagSettings, ReturnType<typeof setting>>,
  ...formatFields,
}, { message: 'is not a parameter of this report' });

export function flagRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  const defaults = flagSettingsFromEnv(process.env);
  app.get('/flags', requireRole('admin', 'purchaser', 'principal', 'teacher'), async (c) => {
    const caller = c.get('caller');
    if (caller.role === 'teacher') throw new ApiError(403, 'forbidden', 'flags are for purchasers and principals; a teacher sees class usage of their groups (/v1/reports/class-usage)');
    // Named here, where zod would answer "(body)": a mistyped threshold must say which.
    const unknown = Object.keys(c.req.queries()).filter((k) => !(k in flagQuery.shape));
    if (unknown.length) {
      throw new ApiError(400, 'bad_request', `invalid parameters: ${unknown.slice(0, 5).map((k) => k.slice(0, 50)).join(', ')}: not a parameter of this report`,
        unknown.slice(0, 20).map((k) => ({ field: k.slice(0, 50), reason: 'is not a parameter of this report' })));
    }
    const q = validQuery(c, flagQuery);
    await checkKnownFilters(ctx.storage, q);
    const scope = await scopeFor(ctx.storage, caller, q);
    const asOf = asOfDay(q, { timeZone: ctx.config.timeZone, today: ctx.today });
    const settings = { ...defaults };
    for (const k of Object.keys(defaults) as (keyof FlagSettings)[]) if (q[k] !== undefined) settings[k] = q[k]!;
    const rows = await flagsReport(ctx.storage, { asOf, settings, products: q.product ?? [], kinds: q.flag ?? [], ...(scope.units ? { units: scope.units } : {}) });
    c.set('auditRows', rows.length);
    return answerRows(c, q, {
      name: 'flags', rows: rows as unknown as Record<string, unknown>[], timeZone: ctx.config.timeZone,
      extra: { params: { asOf, ...settings, product: q.product ?? null, flag: q.flag ?? null, ...(scope.units ? { school: scope.schools } : {}) } },
    });
  });
  return app;
}
