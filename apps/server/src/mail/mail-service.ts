import { ApiError, todayInZone } from '@licenskoll/core';
import type { Storage } from '@licenskoll/storage';
import type { AuditRow } from '../auth/audit.ts';
import { attachmentProducer, type Attachment, type Period, type RecipientScope } from './attachments.ts';
import { recordDeliveries } from './deliveries.ts';
import { composeMessage, messageIdFor } from './message.ts';
import { Outbox, type TransportState } from './outbox.ts';
import { Planner } from './planner.ts';
import { recipientsOf } from './recipients.ts';
import { periodAt } from './schedule.ts';
import type { SmtpSettings } from './smtp-settings.ts';
import { classifySmtpError, smtpTransport } from './smtp-transport.ts';
import type { Subscription } from './subscriptions.ts';

export interface MailDeps {
  storage: Storage;
  timeZone: string;
  /** Pins "today" for the downloads and tries (tests); the schedule's periods keep their own days. */
  today?: string;
  smtp: SmtpSettings | null;
  audit: (row: AuditRow) => Promise<void>;
  log: (m: string) => void;
}

/**
 * Scheduled e-mail of one service: the planner and the outbox when SMTP is configured, and
 * what the API asks of subscriptions either way (a subscription's file now, a try to one address).
 * Without LICENSKOLL_SMTP_HOST nothing is planned or sent: subscriptions can still be defined
 * and their files downloaded.
 */
export class MailService {
  private readonly outbox: Outbox | null;
  private readonly planner: Planner | null;

  constructor(private readonly d: MailDeps) {
    if (!d.smtp) {
      this.outbox = null;
      this.planner = null;
      return;
    }
    this.outbox = new Outbox({ storage: d.storage, smtp: d.smtp, transport: smtpTransport(d.smtp), timeZone: d.timeZone, audit: d.audit, log: d.log });
    const outbox = this.outbox;
    this.planner = new Planner({ storage: d.storage, timeZone: d.timeZone, planned: () => outbox.kick(), log: d.log });
  }

  get smtp(): SmtpSettings | null {
    return this.d.smtp;
  }

  get transport(): TransportState | null {
    return this.outbox?.state ?? null;
  }

  /** Once storage answers: checks the server, sends what a crash or an outage left, plans what fell due meanwhile. */
  async start(): Promise<void> {
    if (!this.outbox || !this.planner) return;
    void this.outbox.verify();
    await this.planner.reload();
    this.outbox.kick();
  }

  /** A subscription was made, changed or deleted through the API. */
  changed(): void {
    void this.planner?.reload().catch(() => undefined);
    this.outbox?.kick();
  }

  async stop(): Promise<void> {
    this.planner?.stop();
    await this.outbox?.stop();
  }

  /** Today's period for a download or a try: the day is the organiser's (or the pinned) today. */
  private now(): Period {
    const at = new Date();
    const p = periodAt(at, this.d.timeZone);
    const day = this.d.today ?? todayInZone(this.d.timeZone);
    return { ...p, asOf: day };
  }

  /**
   * Whose figures a download or a try holds: the named buyer's; else for a try of a buyers
   * subscription the first buyer with a licence ending soon (what one of them would get);
   * else the organiser's, all rows (an admin's download).
   */
  async scopeFor(s: Subscription, buyer: string | undefined, use: 'download' | 'try'): Promise<RecipientScope> {
    if (buyer) {
      if (s.recipients.kind !== 'buyers') throw new ApiError(400, 'bad_request', 'buyer: only a subscription to buyers is cut per buyer', [{ field: 'buyer', reason: 'not a subscription to buyers' }]);
      return { kind: 'buyer', buyer };
    }
    if (s.recipients.kind === 'addresses' || use === 'download') return { kind: 'organiser' };
    const r = await recipientsOf(this.d.storage, s, this.now());
    const first = r.recipients[0]?.buyer ?? r.withoutAddress[0];
    return first ? { kind: 'buyer', buyer: first } : { kind: 'organiser' };
  }

  /** 409 when e-mail is off: said before anything is made. */
  requireSmtp(): SmtpSettings {
    if (!this.d.smtp) {
      throw new ApiError(409, 'mail_not_configured', 'e-mail is not configured: set LICENSKOLL_SMTP_HOST and LICENSKOLL_SMTP_FROM (docs/email.md); the file can still be downloaded');
    }
    return this.d.smtp;
  }

  /** The file a subscription would send today, for the download beside it. */
  async file(s: Subscription, scope: RecipientScope): Promise<Attachment> {
    const producer = attachmentProducer(s.report);
    if (!producer) throw new ApiError(409, 'unknown_report', `report ${s.report} is no longer known`);
    return producer.produce(this.d.storage, scope, this.now(), { format: s.format, lang: s.lang, timeZone: this.d.timeZone, params: s.params });
  }

  /**
   * "Send now to me": today's mail to one address, at once, answered with the server's verdict.
   * Recorded as a period of its own (`try:`), never retried and never counted as the schedule's.
   */
  async sendNow(s: Subscription, to: string, scope: RecipientScope): Promise<{ messageId: string; response: string }> {
    const smtp = this.requireSmtp();
    const file = await this.file(s, scope);
    const period = this.now();
    const key = `try:${period.key}`;
    const buyer = scope.kind === 'buyer' ? scope.buyer : '';
    const messageId = messageIdFor(s.id, key, to, buyer, smtp);
    const row = { subscription: s.id, period: key, recipient: to, buyer, messageId, error: '' };
    await recordDeliveries(this.d.storage, [{ ...row, state: 'attempt', attempt: 1 }]);
    try {
      const info = await smtpTransport(smtp).sendMail(composeMessage({ subscription: s, period, to, buyer, attachment: file, messageId, trial: true }, smtp));
      await recordDeliveries(this.d.storage, [{ ...row, state: 'sent', attempt: 1 }]);
      return { messageId, response: String(info.response ?? '') };
    } catch (e) {
      const f = classifySmtpError(e, smtp);
      await recordDeliveries(this.d.storage, [{ ...row, state: f.kind === 'rejected' ? 'rejected' : 'failed', attempt: 1, error: f.message }]);
      if (f.kind === 'auth' || f.kind === 'tls' || f.kind === 'unreachable') this.outbox?.note(f.kind, f.message);
      const field = { auth: 'LICENSKOLL_SMTP_USER', tls: 'LICENSKOLL_SMTP_SECURE', unreachable: 'LICENSKOLL_SMTP_HOST', temporary: 'to', rejected: 'to' }[f.kind];
      throw new ApiError(502, `smtp_${f.kind}`, f.message, [{ field, reason: f.message }]);
    }
  }
}
