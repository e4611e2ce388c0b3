import { Hono, type Context } from 'hono';
import { z } from 'zod';
import {
  ApiError, describeIssues, followupInput, forvaltningInput, isIsoDate, issuesText, productInput, targetInput, todayInZone, tokenInput,
  type LicenceInput, type ProductInput, type Target,
} from '@licenskoll/core';
import { importFromPage, importSs12000, unresolvedPolicy, type Ss12000Import } from '@licenskoll/roster';
import {
  addFollowup, addIdentifiers, deleteLicence, getLicences, listBuyers, listFollowups, listProducts, setBuyerForvaltning, setLicenceForvaltning,
  setLicenceTarget, setProductTarget, takeRegionVersion, upsertLicences, upsertProducts,
} from '@licenskoll/licensing';
import { targetWarning } from '@licenskoll/reports';
import { requireRole } from '../auth/auth.ts';
import { groupUnits, licencesOf, reachUnits, unitsUnder } from '@licenskoll/reports';
import type { AppContext, Caller, Env } from '../context.ts';
import { issueToken, listTokens, revokeToken, type TokenResolver } from '../auth/tokens.ts';
import { answerRows, parseFormat } from '../http/answer-format.ts';
import { checked, jsonBody, validBody } from '../http/validation.ts';
import { callOffInput } from './agreements.ts';

/**
 * One object or an array: the valid items are stored, each invalid one is named by index,
 * field and reason. Nothing valid at all is a 400.
 */
function validateMany<T>(body: unknown, schema: z.ZodType<T>, what: string) {
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0) throw new ApiError(400, 'empty_body', `body: send a ${what} or an array of them`);
  const ok: T[] = [];
  const rejected: { index: number; id?: unknown; error: string; fields: { field: string; reason: string }[] }[] = [];
  items.forEach((item, index) => {
    const r = schema.safeParse(item);
    if (r.success) ok.push(r.data);
    else rejected.push({ index, id: (item as { id?: unknown })?.id, error: issuesText(r.error), fields: describeIssues(r.error) });
  });
  if (ok.length === 0) {
    const first = rejected[0];
    throw new ApiError(400, `invalid_${what}`, `invalid ${what}${items.length > 1 ? ` at index ${first.index}` : ''}: ${first.error}`, { rejected });
  }
  return { ok, rejected };
}

export function adminRoutes(ctx: AppContext, tokens: TokenResolver) {
  const app = new Hono<Env>();
  const admin = requireRole('admin');
  const today = () => ctx.today ?? todayInZone(ctx.config.timeZone);
  /** A list in the format asked for; an unknown format is refused before anything is read. */
  const list = async (c: Context<Env>, name: string, rows: () => Promise<object[]>) => {
    const choice = parseFormat(c);
    const got = await rows();
    c.set('auditRows', got.length);
    return answerRows(c, choice, { name, rows: got as Record<string, unknown>[], timeZone: ctx.config.timeZone });
  };

  app.post('/import/ss12000', admin, async (c) => {
    const asOf = c.req.query('asOf') ?? today();
    if (!isIsoDate(asOf)) throw new ApiError(400, 'bad_request', 'asOf: must be a date YYYY-MM-DD');
    let body = await jsonBody(c);
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new ApiError(400, 'bad_request', 'body: must be {"organisations"?, "persons"?, "groups"?, "duties"?}');
    }
    // A saved SS12000 page ({"data": [...], "pageToken"}) is taken as it is.
    body = importFromPage(body as Record<string, unknown>) ?? body;
    const known = ['organisations', 'persons', 'groups', 'duties', 'activities'];
    const unknown = Object.keys(body as object).filter((k) => !known.includes(k));
    if (unknown.length === Object.keys(body as object).length) {
      throw new ApiError(400, 'bad_request', `body: none of organisations, persons, groups, duties given (got ${unknown.join(', ') || 'nothing'})`);
    }
    const unresolved = unresolvedPolicy(c.req.query('unresolved'), c.req.query('strict'));
    const result = await importSs12000({ storage: ctx.storage, pseudo: ctx.pseudo }, body as Ss12000Import, asOf, { unresolved });
    return c.json(result, 200);
  });

  app.get('/products', requireRole('admin', 'purchaser', 'principal', 'teacher'), (c) => list(c, 'products', () => listProducts(ctx.storage)));
  app.post('/products', admin, async (c) => {
    const { ok, rejected } = validateMany<ProductInput>(await jsonBody(c), productInput, 'product');
    await upsertProducts(ctx.storage, ok);
    return c.json({ stored: ok.length, rejected }, 201);
  });
  app.post('/products/:id/identifiers', admin, async (c) => {
    const { identifiers } = await validBody(c, z.object({ identifiers: z.array(z.string().trim().min(1).max(512)).min(1) }));
    const p = await addIdentifiers(ctx.storage, c.req.param('id'), identifiers);
    if (!p) throw new ApiError(404, 'not_found', `product ${c.req.param('id')} does not exist`);
    return c.json(p, 200);
  });

  /**
   * A target (målgrupp) is set by admins and purchasers (they decide what a purchase is for):
   * the body is the whole target, `{}` clears it. The audit log keeps the old and the new one.
   */
  const targetBody = async (c: Context<Env>): Promise<Target> => {
    const r = targetInput.safeParse(await jsonBody(c));
    if (!r.success) throw new ApiError(400, 'invalid_target', `invalid target: ${issuesText(r.error)}`, describeIssues(r.error, 'target'));
    return r.data;
  };
  /** Reads the item as stored, changes it, and audits the old value beside the new; 404 when there is none. */
  const change = async <T>(c: Context<Env>, what: 'product' | 'licence', read: (ids: string[]) => Promise<T[]>, write: (id: string) => Promise<T | undefined>, audit: (before: T) => Record<string, unknown>): Promise<T> => {
    const id = c.req.param('id') ?? '';
    const [before] = await read([id]);
    const after = before && (await write(id));
    if (!after) throw new ApiError(404, 'not_found', `${what} ${id.slice(0, 100)} does not exist`);
    c.set('auditParams', { [what]: id, ...audit(before) });
    return after;
  };
  const products = (ids: string[]) => listProducts(ctx.storage, ids, ctx.storage.write);
  const licences = (ids: string[]) => getLicences(ctx.storage, ids, ctx.storage.write);
  app.put('/products/:id/target', requireRole('admin', 'purchaser'), async (c) => {
    const target = await targetBody(c);
    return c.json(await change(c, 'product', products, (id) => setProductTarget(ctx.storage, id, target), (b) => ({ before: b.target, target })), 200);
  });
  /**
   * Drops the organiser's override of a product of the region's catalogue, so that it inherits
   * the region's version again (docs/tenants.md, "Shared catalogue"). Audited with what it was.
   */
  app.delete('/products/:id/override', requireRole('admin', 'purchaser'), async (c) => {
    const id = c.req.param('id');
    const [before] = await products([id]);
    if (!before) throw new ApiError(404, 'not_found', `product ${id.slice(0, 100)} does not exist`);
    if (before.origin !== 'local') throw new ApiError(409, 'conflict', `product ${id.slice(0, 100)} is the region's: there is no override to drop`);
    const [regional] = ((await ctx.regionCatalogue?.()) ?? []).filter((p) => p.id === id);
    if (!regional) throw new ApiError(409, 'conflict', `product ${id.slice(0, 100)} is this organiser's own: the region's catalogue has no product of that id`);
    await takeRegionVersion(ctx.storage, regional);
    const { origin: _o, ...was } = before;
    c.set('auditParams', { product: id, before: was });
    return c.json({ ...regional, origin: 'region' }, 200);
  });
  app.put('/licences/:id/target', requireRole('admin', 'purchaser'), async (c) => {
    const target = await targetBody(c);
    const l = await change(c, 'licence', licences, (id) => setLicenceTarget(ctx.storage, id, target), (b) => ({ before: b.target, target }));
    const warning = await targetWarning(ctx.storage, l);
    return c.json({ ...l, ...(warning ? { warning } : {}) }, 200);
  });

  /**
   * Förvaltning (administration) of a licence or a buyer, set by admins and purchasers, like a
   * target: `{"forvaltning": "Grundskoleförvaltningen"}`, '' clears it. Audited with the old value.
   */
  const forvaltningBody = async (c: Context<Env>): Promise<string> => {
    return checked(forvaltningInput, await jsonBody(c), { code: 'invalid_forvaltning', what: 'förvaltning' }).forvaltning;
  };
  app.put('/licences/:id/forvaltning', requireRole('admin', 'purchaser'), async (c) => {
    const forvaltning = await forvaltningBody(c);
    return c.json(await change(c, 'licence', licences, (id) => setLicenceForvaltning(ctx.storage, id, forvaltning), (b) => ({ before: b.forvaltning, forvaltning })), 200);
  });
  app.get('/buyers', requireRole('admin', 'purchaser'), (c) => list(c, 'buyer-list', () => listBuyers(ctx.storage)));
  app.put('/buyers/:buyer/forvaltning', requireRole('admin', 'purchaser'), async (c) => {
    const forvaltning = await forvaltningBody(c);
    const buyer = c.req.param('buyer').trim();
    if (!buyer || buyer.length > 300 || /[\u0000-\u001f\u007f]/.test(buyer)) {
      throw new ApiError(400, 'bad_request', 'invalid parameters: buyer: 1 to 300 characters, no control characters', [{ field: 'buyer', reason: '1 to 300 characters, no control characters' }]);
    }
    const before = (await listBuyers(ctx.storage, ctx.storage.write)).find((b) => b.buyer === buyer);
    c.set('auditParams', { buyer, before: before?.forvaltning ?? '', forvaltning });
    return c.json(await setBuyerForvaltning(ctx.storage, buyer, forvaltning), 200);
  });

  // Licences: purchasers and admins see all; a principal those within or touching their school units.
  app.get('/licences', requireRole('admin', 'purchaser', 'principal'), (c) => list(c, 'licence-list', async () => {
    const caller = c.get('caller');
    const rows = caller.role === 'principal'
      ? (await licencesOf(ctx.storage, await reachUnits(ctx.storage, caller.schools))).visible
      : await getLicences(ctx.storage);
    return rows;
  }));
  app.get('/licences/:id', requireRole('admin', 'purchaser', 'principal'), async (c) => {
    const id = c.req.param('id');
    const [l] = await getLicences(ctx.storage, [id]);
    if (!l) throw new ApiError(404, 'not_found', `licence ${id.slice(0, 100)} does not exist`);
    const caller = c.get('caller');
    if (caller.role === 'principal') {
      const { visible } = await licencesOf(ctx.storage, await reachUnits(ctx.storage, caller.schools));
      if (!visible.some((v) => v.id === l.id)) throw new ApiError(403, 'forbidden', `licence ${l.id} is outside your school units`);
    }
    return c.json(l);
  });
  app.post('/licences', admin, async (c) => {
    const body = await jsonBody(c);
    const { ok, rejected } = validateMany<LicenceInput>(body, await callOffInput(ctx, body), 'licence');
    await upsertLicences(ctx.storage, ok);
    return c.json({ stored: ok.length, rejected }, 201);
  });
  app.put('/licences/:id', admin, async (c) => {
    const body = { ...(await jsonBody(c) as object), id: c.req.param('id') };
    const licence = checked(await callOffInput(ctx, body), body, { code: 'invalid_licence', what: 'licence' });
    await upsertLicences(ctx.storage, [licence]);
    return c.json(licence, 200);
  });
  app.delete('/licences/:id', admin, async (c) => {
    if (!(await deleteLicence(ctx.storage, c.req.param('id')))) throw new ApiError(404, 'not_found', `licence ${c.req.param('id')} does not exist`);
    return c.body(null, 204);
  });

  app.get('/tokens', admin, (c) => list(c, 'tokens', async () => {
    const now = today();
    return (await listTokens(ctx.storage)).map((t) => ({
      ...t, status: t.revoked ? 'revoked' : t.expires && t.expires < now ? 'expired' : 'active',
    }));
  }));
  app.post('/tokens', admin, async (c) => {
    const t = checked(tokenInput, await jsonBody(c), { code: 'invalid_token', what: 'token' });
    const bad = (field: string, reason: string) => new ApiError(400, 'invalid_token', `${field}: ${reason}`, [{ field, reason }]);
    if (t.role === 'principal' && !t.schools?.length) throw bad('schools', 'a principal token needs at least one school unit');
    if (t.role === 'teacher' && !t.groups?.length) throw bad('groups', 'a teacher token needs at least one group');
    if (t.role !== 'principal' && t.schools?.length) throw bad('schools', `only a principal token has school units (a ${t.role} token ${t.role === 'teacher' ? 'has groups' : 'sees everything its role allows'})`);
    if (t.role !== 'teacher' && t.groups?.length) throw bad('groups', 'only a teacher token has groups');
    if (t.expires && t.expires < today()) throw bad('expires', 'must not be in the past');
    // A scope naming nothing that exists would answer with empty reports that look real.
    if (t.schools?.length) {
      const under = await unitsUnder(ctx.storage, t.schools);
      const unknown = t.schools.filter((s) => !under.get(s)?.length);
      if (unknown.length) throw bad('schools', `${unknown.slice(0, 5).join(', ')} is not a known organisation or school unit (import the roster first)`);
    }
    if (t.groups?.length) {
      const known = await groupUnits(ctx.storage, t.groups);
      const unknown = t.groups.filter((g) => !known.has(g));
      if (unknown.length) throw bad('groups', `${unknown.slice(0, 5).join(', ')} is not a known group (import the roster first)`);
    }
    const issued = await issueToken(ctx.storage, t, ctx.organiser);
    return c.json({ ...issued, name: t.name, role: t.role, schools: t.schools ?? [], groups: t.groups ?? [], expires: t.expires ?? null }, 201);
  });
  app.delete('/tokens/:id', admin, async (c) => {
    if (!(await revokeToken(ctx.storage, c.req.param('id')))) throw new ApiError(404, 'not_found', 'no such token');
    tokens.invalidate();
    return c.body(null, 204);
  });

  // Follow-ups: purchasers and admins on every licence; a principal on the licences within their
  // school units (their school's own purchases), never on an organisation-wide or another school's licence.
  const ownLicences = async (caller: Caller) => (await licencesOf(ctx.storage, await reachUnits(ctx.storage, caller.schools))).own;
  app.get('/followups', requireRole('admin', 'purchaser', 'principal'), (c) => list(c, 'followups', async () => {
    const caller = c.get('caller');
    const licence = c.req.query('licence');
    if (licence !== undefined && (licence.length > 100 || /[\u0000-\u001f]/.test(licence))) {
      throw new ApiError(400, 'bad_request', 'invalid parameters: licence: at most 100 characters, no control characters');
    }
    let rows;
    if (caller.role === 'principal') {
      const own = await ownLicences(caller);
      if (licence && !own.has(licence)) throw new ApiError(403, 'forbidden', `licence ${licence} is not one of your school units' own licences`);
      rows = own.size ? await listFollowups(ctx.storage, licence, [...own]) : [];
    } else {
      // An unknown licence is a wrong question, not a licence without follow-ups (issue 19).
      if (licence && !(await getLicences(ctx.storage, [licence])).length) {
        throw new ApiError(400, 'bad_request', `invalid parameters: licence: ${JSON.stringify(licence)} is not a known licence`, [{ field: 'licence', reason: `${JSON.stringify(licence)} is not a known licence` }]);
      }
      rows = await listFollowups(ctx.storage, licence);
    }
    return rows;
  }));
  app.post('/followups', requireRole('admin', 'purchaser', 'principal'), async (c) => {
    const followup = checked(followupInput, await jsonBody(c), { code: 'invalid_followup', what: 'follow-up' });
    const [l] = await getLicences(ctx.storage, [followup.licence], ctx.storage.write);
    if (!l) throw new ApiError(404, 'not_found', `licence: ${followup.licence} does not exist`);
    const caller = c.get('caller');
    if (caller.role === 'principal' && !(await ownLicences(caller)).has(l.id)) {
      throw new ApiError(403, 'forbidden', `licence ${l.id} is not one of your school units' own licences: its buyer follows it up`);
    }
    c.set('auditParams', { licence: l.id, status: followup.status });
    return c.json(await addFollowup(ctx.storage, followup, `${caller.name} (${caller.role})`), 201);
  });
  return app;
}
