import { Hono } from 'hono';
import { z } from 'zod';
import { ApiError, isoDate, todayInZone } from '@licenskoll/core';
import { queryRows } from '@licenskoll/storage';
import { licenceRows } from '@licenskoll/reports';
import { requireRole } from '../auth/auth.ts';
import type { AppContext, Env } from '../context.ts';
import { validBody } from '../http/validation.ts';

const request = z.object({
  clientId: z.string().max(200),
  serviceProviderId: z.string().max(200),
  fromDate: isoDate,
  toDate: isoDate.optional(),
  schools: z.array(z.object({ idSource: z.string().max(50), id: z.string().min(1).max(200) })).min(1).max(1000),
});

/**
 * BOL 1.1 `POST /v1/school-units/licenses` answered from Licenskoll's own figures, so that
 * licence portals that speak BOL can read measured use. Licenskoll assigns no licences to
 * users: `assignedLicenses` is the number of licensed active users in the period (each of
 * them holds a seat), `usedLicenses` the same measure, and `unassignedLicenses` the rest.
 * Licences scoped to the school unit or its groups count; organisation-wide ones share
 * their seats across schools and are left out. Articles are Licenskoll product ids.
 */
export function bolRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  app.post('/v1/school-units/licenses', requireRole('admin', 'purchaser'), async (c) => {
    const q = await validBody(c, request);
    const to = q.toDate ?? ctx.today ?? todayInZone(ctx.config.timeZone);
    const rows = await licenceRows(ctx.storage, { window: { from: q.fromDate, to }, asOf: to, products: [] });
    const live = rows.filter((l) => l.start <= to && l.end >= q.fromDate && l.scope.type !== 'organisation');
    const ids = q.schools.map((s) => s.id);
    const refs = await queryRows<{ school: string; ref: string }>(
      ctx.storage.read,
      `SELECT s.ref AS school, a.ref AS ref FROM (SELECT ref, unit FROM org_closure WHERE depth = 0 AND has({ids:Array(String)}, ref)) AS s
       INNER JOIN org_closure AS a ON a.unit = s.unit`,
      { ids },
    );
    // A school unit this organiser does not hold is a wrong question, not one without
    // licences: an empty answer would look real (and another organiser's school is unknown here).
    const unknown = ids.filter((i) => !refs.some((r) => r.school === i));
    if (unknown.length) {
      throw new ApiError(404, 'not_found', `schools: ${unknown.slice(0, 5).join(', ')} is not a known school unit`, unknown.slice(0, 20).map((i) => ({ field: 'schools', reason: `${i} is not a known school unit` })));
    }
    const groups = await queryRows<{ school: string; id: string }>(
      ctx.storage.read,
      `SELECT c.ref AS school, g.id AS id FROM (SELECT id, unit FROM groups FINAL) AS g
       INNER JOIN (SELECT ref, unit FROM org_closure WHERE depth = 0 AND has({ids:Array(String)}, ref)) AS c ON c.unit = g.unit`,
      { ids },
    );
    const schools = q.schools.map((s) => {
      const names = new Set([s.id, ...refs.filter((x) => x.school === s.id).map((x) => x.ref)]);
      const ownGroups = new Set(groups.filter((g) => g.school === s.id).map((g) => g.id));
      const byArticle = new Map<string, { articleNumber: string; articleName: string; totalLicenses: number; used: number }>();
      for (const l of live) {
        const reaches = l.scope.type === 'school' ? l.scope.ids.some((i) => names.has(i)) : l.scope.ids.some((i) => ownGroups.has(i));
        if (!reaches || l.seats === null) continue;
        const a = byArticle.get(l.product) ?? { articleNumber: l.product, articleName: l.productName, totalLicenses: 0, used: 0 };
        a.totalLicenses += l.seats;
        a.used += l.licensedActive;
        byArticle.set(l.product, a);
      }
      return {
        idSource: s.idSource,
        id: s.id,
        articles: [...byArticle.values()].map((a) => ({
          articleNumber: a.articleNumber,
          articleName: a.articleName,
          totalLicenses: a.totalLicenses,
          assignedLicenses: Math.min(a.used, a.totalLicenses),
          unassignedLicenses: Math.max(0, a.totalLicenses - a.used),
          usedLicenses: a.used,
        })),
      };
    });
    return c.json({ clientId: q.clientId, serviceProviderId: q.serviceProviderId, schools });
  });
  return app;
}
