import { z } from 'zod';
import { ApiError, describeIssues, issuesText } from '@licenskoll/core';
import { emailAddress } from './address.ts';
import { ATTACHMENT_FORMATS, attachmentProducer, attachmentProducers, type AttachmentFormat } from './attachments.ts';
import { parseSchedule } from './schedule.ts';

/** Who gets a subscription's mail: the addresses given, or every buyer of a licence ending within `within` days. */
export type Recipients =
  | { kind: 'addresses'; addresses: string[] }
  | {
      kind: 'buyers';
      within: number;
      /** A buyer (as the licences name them) and their address; a buyer whose name holds an address needs none here. */
      addresses: Record<string, string>;
    };

export interface SubscriptionSpec {
  name: string;
  /** A report kind of the attachment registry (attachments.ts). */
  report: string;
  format: AttachmentFormat;
  lang: 'sv' | 'en';
  /** Cron, in the organiser's time zone (schedule.ts). */
  schedule: string;
  recipients: Recipients;
  /** The report's own parameters (e.g. renewals' `within`); defaults apply to what is left out. */
  params: Record<string, unknown>;
  enabled: boolean;
}

const quoted = (v: unknown) => JSON.stringify(String(v)).slice(0, 60);
const buyerName = z.string().trim().min(1, 'a buyer must not be empty').max(300);

const recipients = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('addresses'),
    addresses: z.array(emailAddress).min(1, 'needs at least one address').max(100, 'at most 100 addresses'),
  }),
  z.strictObject({
    kind: z.literal('buyers'),
    within: z.number().int('must be a whole number of days').min(0, 'must not be negative').max(3660).default(90),
    addresses: z.record(buyerName, emailAddress).default({}),
  }),
], { error: (i) => (i.code === 'invalid_union' ? `must be "addresses" or "buyers" (got ${quoted((i.input as { kind?: unknown })?.kind)})` : undefined) });

const spec = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  report: z.string().max(100),
  format: z.enum(ATTACHMENT_FORMATS, { error: (i) => `must be one of ${ATTACHMENT_FORMATS.join(', ')} (got ${quoted(i.input)})` }).default('xlsx'),
  lang: z.enum(['sv', 'en'], { error: (i) => `must be sv or en (got ${quoted(i.input)})` }).default('sv'),
  schedule: z.string().max(200),
  recipients,
  params: z.record(z.string(), z.unknown()).default({}),
  enabled: z.boolean().default(true),
}, { message: 'is not a field of a subscription' });

type Issue = { field: string; reason: string };

/**
 * A subscription as sent to POST or PUT, checked whole: every field that is wrong is named with
 * its reason (400), the report against the registry, the format and the recipients against
 * what the report can make, the schedule by croner in the organiser's zone.
 */
export function parseSubscription(body: unknown, timeZone: string): SubscriptionSpec {
  const r = spec.safeParse(body);
  const issues: Issue[] = r.success ? [] : describeIssues(r.error);
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const named = (f: string) => issues.some((i) => i.field === f || i.field.startsWith(`${f}.`));
  // The checks beyond the shape run on what was sent even when another field is wrong: every bad field is named at once.
  const report = typeof raw.report === 'string' ? raw.report : undefined;
  const producer = report === undefined ? undefined : attachmentProducer(report);
  if (report !== undefined && !producer) {
    issues.push({ field: 'report', reason: `unknown report ${quoted(report)}: one of ${attachmentProducers().map((p) => p.key).join(', ')}` });
  }
  if (producer) {
    const format = r.success ? r.data.format : (raw.format ?? 'xlsx');
    if (!named('format') && !producer.formats.includes(format as AttachmentFormat)) {
      issues.push({ field: 'format', reason: `${producer.key} is made as ${producer.formats.join(', ')} (got ${quoted(format)})` });
    }
    const kind = (raw.recipients as { kind?: unknown } | undefined)?.kind;
    if (kind === 'buyers' && !producer.scopes.includes('buyer')) {
      issues.push({ field: 'recipients.kind', reason: `${producer.key} covers the whole organiser and is not cut per buyer: send it to addresses` });
    }
    if (!named('params')) {
      const p = producer.params.safeParse(raw.params ?? {});
      if (!p.success) issues.push(...describeIssues(p.error, 'params'));
    }
  }
  if (typeof raw.schedule === 'string') {
    const sched = parseSchedule(raw.schedule, timeZone);
    if (!sched.ok) issues.push({ field: 'schedule', reason: sched.reason });
  }
  if (issues.length || !r.success) {
    throw new ApiError(400, 'invalid_subscription', `invalid subscription: ${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`, issues);
  }
  return { ...r.data, schedule: r.data.schedule.trim() };
}
