import { Hono } from 'hono';
import { ApiError } from '@licenskoll/core';
import {
  DEFAULT_READINESS_DAYS, MIN_GROUP_SIZE, SUPPRESSED_TEXT, asOfDay, notSignedInPupils, parseTestedForms, readinessWindow, signInReadinessReport,
  type ReadinessRow,
} from '@licenskoll/reports';
import { requireRole } from '../auth.ts';
import type { AppContext, Caller, Env } from '../context.ts';
import { answerRows } from '../answer-format.ts';
import { parseQuery, scopeFor, type ReportQuery } from './reports.ts';

/**
 * Sign-in readiness before digital national tests (docs/figures.md, figure 16).
 *
 * - `GET /v1/reports/sign-in-readiness?date=&days=`: per school unit and class of the tested
 *   years, pupils, signed in and not. Admins and purchasers see every unit (or a `school`), a
 *   principal their own units, a teacher the classes they teach (no unit rows: a unit's count
 *   is about classes that are not theirs). A class of fewer than five pupils shows its counts
 *   only to admins and its own teacher, as class usage does.
 * - `GET /v1/reports/sign-in-readiness/pupils?group=&date=&days=`: the pseudonyms of one
 *   class's pupils without a sign-in, for an admin or that class's own teacher only (the
 *   people who can act on it: a principal or purchaser needs the counts, not the persons).
 */

const COUNTS: (keyof ReadinessRow)[] = ['pupils', 'signedIn', 'notSignedIn', 'signedInShare'];

function suppressSmallClasses(rows: ReadinessRow[], caller: Caller) {
  const sees = (group: string) => caller.role === 'admin' || (caller.role === 'teacher' && caller.groups.includes(group));
  let suppressed = 0;
  const out = rows.map((r) => {
    if (r.level !== 'class' || r.pupils >= MIN_GROUP_SIZE || sees(r.group)) return { ...r, suppressed: false };
    suppressed++;
    return { ...r, ...Object.fromEntries(COUNTS.map((k) => [k, null])), suppressed: true, reason: SUPPRESSED_TEXT };
  });
  return { rows: out, suppressed };
}

const NOT_FOR_LIST = 'the pupils without a sign-in are listed only to administrators and to the class\'s own teacher; everyone else sees the counts (/v1/reports/sign-in-readiness)';

export function signInReadinessRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  const tested = parseTestedForms(process.env.LICENSKOLL_TESTED_YEARS);
  const dayAndWindow = (q: ReportQuery) => {
    const date = q.date ?? asOfDay({}, { timeZone: ctx.config.timeZone, today: ctx.today });
    const days = q.days ?? DEFAULT_READINESS_DAYS;
    return { date, days, ...readinessWindow(date, days) };
  };
  const refuseUnused = (q: ReportQuery) => {
    const unused = (['from', 'to', 'asOf', 'product', 'within', 'threshold', 'headroom'] as const).filter((k) => q[k] !== undefined);
    if (unused.length) {
      throw new ApiError(400, 'bad_request', `invalid parameters: ${unused[0]}: sign-in readiness takes date and days (the days ending on date), not ${unused.join(', ')}`,
        unused.map((field) => ({ field, reason: 'not a parameter of sign-in readiness' })));
    }
  };
  const filesOf = (q: ReportQuery, rows: Record<string, unknown>[]) => (q.format !== undefined && q.format !== 'json' ? { fileRows: rows } : {});

  app.get('/sign-in-readiness', requireRole('admin', 'purchaser', 'principal', 'teacher'), async (c) => {
    const caller = c.get('caller');
    const q = await parseQuery(ctx.storage, c, 'sign-in-readiness');
    refuseUnused(q);
    const scope = await scopeFor(ctx.storage, caller, q);
    const w = dayAndWindow(q);
    const limitedToGroups = caller.role === 'teacher' || (q.group?.length ?? 0) > 0;
    const rows = await signInReadinessReport(ctx.storage, {
      date: w.date, days: w.days, tested,
      ...(scope.units ? { units: scope.units } : {}),
      ...(limitedToGroups ? { groups: scope.groups } : {}),
    });
    const s = suppressSmallClasses(rows, caller);
    c.set('auditRows', s.rows.length);
    const fileRows = s.rows.map((r) => (r.suppressed ? { ...r, ...Object.fromEntries(COUNTS.map((k) => [k, SUPPRESSED_TEXT])) } : r));
    return answerRows(c, q, {
      name: 'sign-in-readiness', rows: s.rows as unknown as Record<string, unknown>[], timeZone: ctx.config.timeZone,
      ...filesOf(q, fileRows as unknown as Record<string, unknown>[]),
      extra: {
        suppressedGroups: s.suppressed,
        tested,
        params: { ...w, ...(scope.units ? { school: scope.schools } : {}), ...(limitedToGroups ? { group: scope.groups } : {}) },
      },
    });
  });

  app.get('/sign-in-readiness/pupils', requireRole('admin', 'purchaser', 'principal', 'teacher'), async (c) => {
    const caller = c.get('caller');
    if (caller.role !== 'admin' && caller.role !== 'teacher') throw new ApiError(403, 'forbidden', NOT_FOR_LIST);
    const q = await parseQuery(ctx.storage, c, 'sign-in-readiness/pupils');
    refuseUnused(q);
    if (q.school?.length) throw new ApiError(400, 'bad_request', 'invalid parameters: school: the list is of one class: give group', [{ field: 'school', reason: 'not applicable' }]);
    if (q.group?.length !== 1) throw new ApiError(400, 'bad_request', 'invalid parameters: group: give exactly one class', [{ field: 'group', reason: q.group?.length ? 'more than one group' : 'required' }]);
    const group = q.group[0];
    if (caller.role === 'teacher' && !caller.groups.includes(group)) throw new ApiError(403, 'forbidden', `group: ${group} is not one of your groups; ${NOT_FOR_LIST}`, { field: 'group' });
    const w = dayAndWindow(q);
    const rows = await notSignedInPupils(ctx.storage, { date: w.date, days: w.days, tested, group });
    c.set('auditRows', rows.length);
    return answerRows(c, q, {
      name: 'sign-in-readiness-pupils', rows: rows as unknown as Record<string, unknown>[], timeZone: ctx.config.timeZone,
      extra: { params: { ...w, group } },
    });
  });
  return app;
}
