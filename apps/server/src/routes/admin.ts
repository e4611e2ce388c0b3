import { Hono } from 'hono';
import { z } from 'zod';
import {
  ApiError, describeIssues, followupInput, isIsoDate, issuesText, licenceInput, productInput, todayInZone, tokenInput,
  type LicenceInput, type ProductInput,
} from '@licenskoll/core';
import { importSs12000 } from '@licenskoll/roster';
import {
  addFollowup, addIdentifiers, deleteLicence, getLicences, listFollowups, listProducts, upsertLicences, upsertProducts,
} from '@licenskoll/licensing';
import { requireRole } from '../auth.ts';
import type { AppContext, Env } from '../context.ts';
import { issueToken, listTokens, revokeToken, type TokenResolver } from '../tokens.ts';

async function jsonBody(req: { text(): Promise<string> }): Promise<unknown> {
  const text = await req.text();
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, 'malformed_json', `body is not valid JSON: ${(e as Error).message}`);
  }
}

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

  app.post('/import/ss12000', admin, async (c) => {
    const asOf = c.req.query('asOf') ?? today();
    if (!isIsoDate(asOf)) throw new ApiError(400, 'bad_request', 'asOf: must be a date YYYY-MM-DD');
    const body = await jsonBody(c.req);
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new ApiError(400, 'bad_request', 'body: must be {"organisations"?, "persons"?, "groups"?, "duties"?}');
    }
    const known = ['organisations', 'persons', 'groups', 'duties'];
    const unknown = Object.keys(body).filter((k) => !known.includes(k));
    if (unknown.length === Object.keys(body).length) {
      throw new ApiError(400, 'bad_request', `body: none of organisations, persons, groups, duties given (got ${unknown.join(', ') || 'nothing'})`);
    }
    const result = await importSs12000({ storage: ctx.storage, pseudo: ctx.pseudo }, body, asOf);
    return c.json(result, 200);
  });

  app.get('/products', requireRole('admin', 'purchaser', 'principal', 'teacher'), async (c) => c.json({ rows: await listProducts(ctx.storage) }));
  app.post('/products', admin, async (c) => {
    const { ok, rejected } = validateMany<ProductInput>(await jsonBody(c.req), productInput, 'product');
    await upsertProducts(ctx.storage, ok);
    return c.json({ stored: ok.length, rejected }, 201);
  });
  app.post('/products/:id/identifiers', admin, async (c) => {
    const r = z.object({ identifiers: z.array(z.string().trim().min(1).max(512)).min(1) }).safeParse(await jsonBody(c.req));
    if (!r.success) throw new ApiError(400, 'bad_request', issuesText(r.error), describeIssues(r.error));
    const p = await addIdentifiers(ctx.storage, c.req.param('id'), r.data.identifiers);
    if (!p) throw new ApiError(404, 'not_found', `product ${c.req.param('id')} does not exist`);
    return c.json(p, 200);
  });

  app.get('/licences', requireRole('admin', 'purchaser'), async (c) => c.json({ rows: await getLicences(ctx.storage) }));
  app.get('/licences/:id', requireRole('admin', 'purchaser'), async (c) => {
    const [l] = await getLicences(ctx.storage, [c.req.param('id')]);
    if (!l) throw new ApiError(404, 'not_found', `licence ${c.req.param('id')} does not exist`);
    return c.json(l);
  });
  app.post('/licences', admin, async (c) => {
    const { ok, rejected } = validateMany<LicenceInput>(await jsonBody(c.req), licenceInput, 'licence');
    await upsertLicences(ctx.storage, ok);
    return c.json({ stored: ok.length, rejected }, 201);
  });
  app.put('/licences/:id', admin, async (c) => {
    const body = await jsonBody(c.req);
    const id = c.req.param('id');
    const r = licenceInput.safeParse({ ...(body as object), id });
    if (!r.success) throw new ApiError(400, 'invalid_licence', `invalid licence: ${issuesText(r.error)}`, describeIssues(r.error));
    await upsertLicences(ctx.storage, [r.data]);
    return c.json(r.data, 200);
  });
  app.delete('/licences/:id', admin, async (c) => {
    if (!(await deleteLicence(ctx.storage, c.req.param('id')))) throw new ApiError(404, 'not_found', `licence ${c.req.param('id')} does not exist`);
    return c.body(null, 204);
  });

  app.get('/tokens', admin, async (c) => c.json({ rows: await listTokens(ctx.storage) }));
  app.post('/tokens', admin, async (c) => {
    const r = tokenInput.safeParse(await jsonBody(c.req));
    if (!r.success) throw new ApiError(400, 'invalid_token', issuesText(r.error), describeIssues(r.error));
    if (r.data.role === 'principal' && !r.data.schools?.length) {
      throw new ApiError(400, 'invalid_token', 'schools: a principal token needs at least one school unit');
    }
    if (r.data.role === 'teacher' && !r.data.groups?.length) {
      throw new ApiError(400, 'invalid_token', 'groups: a teacher token needs at least one group');
    }
    const t = await issueToken(ctx.storage, r.data);
    return c.json(t, 201);
  });
  app.delete('/tokens/:id', admin, async (c) => {
    if (!(await revokeToken(ctx.storage, c.req.param('id')))) throw new ApiError(404, 'not_found', 'no such token');
    tokens.invalidate();
    return c.body(null, 204);
  });

  app.get('/followups', requireRole('admin', 'purchaser'), async (c) => c.json({ rows: await listFollowups(ctx.storage, c.req.query('licence')) }));
  app.post('/followups', requireRole('admin', 'purchaser'), async (c) => {
    const r = followupInput.safeParse(await jsonBody(c.req));
    if (!r.success) throw new ApiError(400, 'invalid_followup', issuesText(r.error), describeIssues(r.error));
    const [l] = await getLicences(ctx.storage, [r.data.licence], ctx.storage.write);
    if (!l) throw new ApiError(404, 'not_found', `licence: ${r.data.licence} does not exist`);
    const caller = c.get('caller');
    return c.json(await addFollowup(ctx.storage, r.data, `${caller.name} (${caller.role})`), 201);
  });
  return app;
}
