import { Hono } from 'hono';
import { ApiError } from '@licenskoll/core';
import { groupUnits, outside, reachUnits, scopeFor } from '@licenskoll/reports';
import { listGroups, listOrganisations, unresolvedInStore } from '@licenskoll/roster';
import { requireRole } from '../auth/auth.ts';
import { signInBase } from '../auth/oidc/sign-in-settings.ts';
import type { AppContext, Env } from '../context.ts';
import { answerRows, parseFormat } from '../http/answer-format.ts';

/** Roster lookups the dashboard's filters need, within the caller's reach; names of units and groups are not personal data. */
export function rosterRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  app.get('/me', (c) => {
    const { role, name, schools, groups } = c.get('caller');
    const auth = c.get('auth');
    return c.json({
      role, name, schools, groups,
      ...(ctx.organiser ? { organiser: { id: ctx.organiser.id, name: ctx.organiser.name } } : {}),
      via: auth?.via ?? 'token',
      ...(auth?.session ? { expires: auth.session.expires, csrfToken: auth.csrfToken, logout: `${signInBase(ctx.organiser)}/logout` } : {}),
    });
  });
  app.get('/organisations', requireRole('admin', 'purchaser', 'principal', 'teacher'), async (c) => {
    const choice = parseFormat(c);
    const caller = c.get('caller');
    let only: string[] | null = null;
    if (caller.role === 'principal') only = [...(await reachUnits(ctx.storage, caller.schools))];
    if (caller.role === 'teacher') only = [...new Set((await groupUnits(ctx.storage, caller.groups)).values())];
    const rows = await listOrganisations(ctx.storage, only);
    return answerRows(c, choice, { name: 'organisations', rows, timeZone: ctx.config.timeZone });
  });
  // The data-quality view: stored rows that name an organisation or person the roster lacks.
  app.get('/roster/unresolved', requireRole('admin', 'purchaser'), async (c) => {
    const choice = parseFormat(c);
    const rows = await unresolvedInStore(ctx.storage);
    return answerRows(c, choice, { name: 'unresolved-references', rows, timeZone: ctx.config.timeZone });
  });
  app.get('/groups', requireRole('admin', 'purchaser', 'principal', 'teacher'), async (c) => {
    const choice = parseFormat(c);
    const caller = c.get('caller');
    const school = c.req.query('school') ?? '';
    if (school.length > 200 || /[\u0000-\u001f]/.test(school)) throw new ApiError(400, 'bad_request', 'invalid parameters: school: at most 200 characters, no control characters');
    let units: string[] | null = null;
    if (school) {
      // An unknown unit is a wrong question (400), not a school without groups (issue 19).
      if (caller.role === 'admin' || caller.role === 'purchaser') await scopeFor(ctx.storage, caller, { school: [school] });
      units = [...(await reachUnits(ctx.storage, [school]))];
      // An unknown school is a wrong question, as in the reports (scopeFor): not a school without groups.
      if (!units.length && (caller.role === 'admin' || caller.role === 'purchaser')) {
        throw new ApiError(400, 'bad_request', `invalid parameters: school: ${school.slice(0, 50)} is not a known organisation or school unit`, [{ field: 'school', reason: 'unknown organisation' }]);
      }
      if (caller.role === 'principal') {
        const mine = await reachUnits(ctx.storage, caller.schools);
        if (!units.length || units.some((u) => !mine.has(u))) throw outside('school', [school], 'your school units');
      }
    } else if (caller.role === 'principal') {
      units = [...(await reachUnits(ctx.storage, caller.schools))];
    }
    const onlyGroups = caller.role === 'teacher' ? caller.groups : null;
    const rows = await listGroups(ctx.storage, { units, groups: onlyGroups });
    if (caller.role === 'teacher' && school && rows.length === 0) throw outside('school', [school], 'the school units of your groups');
    return answerRows(c, choice, { name: 'groups', rows, timeZone: ctx.config.timeZone });
  });
  return app;
}
