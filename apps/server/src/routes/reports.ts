import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ApiError, describeIssues, isoDate, issuesText } from '@licenskoll/core';
import { queryRows } from '@licenskoll/storage';
import {
  asOfDay, buyersReport, classUsageReport, defaultWindow, licencesReport, overviewReport, renewalsReport, unmappedReport, unusedReport,
} from '@licenskoll/reports';
import { requireRole } from '../auth.ts';
import type { AppContext, Caller, Env } from '../context.ts';
import { toCsv } from '../csv.ts';

const list = z
  .string()
  .max(10_000)
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

const reportQuery = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    asOf: isoDate.optional(),
    product: list.optional(),
    school: list.optional(),
    group: list.optional(),
    days: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(3660).optional(),
    within: z.coerce.number().int('must be a whole number').min(0, 'must not be negative').max(3660).optional(),
    threshold: z.coerce.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').optional(),
    headroom: z.coerce.number().min(0, 'must not be negative').max(10).optional(),
    format: z.enum(['json', 'csv'], { message: 'must be json or csv' }).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] });
type ReportQuery = z.infer<typeof reportQuery>;

function parseQuery(c: Context): ReportQuery {
  const r = reportQuery.safeParse(c.req.query());
  if (!r.success) throw new ApiError(400, 'bad_request', `invalid parameters: ${issuesText(r.error)}`, describeIssues(r.error));
  return r.data;
}

/**
 * The caller's reach applied to school/group filters: a principal asking for another unit,
 * or a teacher for another group, gets 403, never an empty answer that looks real.
 */
function scoped(caller: Caller, q: ReportQuery): { schools: string[]; groups: string[] } {
  const schools = q.school ?? [];
  const groups = q.group ?? [];
  if (caller.role === 'principal') {
    const outside = schools.filter((s) => !caller.schools.includes(s));
    if (outside.length) throw new ApiError(403, 'forbidden', `school: ${outside.join(', ')} is outside your school units`);
    return { schools: schools.length ? schools : caller.schools, groups };
  }
  if (caller.role === 'teacher') {
    const outside = groups.filter((g) => !caller.groups.includes(g));
    if (outside.length) throw new ApiError(403, 'forbidden', `group: ${outside.join(', ')} is outside your groups`);
    return { schools, groups: groups.length ? groups : caller.groups };
  }
  return { schools, groups };
}

function reply(c: Context, q: ReportQuery, rows: Record<string, unknown>[], extra: Record<string, unknown>, name: string) {
  if (q.format === 'csv') {
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="licenskoll-${name}.csv"`);
    return c.body(toCsv(rows));
  }
  return c.json({ rows, ...extra });
}

export function reportRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  const opts = () => ({ timeZone: ctx.config.timeZone, today: ctx.today });
  const money = requireRole('admin', 'purchaser');

  app.get('/overview', money, async (c) => {
    const q = parseQuery(c);
    const window = defaultWindow(q, opts());
    const asOf = asOfDay({ asOf: q.asOf ?? window.to }, opts());
    const r = await overviewReport(ctx.storage, { window, asOf, products: q.product ?? [] });
    return reply(c, q, r.rows as unknown as Record<string, unknown>[], { series: r.series, totals: r.totals, params: { ...window, asOf, product: q.product ?? null } }, 'overview');
  });

  app.get('/class-usage', requireRole('admin', 'purchaser', 'principal', 'teacher'), async (c) => {
    const q = parseQuery(c);
    const window = defaultWindow(q, opts());
    const reach = scoped(c.get('caller'), q);
    const rows = await classUsageReport(ctx.storage, { window, products: q.product ?? [], ...reach });
    return reply(c, q, rows as unknown as Record<string, unknown>[], { params: { ...window, product: q.product ?? null, school: reach.schools, group: reach.groups } }, 'class-usage');
  });

  app.get('/licences', money, async (c) => {
    const q = parseQuery(c);
    const window = defaultWindow(q, opts());
    const asOf = asOfDay({ asOf: q.asOf ?? window.to }, opts());
    const rows = await licencesReport(ctx.storage, { window, asOf, products: q.product ?? [] });
    return reply(c, q, rows as unknown as Record<string, unknown>[], { params: { ...window, asOf, product: q.product ?? null } }, 'licences');
  });

  app.get('/unused', money, async (c) => {
    const q = parseQuery(c);
    const asOf = asOfDay(q, opts());
    const days = q.days ?? 30;
    const threshold = q.threshold ?? 0.5;
    const rows = await unusedReport(ctx.storage, { asOf, days, threshold, products: q.product ?? [] });
    return reply(c, q, rows as unknown as Record<string, unknown>[], { params: { asOf, days, threshold, product: q.product ?? null } }, 'unused');
  });

  app.get('/renewals', money, async (c) => {
    const q = parseQuery(c);
    const asOf = asOfDay(q, opts());
    const within = q.within ?? 90;
    const headroom = q.headroom ?? 0.1;
    const rows = await renewalsReport(ctx.storage, { asOf, within, headroom, products: q.product ?? [] });
    return reply(c, q, rows as unknown as Record<string, unknown>[], { params: { asOf, within, headroom, product: q.product ?? null } }, 'renewals');
  });

  app.get('/buyers', money, async (c) => {
    const q = parseQuery(c);
    const window = defaultWindow(q, opts());
    const asOf = asOfDay({ asOf: q.asOf ?? window.to }, opts());
    const rows = await buyersReport(ctx.storage, { window, asOf, products: q.product ?? [] });
    return reply(c, q, rows as unknown as Record<string, unknown>[], { params: { ...window, asOf } }, 'buyers');
  });

  app.get('/unmapped', requireRole('admin', 'purchaser'), async (c) => {
    const q = parseQuery(c);
    const to = q.to ?? asOfDay(q, opts());
    const window = { from: q.from ?? '1970-01-01', to };
    const rows = await unmappedReport(ctx.storage, window, ctx.config.timeZone);
    return reply(c, q, rows as unknown as Record<string, unknown>[], { params: window }, 'unmapped');
  });
  return app;
}

/** Roster lookups the dashboard's filters need; names of units and groups are not personal data. */
export function rosterRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  app.get('/me', (c) => {
    const { role, name, schools, groups } = c.get('caller');
    return c.json({ role, name, schools, groups });
  });
  app.get('/organisations', requireRole('admin', 'purchaser', 'principal', 'teacher'), async (c) => {
    const rows = await queryRows(
      ctx.storage.read,
      `SELECT id, name, type, school_unit_code AS schoolUnitCode, organisation_code AS organisationCode, parent
       FROM organisations FINAL ORDER BY type != 'Huvudman', name`,
    );
    return c.json({ rows });
  });
  app.get('/groups', requireRole('admin', 'purchaser', 'principal', 'teacher'), async (c) => {
    const school = c.req.query('school') ?? '';
    const rows = await queryRows(
      ctx.storage.read,
      `SELECT id, name, type, unit AS school, toString(start) AS start, toString(end) AS end FROM groups FINAL
       WHERE {school:String} = '' OR unit IN (SELECT unit FROM org_closure WHERE ref = {school:String}) OR unit = {school:String}
       ORDER BY name`,
      { school },
    );
    return c.json({ rows });
  });
  return app;
}
