import { Hono, type Context } from 'hono';
import { ApiError, type Role } from '@licenskoll/core';
import type { Storage } from '@licenskoll/storage';
import {
  asOfDay, buyersReport, classUsageReport, defaultWindow, licencesReport, overviewReport, renewalTotals, renewalsReport, scopeFor,
  suppressSmallGroups, unlicensedReport, unmappedReport, unusedReport, type ClassUsageRow, type Scope, type UnlicensedRow, type Within,
} from '@licenskoll/reports';
import { READINESS_ROUTE } from './sign-in-readiness.ts';
import { requireRole } from '../auth/auth.ts';
import type { AppContext, Caller, Env } from '../context.ts';
import { answerRows } from '../http/answer-format.ts';
import { parseQuery, type ReportQuery } from './report-query.ts';
import { DECISION_REPORTS } from './decisions.ts';

/** What a report's function is given: the checked parameters, the caller's reach, and the day. */
export interface ReportRun {
  storage: Storage;
  q: ReportQuery;
  caller: Caller;
  scope: Scope;
  /** Set when the answer is limited to some school units (a principal, or a `school` filter). */
  within?: Within;
  /** Window defaults and `asOf` in the organiser's zone. */
  opts: { timeZone: string; today?: string };
}

/** A report's answer: its rows, what else the JSON carries, and the rows for files where they differ. */
export interface ReportAnswer {
  rows: readonly object[];
  extra?: Record<string, unknown>;
  fileRows?: readonly object[];
}

/** One row of the route table: `GET /v1/reports/<name>`. */
export interface ReportRoute {
  name: string;
  roles: readonly Role[];
  /** Teachers may ask only what says so; the 403 says why and where to look instead. */
  teachers?: true;
  /** The 403 for a teacher, where the general one does not say it. */
  teacherText?: string;
  /** The 403 for a role not in `roles`. */
  roleText?: string;
  run(r: ReportRun): Promise<ReportAnswer>;
}

const NOT_FOR_TEACHERS = 'licences, costs and products as a whole are for purchasers and principals; a teacher sees class usage of their groups (/v1/reports/class-usage)';
const PEOPLE = ['admin', 'purchaser', 'principal', 'teacher'] as const satisfies readonly Role[];

const CLASS_FIGURES = ['enrolled', 'active', 'adoption', 'events', 'activeDays', 'lastActive'] as const satisfies readonly (keyof ClassUsageRow)[];
const DEMAND_FIGURES = ['persons', 'days', 'events', 'deniedPersons', 'deniedEvents'] as const satisfies readonly (keyof UnlicensedRow)[];

/** `school` in the echoed parameters when the answer is limited to units. */
const schoolParam = (r: ReportRun) => (r.within ? { school: r.scope.schools } : {});
/** The parameters an answer echoes: its own, then the product filter and the school units. */
const echoed = (r: ReportRun, own: object) => ({ ...own, product: r.q.product ?? null, ...schoolParam(r) });
const productsOf = (r: ReportRun) => r.q.product ?? [];
/** The window (from/to, default the last 30 days) and the day licences are judged on (its end). */
function windowOf(r: ReportRun) {
  const window = defaultWindow(r.q, r.opts);
  return { window, asOf: asOfDay({ asOf: r.q.asOf ?? window.to }, r.opts) };
}

/**
 * The reports, one row each: name, who may ask, and the report's one function (each takes the
 * caller's units when scoped). docs/figures.md defines every figure; the README lists the routes.
 */
export const REPORTS: readonly ReportRoute[] = [
  {
    name: 'overview', roles: PEOPLE,
    async run(r) {
      const { window, asOf } = windowOf(r);
      const o = await overviewReport(r.storage, { window, asOf, products: productsOf(r) }, r.within);
      return { rows: o.rows, extra: { series: o.series, totals: o.totals, params: echoed(r, { ...window, asOf }) } };
    },
  },
  {
    name: 'class-usage', roles: PEOPLE, teachers: true,
    async run(r) {
      const window = defaultWindow(r.q, r.opts);
      const rows = await classUsageReport(r.storage, { window, products: r.q.product ?? [], schools: r.scope.schools, groups: r.scope.groups });
      const s = suppressSmallGroups(rows, r.caller, { figures: CLASS_FIGURES, group: (x) => x.group, size: (x) => x.enrolled });
      return {
        rows: s.rows, fileRows: s.fileRows,
        extra: { suppressedGroups: s.suppressed, params: { ...window, product: r.q.product ?? null, school: r.scope.schools, group: r.scope.groups } },
      };
    },
  },
  {
    name: 'licences', roles: PEOPLE,
    async run(r) {
      const { window, asOf } = windowOf(r);
      const rows = await licencesReport(r.storage, { window, asOf, products: productsOf(r) }, r.within);
      return { rows, extra: { params: echoed(r, { ...window, asOf }) } };
    },
  },
  {
    name: 'unused', roles: PEOPLE,
    async run(r) {
      const own = { asOf: asOfDay(r.q, r.opts), days: r.q.days ?? 30, threshold: r.q.threshold ?? 0.5 };
      const rows = await unusedReport(r.storage, { ...own, products: productsOf(r) }, r.within);
      return { rows, extra: { params: echoed(r, own) } };
    },
  },
  {
    name: 'renewals', roles: PEOPLE,
    async run(r) {
      const own = { asOf: asOfDay(r.q, r.opts), within: r.q.within ?? 90, headroom: r.q.headroom ?? 0.1 };
      const rows = await renewalsReport(r.storage, { ...own, products: productsOf(r) }, r.within);
      return { rows, extra: { totals: renewalTotals(rows), params: echoed(r, own) } };
    },
  },
  {
    name: 'buyers', roles: PEOPLE,
    async run(r) {
      const { window, asOf } = windowOf(r);
      const rows = await buyersReport(r.storage, { window, asOf, products: productsOf(r) }, r.within);
      return { rows, extra: { params: { ...window, asOf, ...schoolParam(r) } } };
    },
  },
  {
    // Demand without a licence (figure 15): buying work, so not for teachers; a principal sees
    // only persons on days they belonged to one of their units.
    name: 'unlicensed', roles: PEOPLE,
    teacherText: 'demand without a licence is for purchasers and principals; a teacher sees class usage of their groups (/v1/reports/class-usage)',
    async run(r) {
      const window = defaultWindow(r.q, r.opts);
      const rows = await unlicensedReport(r.storage, { window, products: productsOf(r), ...(r.within ? { units: r.within.units } : {}) });
      const s = suppressSmallGroups(rows, r.caller, { figures: DEMAND_FIGURES, group: (x) => (x.level === 'class' ? x.group : null), size: (x) => x.enrolled });
      return { rows: s.rows, fileRows: s.fileRows, extra: { suppressedGroups: s.suppressed, params: echoed(r, window) } };
    },
  },
  READINESS_ROUTE,
  {
    // Mapping work for administrators and purchasers, not broken down by school.
    name: 'unmapped', roles: ['admin', 'purchaser'],
    roleText: 'unmapped product identifiers are mapping work for administrators and purchasers; they are not broken down by school',
    async run(r) {
      if (r.q.school?.length) throw new ApiError(400, 'bad_request', 'invalid parameters: school: unmapped identifiers are not broken down by school', [{ field: 'school', reason: 'not applicable' }]);
      const to = r.q.to ?? asOfDay(r.q, r.opts);
      const window = { from: r.q.from ?? '1970-01-01', to };
      return { rows: await unmappedReport(r.storage, window, r.opts.timeZone), extra: { params: window } };
    },
  },
  // Seat moves and the action list (figures 18, 19).
  ...DECISION_REPORTS,
];

/** Why a role may not read a report, in the words of its 403. */
function refusal(route: ReportRoute, role: string): string | null {
  if (!route.roles.includes(role as Role)) return route.roleText ?? `the ${role} role may not read ${route.name}`;
  if (role === 'teacher' && !route.teachers) return route.teacherText ?? NOT_FOR_TEACHERS;
  return null;
}

/** The reports' routes, from the table: the same checks, scope and answer for every one. */
export function reportRoutes(ctx: AppContext, table: readonly ReportRoute[] = REPORTS) {
  const app = new Hono<Env>();
  const opts = () => ({ timeZone: ctx.config.timeZone, today: ctx.today });
  for (const route of table) {
    app.get(`/${route.name}`, requireRole(...PEOPLE), async (c: Context<Env>) => {
      const caller = c.get('caller');
      const no = refusal(route, caller.role);
      if (no) throw new ApiError(403, 'forbidden', no);
      const q = await parseQuery(ctx.storage, c, route.name);
      const scope = route.name === 'unmapped' ? { schools: [], groups: [] } : await scopeFor(ctx.storage, caller, q);
      const within = scope.units ? { units: scope.units, today: asOfDay({}, opts()) } : undefined;
      const a = await route.run({ storage: ctx.storage, q, caller, scope, within, opts: opts() });
      c.set('auditRows', a.rows.length);
      const file = q.format !== undefined && q.format !== 'json';
      return answerRows(c, q, { name: route.name, rows: a.rows, extra: a.extra, fileRows: file ? a.fileRows : undefined, timeZone: ctx.config.timeZone });
    });
  }
  return app;
}
