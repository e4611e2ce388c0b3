import { z } from 'zod';
import { DATETIME_WITH_OFFSET_RE, isIsoDate } from './dates.ts';
import { targetInput } from './target.ts';

/** Field bounds: long enough for any real entityID or UPN, short enough that one row stays small. */
const ident = (max = 512) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const isoDate = z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD');
export const isoDateTime = z
  .string()
  .max(40)
  .regex(DATETIME_WITH_OFFSET_RE, 'must be an ISO-8601 time with an offset, e.g. 2026-03-01T08:15:00+01:00')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'is not a valid time');

/**
 * `denied`: a launch the product refused (the user has no licence). Not use: no usage figure
 * counts it; it is demand without a licence (docs/figures.md, figure 15).
 */
export const eventTypes = ['login', 'launch', 'denied'] as const;

/**
 * One usage event as `POST /v1/events` takes it. Unknown keys are dropped rather than
 * rejected: sources add their own fields, and refusing a real login over an extra key
 * would lose usage data (a deliberate departure from strict objects).
 */
export const eventInput = z.object({
  id: ident(200).optional(),
  type: z.enum(eventTypes, { message: 'must be "login", "launch" or "denied"' }),
  time: isoDateTime,
  user: ident(),
  product: ident(),
  source: ident(100).optional(),
  group: ident(200).optional(),
  school: ident(200).optional(),
});
export type EventInput = z.infer<typeof eventInput>;

export const productInput = z.object({
  id: ident(100),
  name: z.string().trim().min(1).max(300),
  supplier: z.string().trim().max(300).optional(),
  identifiers: z.array(ident()).max(200).default([]),
  /** The publisher's stated audience (målgrupp), e.g. GR åk 7–9; absent = none. */
  target: targetInput.optional(),
});
export type ProductInput = z.infer<typeof productInput>;

/**
 * A förvaltning (administration: Grundskoleförvaltningen, Gymnasieförvaltningen...) a licence
 * or a buyer belongs to, for the action list per förvaltning; '' clears it.
 */
export const forvaltningName = z
  .string()
  .trim()
  .max(200, 'must be at most 200 characters')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

export const forvaltningInput = z.strictObject({ forvaltning: forvaltningName }, { message: 'is not a field: send {"forvaltning": "..."}' });

/**
 * A framework agreement's id (ramavtal, docs/figures.md figure 27), as the region gives it and
 * as a licence names it: short and plain, so that it can be typed into a licence sheet.
 */
const AGREEMENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const AGREEMENT_ID_TEXT = 'must be 1-100 letters, digits, dots, dashes or underscores, starting with a letter or digit';
export const agreementId = z.string().trim().regex(AGREEMENT_ID, AGREEMENT_ID_TEXT);

export const scopeTypes = ['organisation', 'school', 'group'] as const;
export const audiences = ['students', 'staff', 'all'] as const;

export const licenceInput = z
  .object({
    id: ident(100),
    product: ident(100),
    seats: z.number().int('must be a whole number').min(0, 'must not be negative').max(10_000_000).nullable(),
    scope: z.object({
      type: z.enum(scopeTypes, { message: 'must be "organisation", "school" or "group"' }),
      ids: z.array(ident(200)).min(1, 'needs at least one id').max(10_000),
    }),
    audience: z.enum(audiences, { message: 'must be "students", "staff" or "all"' }),
    start: isoDate,
    end: isoDate,
    price: z.number().min(0, 'must not be negative').max(1e12),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as SEK').default('SEK'),
    buyer: z.string().trim().min(1, 'must not be empty').max(300),
    orderRef: z.string().trim().max(200).optional(),
    /** Narrows the product's target (målgrupp) for this purchase; absent = the product's. */
    target: targetInput.optional(),
    /** The licence's own förvaltning; absent keeps the stored one, '' clears it (its buyer's applies). */
    forvaltning: forvaltningName.optional(),
    /**
     * The region's framework agreement this licence is a call-off (avrop) of; absent keeps the
     * stored one, '' clears it. Whether the organiser takes part in it is checked where it is stored.
     */
    agreement: z.string().trim().refine((a) => a === '' || AGREEMENT_ID.test(a), `${AGREEMENT_ID_TEXT} ('' for none)`).optional(),
  })
  .refine((l) => l.start <= l.end, { message: 'must not be before start', path: ['end'] });
export type LicenceInput = z.infer<typeof licenceInput>;

export const followupStatuses = ['open', 'contacted', 'keep', 'reduce', 'cancel'] as const;
export const followupInput = z.object({
  licence: ident(100),
  status: z.enum(followupStatuses, { message: 'must be one of open, contacted, keep, reduce, cancel' }),
  note: z.string().max(4000).optional(),
});
export type FollowupInput = z.infer<typeof followupInput>;

export const roles = ['admin', 'purchaser', 'principal', 'teacher', 'ingest'] as const;
export type Role = (typeof roles)[number];
export const tokenInput = z.object({
  name: z.string().trim().min(1).max(200),
  role: z.enum(roles, { message: 'must be one of admin, purchaser, principal, teacher, ingest' }),
  schools: z.array(ident(200)).max(1000).optional(),
  groups: z.array(ident(200)).max(10_000).optional(),
  expires: isoDate.optional(),
});
export type TokenInput = z.infer<typeof tokenInput>;

/** Turns zod issues into `[{field, reason}]`, the shape every 400 carries in `details`. */
export function describeIssues(error: z.ZodError, prefix = ''): { field: string; reason: string }[] {
  // An unknown key is named itself: "(body): is not a parameter" leaves the reader guessing which.
  return error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys.map((k) => [...i.path.map(String), k.slice(0, 50)]) : [i.path.map(String)]).map((path) => ({
    field: [prefix, ...path].filter(Boolean).join('.') || '(body)',
    reason: /received undefined$/.test(i.message) ? 'is required' : i.message.replace(/^Invalid input: /, ''),
  })));
}

/** One-line form of the same, for per-row rejections. */
export function issuesText(error: z.ZodError): string {
  return describeIssues(error).map((d) => `${d.field}: ${d.reason}`).join('; ');
}
