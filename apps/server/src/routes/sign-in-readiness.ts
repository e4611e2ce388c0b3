import { Hono } from 'hono';
import { ApiError } from '@licenskoll/core';
import {
  DEFAULT_READINESS_DAYS, asOfDay, notSignedInPupils, parseTestedForms, readinessWindow, signInReadinessReport, suppressSmallGroups,
  type ReadinessRow,
} from '@licenskoll/reports';
import { requireRole } from '../auth/auth.ts';
import type { AppContext, Env } from '../context.ts';
import { answerRows } from '../http/answer-format.ts';
import { parseQuery, type ReportQuery } from './report-query.ts';
import type { ReportRoute } from './report-table.ts';

/**
 * Sign-in readiness before digital national tests (docs/figures.md, figure 16).
 *
 * - `GET /v1/reports/sign-in-readiness?date=&days=` (a row of the report table): per school
 *   unit and class of the tested years, pupils, signed in and not. Admins and purchasers see
 *   every unit (or a `school`), a principal their own units, a teacher the classes they teach
 *   (no unit rows: a unit's count is about classes that are not theirs). A class of fewer than
 *   five pupils shows its counts only to admins and its own teacher, as class usage does.
 * - `GET /v1/reports/sign-in-readiness/pupils?group=&date=&days=`: the pseudonyms of one
 *   class's pupils without a sign-in, for an admin or that class's own teacher only (the
 *   people who can act on it: a principal or purchaser needs the counts, not the persons).
 */

const FIGURES = ['pupils', 'signedIn', 'notSignedIn', 'signedInShare'] as const satisfies readonly (keyof ReadinessRow)[];
const NOT_FOR_LIST = 'the pupils without a sign-in are listed only to administrators and to the class\'s own teacher; everyone else sees the counts (/v1/reports/sign-in-readiness)';

/** `LICENSKOLL_TESTED_YEARS`, read once: a malformed value stops the start (tested-forms.ts). */
const TESTED = parseTestedForms(process.env.LICENSKOLL_TESTED_YEARS);

/** The reference day (default today), the number of days (default 30) and the window they make. */
function dayAndWindow(q: ReportQuery, opts: { timeZone: string; today?: string }) {
  const date = q.date ?? asOfDay({}, opts);
  const days = q.days ?? DEFAULT_READINESS_DAYS;
  return { date, days, ...readinessWindow(date, days) };
}

/** The window is `date` and `days`: the period parameters of other reports would be silently ignored. */
function refuseOthers(q: ReportQuery) {
  const others = (['from', 'to', 'asOf', 'product', 'within', 'threshold', 'headroom'] as const).filter((k) => q[k] !== undefined);
  if (others.length) {
    throw new ApiError(400, 'bad_request', `invalid parameters: ${others[0]}: sign-in readiness takes date and days (the days ending on date), not ${others.join(', ')}`,
      others.map((field) => ({ field, reason: 'not a parameter of sign-in readiness' })));
  }
}

export const READINESS_ROUTE: ReportRoute = {
  name: 'sign-in-readiness', roles: ['admin', 'purchaser', 'principal', 'teacher'], teachers: true,
  async run(r) {
    refuseOthers(r.q);
    const w = dayAndWindow(r.q, r.opts);
    const toGroups = r.caller.role === 'teacher' || (r.q.group?.length ?? 0) > 0;
    const rows = await signInReadinessReport(r.storage, {
      date: w.date, days: w.days, tested: TESTED,
      ...(r.scope.units ? { units: r.scope.units } : {}),
      ...(toGroups ? { groups: r.scope.groups } : {}),
    });
    const s = suppressSmallGroups(rows, r.caller, { figures: FIGURES, group: (x) => (x.level === 'class' ? x.group : null), size: (x) => x.pupils });
    return {
      rows: s.rows, fileRows: s.fileRows,
      extra: { suppressedGroups: s.suppressed, tested: TESTED, params: { ...w, ...(r.scope.units ? { school: r.scope.schools } : {}), ...(toGroups ? { group: r.scope.groups } : {}) } },
    };
  },
};

export function signInPupilsRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  app.get('/sign-in-readiness/pupils', requireRole('admin', 'purchaser', 'principal', 'teacher'), async (c) => {
    const caller = c.get('caller');
    if (caller.role !== 'admin' && caller.role !== 'teacher') throw new ApiError(403, 'forbidden', NOT_FOR_LIST);
    const q = await parseQuery(ctx.storage, c, 'sign-in-readiness/pupils');
    refuseOthers(q);
    if (q.school?.length) throw new ApiError(400, 'bad_request', 'invalid parameters: school: the list is of one class: give group', [{ field: 'school', reason: 'not applicable' }]);
    if (q.group?.length !== 1) throw new ApiError(400, 'bad_request', 'invalid parameters: group: give exactly one class', [{ field: 'group', reason: q.group?.length ? 'more than one group' : 'required' }]);
    const group = q.group[0];
    if (caller.role === 'teacher' && !caller.groups.includes(group)) throw new ApiError(403, 'forbidden', `group: ${group} is not one of your groups; ${NOT_FOR_LIST}`, { field: 'group' });
    const w = dayAndWindow(q, { timeZone: ctx.config.timeZone, today: ctx.today });
    const rows = await notSignedInPupils(ctx.storage, { date: w.date, days: w.days, tested: TESTED, group });
    c.set('auditRows', rows.length);
    return answerRows(c, q, { name: 'sign-in-readiness-pupils', rows, timeZone: ctx.config.timeZone, extra: { params: { ...w, group } } });
  });
  return app;
}
