import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ApiError, describeIssues, isoInZone, issuesText } from '@licenskoll/core';
import { reportWords } from '@licenskoll/reports';
import { requireRole } from '../auth/auth.ts';
import type { AppContext, Env } from '../context.ts';
import { emailAddress } from '../mail/address.ts';
import { attachmentProducers } from '../mail/attachments.ts';
import { recentDeliveries, subscriptionStatuses, type SubscriptionStatus } from '../mail/deliveries.ts';
import { nextDue, parseSchedule } from '../mail/schedule.ts';
import { smtpSummary } from '../mail/smtp-settings.ts';
import { parseSubscription } from '../mail/subscription-input.ts';
import { createSubscription, deleteSubscription, getSubscription, listSubscriptions, replaceSubscription, type Subscription } from '../mail/subscriptions.ts';
import { jsonBody, validBody } from '../http/validation.ts';

const IDLE: SubscriptionStatus = { state: 'idle', lastSent: null, pending: 0, lastError: null, withoutAddress: [] };
const tryInput = z.strictObject({ to: emailAddress, buyer: z.string().trim().min(1).max(300).optional() }, { message: 'is not a field of a try (to, buyer)' });
const buyerQuery = z.string().trim().min(1, 'must not be empty').max(300, 'at most 300 characters').optional();

/**
 * Scheduled e-mail, for administrators (docs/email.md): subscriptions (who, what, how often, in
 * which format), their state, the file each would send today, and "send now to me".
 */
export function subscriptionRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  const admin = requireRole('admin');
  const mail = ctx.mail;
  const tz = ctx.config.timeZone;
  const nextOf = (s: Subscription) => {
    const p = parseSchedule(s.schedule, tz);
    const n = s.enabled && p.ok ? nextDue(p.cron, new Date()) : null;
    return n ? isoInZone(n, tz).replace('.000', '') : null;
  };
  const found = async (c: Context<Env>) => {
    const s = await getSubscription(ctx.storage, c.req.param('id') ?? '');
    if (!s) throw new ApiError(404, 'not_found', `subscription ${String(c.req.param('id')).slice(0, 100)} does not exist`);
    return s;
  };
  const transport = () => mail.transport;

  app.get('/subscriptions', admin, async (c) => {
    const [subs, statuses] = await Promise.all([listSubscriptions(ctx.storage), subscriptionStatuses(ctx.storage)]);
    c.set('auditRows', subs.length);
    return c.json({
      mail: { ...smtpSummary(mail.smtp), transport: transport(), timeZone: tz },
      reports: attachmentProducers().map((p) => ({
        key: p.key, sv: reportWords(p.key).sv, en: reportWords(p.key).en, formats: p.formats, buyers: p.scopes.includes('buyer'), params: p.params.parse({}),
      })),
      rows: subs.map((s) => ({ ...s, next: nextOf(s), status: statuses.get(s.id) ?? IDLE })),
    });
  });

  app.post('/subscriptions', admin, async (c) => {
    const s = await createSubscription(ctx.storage, parseSubscription(await jsonBody(c), tz));
    mail.changed();
    c.set('auditParams', { id: s.id, report: s.report, recipients: s.recipients.kind });
    return c.json({ ...s, next: nextOf(s), status: IDLE }, 201);
  });

  app.get('/subscriptions/:id', admin, async (c) => {
    const s = await found(c);
    const [statuses, deliveries] = await Promise.all([subscriptionStatuses(ctx.storage), recentDeliveries(ctx.storage, s.id)]);
    return c.json({ ...s, next: nextOf(s), status: statuses.get(s.id) ?? IDLE, deliveries });
  });

  app.put('/subscriptions/:id', admin, async (c) => {
    const old = await found(c);
    const s = await replaceSubscription(ctx.storage, old, parseSubscription(await jsonBody(c), tz));
    mail.changed();
    return c.json({ ...s, next: nextOf(s) }, 200);
  });

  app.delete('/subscriptions/:id', admin, async (c) => {
    await deleteSubscription(ctx.storage, await found(c));
    mail.changed();
    return c.body(null, 204);
  });

  // The file the subscription would send today: the download beside it, with or without e-mail.
  app.get('/subscriptions/:id/file', admin, async (c) => {
    const s = await found(c);
    const b = buyerQuery.safeParse(c.req.query('buyer'));
    if (!b.success) throw new ApiError(400, 'bad_request', `invalid parameters: buyer: ${issuesText(b.error)}`, describeIssues(b.error, 'buyer'));
    const f = await mail.file(s, await mail.scopeFor(s, b.data, 'download'));
    c.header('Content-Type', f.contentType);
    c.header('Content-Disposition', `attachment; filename="${f.filename}"`);
    return c.body(new Uint8Array(f.content));
  });

  app.post('/subscriptions/:id/send-now', admin, async (c) => {
    const s = await found(c);
    const t = await validBody(c, tryInput);
    c.set('auditParams', { id: s.id, to: t.to, ...(t.buyer ? { buyer: t.buyer } : {}) });
    mail.requireSmtp();
    const scope = await mail.scopeFor(s, t.buyer, 'try');
    const sent = await mail.sendNow(s, t.to, scope);
    return c.json({ sent: true, to: t.to, ...(scope.kind === 'buyer' ? { buyer: scope.buyer } : {}), ...sent });
  });
  return app;
}
