import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ApiError, describeIssues, isoDate, issuesText } from '@licenskoll/core';
import { answerDate, queryRows, type Storage } from '@licenskoll/storage';
import {
  MIN_GROUP_SIZE, SUPPRESSED_TEXT, asOfDay, buyersReport, buyersWithin, classUsageReport, defaultWindow, groupUnits, licencesReport,
  licencesWithin, overviewReport, overviewWithin, reachUnits, renewalTotals, renewalsReport, renewalsWithin, unitsUnder, unmappedReport, unusedReport,
  unusedWithin, type ClassUsageRow,
} from '@licenskoll/reports';
import { unresolvedInStore } from '@licenskoll/roster';
import { requireRole } from '../auth.ts';
import type { AppContext, Caller, Env } from '../context.ts';
import { answerRows, formatFields, parseFormat } from '../answer-format.ts';
import { checkKnownFilters } from './known-filters.ts';

/** A list parameter: comma-separated ids or codes; no control characters, bounded. */
const list = z
  .string()
  .max(10_000)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters')
  .transform((s) => [...new Set(s.split(',').map((x) => x.trim()).filter(Boolean))])
  .refine((a) => a.length <= 1000, 'at most 1000 values')
  .refine((a) => a.every((x) => x.length <= 200), 'each value at most 200 characters');

const oneName = (max: number) => z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(max, `must be at most ${max} characters`)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

/** Parameters only one report takes. */
const ONLY: Record<string, string> = { group: 'class-usage', buyer: 'actions', forvaltning: 'actions', before: 'actions' };

const reportQuery = z
  .strictObject({
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
    // The action list's own filters (one buyer or förvaltning: a buyer's name may hold a comma).
    buyer: oneName(300).optional(),
    forvaltning: oneName(200).optional(),
    before: isoDate.optional(),
    ...formatFields,
  }, { message: 'is not a parameter of this report' })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] });
export type ReportQuery = z.infer<typeof reportQuery>;

/** The report's parameters, with every product and group they name known (known-filters.ts). */
export async function parseQuery(storage: Storage, c: Context, report: string): Promise<ReportQuery> {
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.req.queries())) {
    if (v.length > 1) throw new ApiError(400, 'bad_request', `invalid parameters: ${k.slice(0, 50)}: give it once (a list is comma-separated)`, [{ field: k.slice(0, 50), reason: 'given more than once' }]);
    raw[k] = v[0];
  }
  const r = reportQuery.safeParse(raw);
  if (!r.success) throw new ApiError(400, 'bad_request', `invalid parameters: ${issuesText(r.error)}`, describeIssues(r.error));
  for (const [field, only] of Object.entries(ONLY)) {
    const v = r.data[field as keyof ReportQuery];
    if (report === only || v === undefined || (Array.isArray(v) && !v.length)) continue;
    const reason = `only ${only} takes ${field === 'group' ? 'a group' : field}`;
    throw new ApiError(400, 'bad_request', `invalid parameters: ${field}: ${reason}`, [{ field, reason }]);
  }
  await checkKnownFilters(storage, r.data);
  return r.data;
}

/**
 * Where a report may look, for the caller and the request's `school`/`group` filters. A
 * scoped caller naming a unit or group outside their reach (or a school that does not exist)
 * gets 403, never an empty answer that looks real; an unknown group is already 400 (parseQuery).
 * `units` is set when the answer must be limited to school units (a principal, or anyone filtering by `school`).
 */
export interface Scope {
  /** Organisation refs for class-usage's school filter (empty = all). */
  schools: string[];
  /** Group ids for class-usage's group filter (empty = all). */
  groups: string[];
  /** Units the figures are limited to; absent = the whole organiser. */
  units?: Set<string>;
}

const outside = (what: string, ids: string[], yours: string) =>
  new ApiError(403, 'forbidden', `${what}: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? '…' : ''} is outside ${yours}`, { field: what, outside: ids.slice(0, 20) });

export async function scopeFor(storage: Storage, caller: Caller, q: Pick<ReportQuery, 'school' | 'group'>): Promise<Scope> {
  const schools = q.school ?? [];
  const groups = q.group ?? [];
  const under = await unitsUnder(storage, schools);
  const unknownSchools = schools.filter((s) => !under.get(s)?.length);
  const schoolUnits = new Set([...under.values()].flat());

  if (caller.role === 'admin' || caller.role === 'purchaser') {
    if (unknownSchools.length) {
      throw new ApiError(400, 'bad_request', `invalid parameters: school: ${unknownSchools.slice(0, 5).join(', ')} is not a known organisation or school unit`, [{ field: 'school', reason: 'unknown organisation' }]);
    }
    return { schools, groups, ...(schools.length ? { units: schoolUnits } : {}) };
  }

  if (caller.role === 'principal') {
    const mine = await reachUnits(storage, caller.schools);
    const notMine = [...unknownSchools, ...schools.filter((s) => !unknownSchools.includes(s) && (under.get(s) ?? []).some((u) => !mine.has(u)))];
    if (notMine.length) throw outside('school', notMine, 'your school units');
    if (groups.length) {
      const gu = await groupUnits(storage, groups);
      const bad = groups.filter((g) => !gu.has(g) || !mine.has(gu.get(g)!));
      if (bad.length) throw outside('group', bad, 'your school units');
    }
    return { schools: schools.length ? schools : caller.schools, groups, units: schools.length ? schoolUnits : mine };
  }

  if (caller.role === 'teacher') {
    const bad = groups.filter((g) => !caller.groups.includes(g));
    if (bad.length) throw outside('group', bad, 'your groups');
    const asked = groups.length ? groups : caller.groups;
    if (schools.length) {
      const gu = await groupUnits(storage, asked);
      const inSchool = asked.filter((g) => gu.has(g) && schoolUnits.has(gu.get(g)!));
      if (unknownSchools.length || !inSchool.length) throw outside('school', schools, 'the school units of your groups');
      return { schools, groups: inSchool };
    }
    return { schools: [], groups: asked };
  }
  throw new ApiError(403, 'forbidden', `the ${caller.role} role may not read reports`);
}

const FIGURES: (keyof ClassUsageRow)[] = ['enrolled', 'active', 'adoption', 'events', 'activeDays', 'lastActive'];

/**
 * The small-group rule: a group with fewer than 5 pupils shows its figures only to admin and to
 * that group's teacher; everyone else gets nulls, `suppressed: true` and the reason.
 */
export function suppressSmallGroups(rows: ClassUsageRow[], caller: Caller) {
  const sees = (group: string) => caller.role === 'admin' || (caller.role === 'teacher' && caller.groups.includes(group));
  let suppressed = 0;
  const out = rows.map((r) => {
    if (r.enrolled >= MIN_GROUP_SIZE || sees(r.group)) return { ...r, suppressed: false };
    suppressed++;
    const blank = Object.fromEntries(FIGURES.map((f) => [f, null]));
    return { ...r, ...blank, suppressed: true, reason: SUPPRESSED_TEXT };
  });
  return { rows: out, suppressed };
}

type Row = Record<string, unknown>;

/** Suppressed figures read as the reason in the files, where a blank would look like zero. */
const maskedForFiles = (rows: Row[]) => rows.map((r) => (r.suppressed ? { ...r, ...Object.fromEntries(FIGURES.map((f) => [f, SUPPRESSED_TEXT])) } : r));

/** A report's answer in the format asked for (answer-format.ts). */
export const replyIn = (timeZone: string) => (c: Context, q: ReportQuery, rows: Row[], extra: Record<string, unknown>, name: string) => {
  c.set('auditRows', rows.length);
  const file = q.format !== undefined && q.format !== 'json';
  return answerRows(c, q, { name, rows, extra, fileRows: file ? maskedForFiles(rows) : undefined, timeZone });
};

const NOT_FOR_TEACHERS = 'licences, costs and products as a whole are for purchasers and principals; a teacher sees class usage of their groups (/v1/reports/class-usage)';

export function reportRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  const reply = replyIn(ctx.config.timeZone);
  const opts = () => ({ timeZone: ctx.config.timeZone, today: ctx.today });
  const today = () => asOfDay({}, opts());
  const people = requireRole('admin', 'purchaser', 'principal', 'teacher');
  const noTeacher = (c: Context<Env>) => {
    if (c.get('caller').role === 'teacher') throw new ApiError(403, 'forbidden', NOT_FOR_TEACHERS);
  };
  const paramsOf = (s: Scope) => (s.units ? { school: s.schools } : {});

  app.get('/overview', people, async (c) => {
    noTeacher(c);
    const q = await parseQuery(ctx.storage, c, 'overview');
    const scope = await scopeFor(ctx.storage, c.get('caller'), q);
    const window = defaultWindow(q, opts());
    const asOf = asOfDay({ asOf: q.asOf ?? window.to }, opts());
    const p = { window, asOf, products: q.product ?? [] };
    const r = scope.units ? await overviewWithin(ctx.storage, scope.units, p, today()) : await overviewReport(ctx.storage, p);
    return reply(c, q, r.rows as unknown as Row[], { series: r.series, totals: r.totals, params: { ...window, asOf, product: q.product ?? null, ...paramsOf(scope) } }, 'overview');
  });

  app.get('/class-usage', people, async (c) => {
    const q = await parseQuery(ctx.storage, c, 'class-usage');
    const caller = c.get('caller');
    const scope = await scopeFor(ctx.storage, caller, q);
    const window = defaultWindow(q, opts());
    const rows = await classUsageReport(ctx.storage, { window, products: q.product ?? [], schools: scope.schools, groups: scope.groups });
    const s = suppressSmallGroups(rows, caller);
    return reply(c, q, s.rows as unknown as Row[], {
      suppressedGroups: s.suppressed,
      params: { ...window, product: q.product ?? null, school: scope.schools, group: scope.groups },
    }, 'class-usage');
  });

  app.get('/licences', people, async (c) => {
    noTeacher(c);
    const q = await parseQuery(ctx.storage, c, 'licences');
    const scope = await scopeFor(ctx.storage, c.get('caller'), q);
    const window = defaultWindow(q, opts());
    const asOf = asOfDay({ asOf: q.asOf ?? window.to }, opts());
    const p = { window, asOf, products: q.product ?? [] };
    const rows = scope.units ? await licencesWithin(ctx.storage, scope.units, p, today()) : await licencesReport(ctx.storage, p);
    return reply(c, q, rows as unknown as Row[], { params: { ...window, asOf, product: q.product ?? null, ...paramsOf(scope) } }, 'licences');
  });

  app.get('/unused', people, async (c) => {
    noTeacher(c);
    const q = await parseQuery(ctx.storage, c, 'unused');
    const scope = await scopeFor(ctx.storage, c.get('caller'), q);
    const asOf = asOfDay(q, opts());
    const days = q.days ?? 30;
    const threshold = q.threshold ?? 0.5;
    const p = { asOf, days, threshold, products: q.product ?? [] };
    const rows = scope.units ? await unusedWithin(ctx.storage, scope.units, p, today()) : await unusedReport(ctx.storage, p);
    return reply(c, q, rows as unknown as Row[], { params: { asOf, days, threshold, product: q.product ?? null, ...paramsOf(scope) } }, 'unused');
  });

  app.get('/renewals', people, async (c) => {
    noTeacher(c);
    const q = await parseQuery(ctx.storage, c, 'renewals');
    const scope = await scopeFor(ctx.storage, c.get('caller'), q);
    const asOf = asOfDay(q, opts());
    const within = q.within ?? 90;
    const headroom = q.headroom ?? 0.1;
    const p = { asOf, within, headroom, products: q.product ?? [] };
    const rows = scope.units ? await renewalsWithin(ctx.storage, scope.units, p, today()) : await renewalsReport(ctx.storage, p);
    return reply(c, q, rows as unknown as Row[], { totals: renewalTotals(rows), params: { asOf, within, headroom, product: q.product ?? null, ...paramsOf(scope) } }, 'renewals');
  });

  app.get('/buyers', people, async (c) => {
    noTeacher(c);
    const q = await parseQuery(ctx.storage, c, 'buyers');
    const scope = await scopeFor(ctx.storage, c.get('caller'), q);
    const window = defaultWindow(q, opts());
    const asOf = asOfDay({ asOf: q.asOf ?? window.to }, opts());
    const p = { window, asOf, products: q.product ?? [] };
    const rows = scope.units ? await buyersWithin(ctx.storage, scope.units, p) : await buyersReport(ctx.storage, p);
    return reply(c, q, rows as unknown as Row[], { params: { ...window, asOf, ...paramsOf(scope) } }, 'buyers');
  });

  app.get('/unmapped', people, async (c) => {
    const caller = c.get('caller');
    if (caller.role !== 'admin' && caller.role !== 'purchaser') {
      throw new ApiError(403, 'forbidden', 'unmapped product identifiers are mapping work for administrators and purchasers; they are not broken down by school');
    }
    const q = await parseQuery(ctx.storage, c, 'unmapped');
    if (q.school?.length) throw new ApiError(400, 'bad_request', 'invalid parameters: school: unmapped identifiers are not broken down by school', [{ field: 'school', reason: 'not applicable' }]);
    const to = q.to ?? asOfDay(q, opts());
    const window = { from: q.from ?? '1970-01-01', to };
    const rows = await unmappedReport(ctx.storage, window, ctx.config.timeZone);
    return reply(c, q, rows as unknown as Row[], { params: window }, 'unmapped');
  });
  return app;
}

/** Roster lookups the dashboard's filters need, within the caller's reach; names of units and groups are not personal data. */
export function rosterRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  app.get('/me', (c) => {
    const { role, name, schools, groups } = c.get('caller');
    const auth = c.get('auth');
    return c.json({
      role, name, schools, groups,
      via: auth?.via ?? 'token',
      ...(auth?.session ? { expires: auth.session.expires, csrfToken: auth.csrfToken, logout: '/auth/logout' } : {}),
    });
  });
  app.get('/organisations', requireRole('admin', 'purchaser', 'principal', 'teacher'), async (c) => {
    const choice = parseFormat(c);
    const caller = c.get('caller');
    let only: string[] | null = null;
    if (caller.role === 'principal') only = [...(await reachUnits(ctx.storage, caller.schools))];
    if (caller.role === 'teacher') only = [...new Set((await groupUnits(ctx.storage, caller.groups)).values())];
    const rows = await queryRows(
      ctx.storage.read,
      `SELECT id, name, type, school_unit_code AS schoolUnitCode, organisation_code AS organisationCode, parent
       FROM organisations FINAL WHERE {all:Bool} OR has({only:Array(String)}, id) ORDER BY type != 'Huvudman', name`,
      { all: only === null, only: only ?? [] },
    );
    return answerRows(c, choice, { name: 'organisations', rows, timeZone: ctx.config.timeZone });
  });
  // The data-quality view: stored rows that name an organisation or person the roster lacks.
  app.get('/roster/unresolved', requireRole('admin', 'purchaser'), async (c) => {
    const choice = parseFormat(c);
    const rows = await unresolvedInStore(ctx.storage);
    return answerRows(c, choice, { name: 'unresolved-references', rows: rows as unknown as Record<string, unknown>[], timeZone: ctx.config.timeZone });
  });
  app.get('/groups', requireRole('admin', 'purchaser', 'principal', 'teacher'), async (c) => {
    const choice = parseFormat(c);
    const caller = c.get('caller');
    const school = c.req.query('school') ?? '';
    if (school.length > 200 || /[\u0000-\u001f]/.test(school)) throw new ApiError(400, 'bad_request', 'invalid parameters: school: at most 200 characters, no control characters');
    let units: string[] | null = null;
    if (school) {
      units = [...(await reachUnits(ctx.storage, [school]))];
      if (caller.role === 'principal') {
        const mine = await reachUnits(ctx.storage, caller.schools);
        if (!units.length || units.some((u) => !mine.has(u))) throw outside('school', [school], 'your school units');
      }
    } else if (caller.role === 'principal') {
      units = [...(await reachUnits(ctx.storage, caller.schools))];
    }
    const onlyGroups = caller.role === 'teacher' ? caller.groups : null;
    const rows = await queryRows(
      ctx.storage.read,
      // `unresolved`: the school unit is not in the store (an SS12000 file that named a unit it did not deliver).
      `SELECT id, name, type, unit AS school, ${answerDate('start')} AS start, ${answerDate('end')} AS end,
              toBool(unit NOT IN (SELECT id FROM organisations FINAL)) AS unresolved FROM groups FINAL
       WHERE ({allUnits:Bool} OR has({units:Array(String)}, unit)) AND ({allGroups:Bool} OR has({groups:Array(String)}, id))
       ORDER BY name`,
      { allUnits: units === null, units: units ?? [], allGroups: onlyGroups === null, groups: onlyGroups ?? [] },
    );
    if (caller.role === 'teacher' && school && rows.length === 0) throw outside('school', [school], 'the school units of your groups');
    return answerRows(c, choice, { name: 'groups', rows, timeZone: ctx.config.timeZone });
  });
  return app;
}
