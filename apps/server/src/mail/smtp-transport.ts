import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { SmtpSettings } from './smtp-settings.ts';

/** One connection per message: a mail's outcome is then that connection's, and a crash loses no other. */
export function smtpTransport(s: SmtpSettings): Transporter<SMTPTransport.SentMessageInfo> {
  return nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.security === 'tls',
    // STARTTLS is required, never optional: a server that does not offer it gets no password in clear.
    requireTLS: s.security === 'starttls',
    ignoreTLS: s.security === 'none',
    ...(s.user ? { auth: { user: s.user, pass: s.password } } : {}),
    ...(s.ca ? { tls: { ca: s.ca } } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  });
}

/**
 * What a failure means for the mail. `auth`, `unreachable` and `tls` are the server's or the
 * settings' problem: nothing can be sent until it is fixed, so the outbox waits and tries again.
 * `temporary` is one mail's (4xx): tried again later. `rejected` (5xx for this recipient or
 * message) would be refused again: recorded and not retried.
 */
export type SmtpFailureKind = 'auth' | 'unreachable' | 'tls' | 'temporary' | 'rejected';

export interface SmtpFailure {
  kind: SmtpFailureKind;
  /** The SMTP reply code, when the server answered one. */
  code?: number;
  /** For the subscription's status and the log: what happened and what to do. */
  message: string;
}

export function classifySmtpError(e: unknown, s: SmtpSettings): SmtpFailure {
  const err = e as { code?: string; responseCode?: number; response?: string; message?: string };
  const said = (err.response ?? err.message ?? String(e)).replace(/\s+/g, ' ').slice(0, 300);
  const code = err.responseCode;
  if (err.code === 'EAUTH' || err.code === 'ENOAUTH' || code === 535 || code === 534) {
    return { kind: 'auth', code, message: `the SMTP server ${s.host} refused the login of LICENSKOLL_SMTP_USER "${s.user ?? ''}": ${said}. Check LICENSKOLL_SMTP_USER and LICENSKOLL_SMTP_PASSWORD` };
  }
  if (err.code === 'ETLS' || /certificate|self[- ]signed|wrong version number|STARTTLS/i.test(said)) {
    return { kind: 'tls', code, message: `no secure connection to ${s.host}:${s.port} (${s.security}): ${said}. Check LICENSKOLL_SMTP_SECURE and LICENSKOLL_SMTP_CA_FILE` };
  }
  if (code && code >= 500 && code !== 503) return { kind: 'rejected', code, message: `refused by ${s.host}: ${said}` };
  if (code && code >= 400) return { kind: 'temporary', code, message: `not accepted now by ${s.host}: ${said}` };
  return { kind: 'unreachable', code, message: `cannot reach the SMTP server ${s.host}:${s.port}: ${said}` };
}
