import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { ApiError, todayInZone } from '@licenskoll/core';
import { agreementReport, callOffCounts } from '@licenskoll/reports';
import { validBody } from '../http/validation.ts';
import { agreementChange, agreementInput, listAgreements, storeAgreement, type Agreement } from './agreement-registry.ts';
import type { Organisers } from './organisers.ts';
import type { RegionEnv } from './region-tokens.ts';

/**
 * Joint procurements (docs/tenants.md, docs/figures.md figure 27): the region admin records a
 * framework agreement and who takes part in it; each participant's call-offs are licences in
 * its own database naming the agreement. The report sums them per organiser, from counts each
 * organiser's storage gives (call-offs.ts), blanked by the small-group rule: no licence, unit or
 * person of an organiser is in any answer here.
 */
export function agreementRoutes(reg: () => Organisers, roles: { readers: MiddlewareHandler<RegionEnv>; admins: MiddlewareHandler<RegionEnv> }): Hono<RegionEnv> {
  const app = new Hono<RegionEnv>();

  /** Participants once each, every one of them a registered organiser: 400 naming `organisers` otherwise. */
  const participants = async (ids: string[]): Promise<string[]> => {
    const known = new Set((await reg().list()).map((o) => o.id));
    const unknown = [...new Set(ids)].filter((id) => !known.has(id));
    if (unknown.length) {
      const reason = `${unknown.slice(0, 5).map((u) => JSON.stringify(u.slice(0, 40))).join(', ')} is not an organiser of this region`;
      throw new ApiError(400, 'invalid_agreement', `invalid agreement: organisers: ${reason}`, [{ field: 'organisers', reason }]);
    }
    return [...new Set(ids)];
  };
  const one = async (c: Context): Promise<Agreement> => {
    const id = c.req.param('id') ?? '';
    const [a] = await listAgreements(reg().region, { id });
    if (!a) throw new ApiError(404, 'not_found', `no agreement ${id.slice(0, 100)}`);
    return a;
  };

  app.get('/agreements', roles.readers, async (c) => c.json({ rows: await listAgreements(reg().region) }));
  app.post('/agreements', roles.admins, async (c) => {
    const input = await validBody(c, agreementInput, 'invalid_agreement');
    const organisers = await participants(input.organisers);
    if ((await listAgreements(reg().region, { id: input.id })).length) {
      throw new ApiError(409, 'conflict', `an agreement with id ${input.id} exists`, [{ field: 'id', reason: 'is taken' }]);
    }
    const a: Agreement = { ...input, organisers, created: new Date().toISOString().slice(0, 19) + 'Z' };
    await storeAgreement(reg().region, a);
    return c.json(a, 201);
  });
  // The terms and participants replaced whole: an organiser left out can no longer write call-offs of it.
  app.put('/agreements/:id', roles.admins, async (c) => {
    const before = await one(c);
    const input = await validBody(c, agreementChange, 'invalid_agreement');
    const a: Agreement = { ...input, id: before.id, organisers: await participants(input.organisers), created: before.created };
    await storeAgreement(reg().region, a);
    return c.json(a, 200);
  });
  // Figure 27: each participant counted in its own storage, as of its own today in its own time zone.
  app.get('/agreements/:id', roles.readers, async (c) => {
    const a = await one(c);
    const counted = [];
    for (const id of a.organisers) {
      const rt = reg().get(id);
      if (!rt) continue;
      await rt.ctx.ingest.caughtUp(5_000);
      const asOf = rt.ctx.today ?? todayInZone(rt.ctx.config.timeZone);
      counted.push({ organiser: { id: rt.organiser.id, name: rt.organiser.name }, asOf, ...(await callOffCounts(rt.ctx.storage, a, asOf)) });
    }
    return c.json(agreementReport(a, counted));
  });
  return app;
}
