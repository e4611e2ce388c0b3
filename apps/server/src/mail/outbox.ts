import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { chTime } from '@licenskoll/core';
import type { Storage } from '@licenskoll/storage';
import type { AuditRow } from '../auth/audit.ts';
import { attachmentProducer, type Attachment, type Period, type RecipientScope } from './attachments.ts';
import { pendingDeliveries, recordDeliveries, type Delivery, type DeliveryRow } from './deliveries.ts';
import { composeMessage, messageIdFor } from './message.ts';
import type { SmtpSettings } from './smtp-settings.ts';
import { classifySmtpError, type SmtpFailureKind } from './smtp-transport.ts';
import { listSubscriptions, type Subscription } from './subscriptions.ts';

/** How the SMTP server answered last: shown beside every subscription. */
export interface TransportState {
  state: 'unverified' | 'ok' | SmtpFailureKind;
  message: string;
  at: string;
}

export interface OutboxDeps {
  storage: Storage;
  smtp: SmtpSettings;
  transport: Transporter<SMTPTransport.SentMessageInfo>;
  timeZone: string;
  audit: (row: AuditRow) => Promise<void>;
  log: (m: string) => void;
}

/** A period's key is its wall-clock time with offset (schedule.ts periodAt): its instant and day. */
export const periodOfKey = (key: string): Period => ({ key, asOf: key.slice(0, 10), at: new Date(key) });
const scopeOf = (buyer: string): RecipientScope => (buyer ? { kind: 'buyer', buyer } : { kind: 'organiser' });
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** The audit log's row for a mail the outbox sent or that was refused for good. */
export function mailAuditRow(action: string, d: { subscription: string; period: string; recipient: string; buyer: string }, extra: Record<string, unknown>, status: number): AuditRow {
  return {
    at: chTime(new Date()), actor_id: 'mail', actor: 'scheduled e-mail', role: 'system', via: 'mail', schools: [], groups: [],
    method: 'SMTP', action, path: `/v1/subscriptions/${d.subscription}`,
    params: JSON.stringify({ subscription: d.subscription, period: d.period, recipient: d.recipient, ...(d.buyer ? { buyer: d.buyer } : {}), ...extra }),
    status, rows: -1,
  };
}

/**
 * Sends what is planned, one mail at a time, each on its own connection. Before the SMTP
 * transaction an `attempt` row is stored (fsynced, schema.ts DURABLE_SETTINGS), after the
 * server's 250 a `sent` row. A mail whose latest row is `attempt` was cut off by a crash: the
 * server may or may not have taken it. It is sent again, with the same Message-ID: at least
 * once (docs/email.md). When the server cannot be reached or refuses the login, the outbox
 * waits (30 s, doubling, at most 15 min by default) and tries again; a refusal of one
 * recipient for good is recorded and not retried.
 */
export class Outbox {
  state: TransportState = { state: 'unverified', message: 'not tried yet', at: new Date().toISOString() };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private waitUntil = 0;
  private stopped = false;

  constructor(private readonly d: OutboxDeps) {}

  /** Something was planned: send it now, unless the server is being waited for. */
  kick(): void {
    if (this.stopped || Date.now() < this.waitUntil) return;
    this.at(0);
  }

  async verify(): Promise<void> {
    try {
      await this.d.transport.verify();
      this.note('ok', `${this.d.smtp.host}:${this.d.smtp.port} accepts the connection${this.d.smtp.user ? ' and the login' : ''}`);
    } catch (e) {
      const f = classifySmtpError(e, this.d.smtp);
      this.note(f.kind, f.message);
    }
  }

  async stop(graceMs = 5_000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    // A transaction still running is left to the server: its `attempt` row makes the next start send it.
    if (this.running) await Promise.race([this.running, sleep(graceMs)]);
    this.d.transport.close();
  }

  /** What the server said last, from a send or a try. */
  note(state: TransportState['state'], message: string) {
    const changed = state !== this.state.state;
    this.state = { state, message, at: new Date().toISOString() };
    if (changed) this.d.log(`e-mail: ${message}`);
  }

  private at(ms: number) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), ms);
    this.timer.unref();
  }

  private run() {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.round()
      .catch((e) => {
        this.d.log(`e-mail: a round failed: ${(e as Error).message}`);
        this.backOff();
      })
      .finally(() => {
        this.running = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.kick();
        }
      });
  }

  private backOff() {
    if (this.stopped) return;
    this.failures++;
    const wait = Math.min(this.d.smtp.retryMaxMs, this.d.smtp.retryFirstMs * 2 ** (this.failures - 1));
    this.waitUntil = Date.now() + wait;
    this.at(wait);
  }

  private async round(): Promise<void> {
    const pending = await pendingDeliveries(this.d.storage);
    if (!pending.length) return;
    const subs = new Map((await listSubscriptions(this.d.storage)).map((s) => [s.id, s]));
    const files = new Map<string, Attachment>();
    let retry = false;
    for (const m of pending) {
      if (this.stopped) return;
      const sub = subs.get(m.subscription);
      if (!sub?.enabled) {
        await recordDeliveries(this.d.storage, [{ ...rowOf(m, 'cancelled', m.attempts), error: sub ? 'the subscription was switched off' : 'the subscription was deleted' }]);
        continue;
      }
      const outcome = await this.deliver(sub, m, files);
      if (outcome === 'blocked') {
        retry = true;
        break;
      }
      if (outcome === 'retry') retry = true;
    }
    if (retry) this.backOff();
    else {
      this.failures = 0;
      this.waitUntil = 0;
    }
  }

  private async deliver(sub: Subscription, m: Delivery, files: Map<string, Attachment>): Promise<'done' | 'retry' | 'blocked'> {
    const { storage, smtp, transport } = this.d;
    const period = periodOfKey(m.period);
    const fileKey = `${sub.id}\u0000${m.period}\u0000${m.buyer}`;
    let file = files.get(fileKey);
    if (!file) {
      const producer = attachmentProducer(sub.report);
      if (!producer) {
        await recordDeliveries(storage, [{ ...rowOf(m, 'rejected', m.attempts), error: `report ${sub.report} is no longer known` }]);
        return 'done';
      }
      file = await producer.produce(storage, scopeOf(m.buyer), period, { format: sub.format, lang: sub.lang, timeZone: this.d.timeZone, params: sub.params });
      files.set(fileKey, file);
    }
    const attempt = m.attempts + 1;
    const messageId = messageIdFor(sub.id, m.period, m.recipient, m.buyer, smtp);
    await recordDeliveries(storage, [{ ...rowOf(m, 'attempt', attempt), messageId }]);
    let info: SMTPTransport.SentMessageInfo;
    try {
      info = await transport.sendMail(composeMessage({ subscription: sub, period, to: m.recipient, buyer: m.buyer, attachment: file, messageId }, smtp));
    } catch (e) {
      const f = classifySmtpError(e, smtp);
      await recordDeliveries(storage, [{ ...rowOf(m, f.kind === 'rejected' ? 'rejected' : 'failed', attempt), messageId, error: f.message }]);
      if (f.kind === 'rejected') {
        await this.d.audit(mailAuditRow('mail.rejected', m, { report: sub.report, messageId, attempt, error: f.message }, f.code ?? 550)).catch(() => undefined);
        return 'done';
      }
      if (f.kind === 'temporary') return 'retry';
      this.note(f.kind, f.message);
      return 'blocked';
    }
    await this.recordSent({ ...rowOf(m, 'sent', attempt), messageId });
    this.note('ok', `${smtp.host}:${smtp.port} accepts mail`);
    await this.d.audit(mailAuditRow('mail.sent', m, { report: sub.report, format: sub.format, file: file.filename, messageId, attempt, response: String(info.response ?? '').slice(0, 200) }, 250))
      .catch((e) => this.d.log(`e-mail: sent ${messageId} but the audit log refused its row: ${(e as Error).message}`));
    return 'done';
  }

  /** The server has the mail: its `sent` row is worth a few tries, since without it the mail goes again. */
  private async recordSent(row: DeliveryRow): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        return await recordDeliveries(this.d.storage, [row]);
      } catch (e) {
        if (i >= 4) {
          this.d.log(`e-mail: ${row.messageId} was sent but could not be recorded (${(e as Error).message}): it will be sent again`);
          throw e;
        }
        await sleep(500 * 2 ** i);
      }
    }
  }
}

const rowOf = (m: Delivery, state: DeliveryRow['state'], attempt: number): DeliveryRow => ({
  subscription: m.subscription, period: m.period, recipient: m.recipient, buyer: m.buyer, state, attempt, messageId: m.messageId, error: '',
});
