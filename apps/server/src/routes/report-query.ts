import type { Context } from 'hono';
import { z } from 'zod';
import { ApiError, isoDate } from '@licenskoll/core';
import type { Storage } from '@licenskoll/storage';
import { formatFields } from '../http/answer-format.ts';
import { validQuery } from '../http/validation.ts';
import { checkKnownFilters } from './known-filters.ts';

/** A list parameter: comma-separated ids or codes; no control characters, bounded. Every report's, the flags' too. */
export const list = z
  .string()
  .max(10_000)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters')
  .transform((s) => [...new Set(s.split(',').map((x) => x.trim()).filter(Boolean))])
  .refine((a) => a.length <= 1000, 'at most 1000 values')
  .refine((a) => a.every((x) => x.length <= 200), 'each value at most 200 characters');

const oneName = (max: number) => z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(max, `must be at most ${max} characters`)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

/** Parameters only one report takes. */
const ONLY: Record<string, string> = { buyer: 'actions', forvaltning: 'actions', before: 'actions' };

/** The parameters every report takes (each report reads those it needs; an unknown one is a 400). */
const reportQuery = z
  .strictObject({
    from: isoDate.optional(),
    to: isoDate.optional(),
    asOf: isoDate.optional(),
    /** The reference day of sign-in readiness (figure 16). */
    date: isoDate.optional(),
    product: list.optional(),
    school: list.optional(),
    group: list.optional(),
    days: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(3660).optional(),
    within: z.coerce.number().int('must be a whole number').min(0, 'must not be negative').max(3660).optional(),
    threshold: z.coerce.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').optional(),
    headroom: z.coerce.number().min(0, 'must not be negative').max(10).optional(),
    // The action list's own filters (one buyer or förvaltning: a buyer's name may hold a comma).
    buyer: oneName(300).optional(),
    forvaltning: oneName(200).optional(),
    before: isoDate.optional(),
    ...formatFields,
  }, { message: 'is not a parameter of this report' })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] });
export type ReportQuery = z.infer<typeof reportQuery>;

const TAKES_GROUP = new Set(['class-usage', 'sign-in-readiness', 'sign-in-readiness/pupils']);

/** The report's parameters, with every product and group they name known (known-filters.ts). */
export async function parseQuery(storage: Storage, c: Context, report: string): Promise<ReportQuery> {
  // By name: zod's issue for an unknown key has no path, so it would read "(body)".
  const unknown = Object.keys(c.req.queries()).filter((k) => !(k in reportQuery.shape)).map((k) => k.slice(0, 50));
  if (unknown.length) {
    throw new ApiError(400, 'bad_request', `invalid parameters: ${unknown.slice(0, 5).join(', ')}: is not a parameter of this report`, unknown.slice(0, 20).map((field) => ({ field, reason: 'is not a parameter of this report' })));
  }
  const q = validQuery(c, reportQuery);
  if (!TAKES_GROUP.has(report) && q.group?.length) {
    throw new ApiError(400, 'bad_request', 'invalid parameters: group: only class-usage and sign-in-readiness take a group', [{ field: 'group', reason: 'only class-usage and sign-in-readiness take a group' }]);
  }
  for (const [field, only] of Object.entries(ONLY)) {
    const v = q[field as keyof ReportQuery];
    if (report === only || v === undefined) continue;
    const reason = `only ${only} takes ${field}`;
    throw new ApiError(400, 'bad_request', `invalid parameters: ${field}: ${reason}`, [{ field, reason }]);
  }
  await checkKnownFilters(storage, q);
  return q;
}
