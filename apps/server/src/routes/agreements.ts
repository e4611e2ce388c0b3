import { Hono } from 'hono';
import type { z } from 'zod';
import { licenceInput, type LicenceInput } from '@licenskoll/core';
import { NOT_AN_AGREEMENT } from '@licenskoll/importers';
import { requireRole } from '../auth/auth.ts';
import type { AppContext, Env } from '../context.ts';
import { answerRows, parseFormat } from '../http/answer-format.ts';

/**
 * The organiser's side of joint procurements (figure 27): the region's framework agreements it
 * takes part in, and the check that a licence names only one of those as its agreement. An
 * agreement that does not exist and one of other organisers are refused with the same words,
 * so that no organiser learns of agreements it is not in.
 */

/** The ids of the agreements this organiser takes part in; none without a region. */
export async function knownAgreements(ctx: AppContext): Promise<Set<string>> {
  return new Set(((await ctx.agreements?.()) ?? []).map((a) => a.id));
}

const namesAgreement = (item: unknown) => {
  const a = item && typeof item === 'object' ? (item as { agreement?: unknown }).agreement : undefined;
  return typeof a === 'string' && a.trim() !== '';
};

/**
 * The licence schema for a write of `body` (one licence or an array): an agreement named must be
 * one of this organiser's, refused at `agreement` otherwise. The region is asked only when one is named.
 */
export async function callOffInput(ctx: AppContext, body: unknown): Promise<z.ZodType<LicenceInput>> {
  if (!(Array.isArray(body) ? body : [body]).some(namesAgreement)) return licenceInput;
  const known = await knownAgreements(ctx);
  return licenceInput.refine((l) => !l.agreement || known.has(l.agreement), { message: NOT_AN_AGREEMENT, path: ['agreement'] });
}

export function agreementRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  // Those who keep the licences see what they may be call-offs of.
  app.get('/agreements', requireRole('admin', 'purchaser'), async (c) => {
    const choice = parseFormat(c);
    const rows = (await ctx.agreements?.()) ?? [];
    return answerRows(c, choice, { name: 'agreements', rows: rows as unknown as Record<string, unknown>[], timeZone: ctx.config.timeZone });
  });
  return app;
}
