import { Hono } from 'hono';
import { z } from 'zod';
import { ApiError, isoDate } from '@licenskoll/core';
import { StorageUnavailable } from '@licenskoll/ingest';
import { ErasureIncomplete, eraseSubject, exportSubject, listErasures, recordErasure, resolveSubject } from '@licenskoll/privacy';
import { access } from '../auth/access.ts';
import { readAudit } from '../auth/audit.ts';
import { requireRole } from '../auth/auth.ts';
import type { AppContext, Env } from '../context.ts';
import { answerRows, formatFields, parseFormat } from '../http/answer-format.ts';
import { log } from '../log.ts';
import { validBody, validQuery } from '../http/validation.ts';

/**
 * The data subject's rights (GDPR art. 15 and 17) and the audit log, for administrators; the
 * lookups, the export and the erasure are packages/privacy's.
 * The identifier is sent in a POST body, never in a URL (URLs end up in proxy logs), and is
 * normalised and pseudonymised like every identifier before anything is looked up: the raw
 * value reaches neither storage, nor a log line, nor the audit log (which records the pseudonym).
 */

const subjectInput = z.strictObject({
  identifier: z.string().trim().min(1, 'must not be empty').max(512, 'must be at most 512 characters'),
});
const eraseInput = subjectInput.extend({
  confirm: z.literal(true, { message: 'must be true: erasure cannot be undone' }),
});

const auditQuery = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
  actor: z.string().max(200).refine((s) => !/[\u0000-\u001f]/.test(s), 'must not contain control characters').optional(),
  action: z.string().max(100).regex(/^[a-z0-9.-]*$/, 'is an action such as report.class-usage or export').optional(),
  limit: z.coerce.number().int('must be a whole number').min(1).max(100_000).optional(),
  ...formatFields,
}, { message: 'is not a parameter of the audit log' });

/** How long an erasure waits for the ingest journal before it refuses: it must not miss events accepted before it. */
const ERASE_WAITS_FOR_INGEST_MS = 60_000;

export function privacyRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  const admin = requireRole('admin');

  app.post('/privacy/access', admin, async (c) => {
    const { identifier } = await validBody(c, subjectInput);
    const s = await resolveSubject(ctx.storage, ctx.pseudo.user(identifier));
    c.set('auditParams', { pseudonym: s.identKey, person: s.personKey || null });
    const out = await exportSubject(ctx.storage, s, ctx.config.timeZone);
    c.set('auditRows', Object.values(out.stored).reduce((a, v) => a + v.length, 0));
    return c.json({ generatedAt: new Date().toISOString(), ...out });
  });

  app.post('/privacy/erase', admin, async (c) => {
    const { identifier } = await validBody(c, eraseInput);
    // Events accepted before the request and not yet stored would be stored after the erasure
    // (and a pending insert completed then would bring its rows back): all of them first.
    if (!(await ctx.ingest.caughtUp(ERASE_WAITS_FOR_INGEST_MS))) {
      throw new StorageUnavailable('events accepted before this request are not all stored yet (storage is failing or far behind): nothing was erased, retry later', 30);
    }
    const s = await resolveSubject(ctx.storage, ctx.pseudo.user(identifier));
    c.set('auditParams', { pseudonym: s.identKey, person: s.personKey || null });
    let counts;
    try {
      counts = await eraseSubject(ctx.storage, s);
    } catch (e) {
      if (!(e instanceof ErasureIncomplete)) throw e;
      log.error('erasure stopped part-way', { erased: e.erased, remaining: e.remaining, error: e.message });
      throw new ApiError(503, 'erasure_incomplete', 'storage failed during the erasure: some tables are erased, the rest not yet. Nothing was recorded as erased; send the same request again to finish it', {
        erased: e.erased, remaining: e.remaining,
      }, { 'Retry-After': '30' });
    }
    const total = Object.values(counts).reduce((a, n) => a + n, 0);
    if (total === 0) throw new ApiError(404, 'not_found', 'nothing is stored under this identifier (after normalising: e-mail-like identifiers and UUIDs ignore case)');
    const at = new Date();
    await recordErasure(ctx.storage, c.get('caller'), s, counts, at);
    access(ctx).sessions.invalidate();
    c.set('auditRows', total);
    return c.json({ erased: true, at: at.toISOString(), person: s.personKey || null, pseudonyms: s.userKeys, counts });
  });

  app.get('/privacy/erasures', admin, async (c) => {
    const choice = parseFormat(c);
    const rows = await listErasures(ctx.storage);
    c.set('auditRows', rows.length);
    return answerRows(c, choice, { name: 'erasures', rows, timeZone: ctx.config.timeZone });
  });

  app.get('/audit', admin, async (c) => {
    const q = validQuery(c, auditQuery);
    const rows = await readAudit(ctx.storage, { from: q.from, to: q.to, actor: q.actor, action: q.action, limit: q.limit ?? 1000 });
    c.set('auditRows', rows.length);
    return answerRows(c, q, {
      name: 'audit', rows, timeZone: ctx.config.timeZone,
      fileRows: rows.map((x) => ({ ...x, params: JSON.stringify(x.params) })),
      extra: { params: { from: q.from ?? null, to: q.to ?? null, actor: q.actor ?? null, action: q.action ?? null, limit: q.limit ?? 1000 } },
    });
  });
  return app;
}
