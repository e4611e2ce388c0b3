import { validQuery } from '../http/validation.ts';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ApiError, describeIssues, isoDate, issuesText } from '@licenskoll/core';
import { requireRole } from '../auth/auth.ts';
import type { AppContext, Env } from '../context.ts';
import { langOf } from '../http/answer-format.ts';
import { buildRenewalPack, renewalPackFigures, visibleBuyers } from '../renewal-pack/index.ts';

const PACK_FORMATS = ['json', 'pdf', 'xlsx'] as const;
const quoted = (v: unknown) => JSON.stringify(String(v)).slice(0, 60);
const text = (max: number) => z.string().max(max, `at most ${max} characters`).refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');
const list = text(10_000).transform((s) => [...new Set(s.split(',').map((x) => x.trim()).filter(Boolean))]);

const packQuery = z.strictObject({
  buyer: text(200).refine((s) => s.trim() !== '', 'must not be empty (leave it out for every buyer)').optional(),
  within: z.coerce.number().int('must be a whole number').min(0, 'must not be negative').max(3660).optional(),
  asOf: isoDate.optional(),
  headroom: z.coerce.number().min(0, 'must not be negative').max(10).optional(),
  days: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(3660).optional(),
  threshold: z.coerce.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').optional(),
  product: list.optional(),
  school: list.optional(),
  format: z.enum(PACK_FORMATS, { error: (i) => `must be one of ${PACK_FORMATS.join(', ')} (got ${quoted(i.input)})` }).optional(),
  lang: z.enum(['sv', 'en'], { error: (i) => `must be sv or en (got ${quoted(i.input)})` }).optional(),
}, { message: 'is not a parameter of the renewal pack' });
/** Whom a pack can be asked for: only `school` narrows it, so nothing else is taken silently. */
const buyersQuery = z.strictObject({ school: list.optional() });

function parse<S extends typeof packQuery | typeof buyersQuery>(c: Context, schema: S): z.infer<S> {
  const unknown = Object.keys(c.req.queries()).filter((k) => !(k in schema.shape));
  if (unknown.length) {
    const names = unknown.slice(0, 5).map((k) => k.slice(0, 50));
    throw new ApiError(400, 'bad_request', `invalid parameters: ${names.join(', ')}: is not a parameter of the renewal pack`, names.map((field) => ({ field, reason: 'is not a parameter of the renewal pack' })));
  }
  return validQuery(c, schema) as z.infer<S>;
}

/**
 * `GET /v1/reports/renewal-pack`: the renewal pack of one buyer (`buyer=`) or of all, as PDF,
 * XLSX or its figures as JSON; `/v1/reports/renewal-pack/buyers`: whom a pack can be asked for.
 * Roles and scopes as the reports: a principal's pack holds their units' figures.
 */
export function renewalPackRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  const money = requireRole('admin', 'purchaser', 'principal', 'teacher');
  const opts = () => ({ timeZone: ctx.config.timeZone, today: ctx.today });

  app.get('/renewal-pack/buyers', money, async (c) => {
    const caller = c.get('caller');
    if (caller.role === 'teacher') throw new ApiError(403, 'forbidden', 'renewal packs are about licences and money, for purchasers and principals');
    const { school } = parse(c, buyersQuery);
    const rows = (await visibleBuyers(ctx.storage, caller, school ?? [])).map((buyer) => ({ buyer }));
    c.set('auditRows', rows.length);
    return c.json({ rows });
  });

  app.get('/renewal-pack', money, async (c) => {
    const q = parse(c, packQuery);
    const caller = c.get('caller');
    if (q.format === undefined || q.format === 'json') {
      const figures = await renewalPackFigures(ctx.storage, caller, q, opts());
      c.set('auditRows', figures.renewals.length + figures.unused.length + figures.followups.length);
      return c.json(figures);
    }
    const lang = langOf(c, q.lang);
    const pack = await buildRenewalPack(ctx.storage, caller, { ...q, format: q.format, lang, ...opts() });
    c.set('auditRows', pack.figures.renewals.length + pack.figures.unused.length + pack.figures.followups.length);
    c.header('Content-Type', pack.contentType);
    c.header('Content-Disposition', `attachment; filename="${pack.fileName}"`);
    c.header('Content-Language', lang);
    return c.body(new Uint8Array(pack.body));
  });
  return app;
}
