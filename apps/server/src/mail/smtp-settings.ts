import { readFileSync } from 'node:fs';
import { parseMailbox } from './address.ts';

export type SmtpSecurity = 'starttls' | 'tls' | 'none';

/** The organiser's SMTP server, from `LICENSKOLL_SMTP_*`; e-mail is off without a host. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** `starttls`: plain connection upgraded before login, and refused if the server cannot; `tls`: TLS from the first byte (465); `none`: no encryption (a relay on the same host). */
  security: SmtpSecurity;
  user?: string;
  password?: string;
  from: { name?: string; address: string };
  /** PEM certificates trusted besides the system's: a private CA, or the server's own self-signed one. */
  ca?: string;
  /** The first retry waits this long, each next one twice as long, up to `retryMaxMs`. */
  retryFirstMs: number;
  retryMaxMs: number;
}

const DEFAULT_PORT: Record<SmtpSecurity, number> = { starttls: 587, tls: 465, none: 25 };

/** `30s`, `15m`, `1h` or a number of milliseconds. */
export function parseDuration(name: string, v: string): number {
  const m = /^(\d+)\s*(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new Error(`${name}: "${v}" must be a duration such as 500ms, 30s, 15m or 1h`);
  return Number(m[1]) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(m[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'];
}

/** Null when `LICENSKOLL_SMTP_HOST` is unset: subscriptions can then be defined and downloaded, not mailed. A bad setting stops the start. */
export function smtpSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): SmtpSettings | null {
  const host = env.LICENSKOLL_SMTP_HOST?.trim();
  if (!host) return null;
  const security = (env.LICENSKOLL_SMTP_SECURE || 'starttls').toLowerCase();
  if (security !== 'starttls' && security !== 'tls' && security !== 'none') {
    throw new Error(`LICENSKOLL_SMTP_SECURE: "${env.LICENSKOLL_SMTP_SECURE}" must be starttls, tls or none`);
  }
  const port = env.LICENSKOLL_SMTP_PORT ? Number(env.LICENSKOLL_SMTP_PORT) : DEFAULT_PORT[security];
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`LICENSKOLL_SMTP_PORT: "${env.LICENSKOLL_SMTP_PORT}" is not a port number`);
  const user = env.LICENSKOLL_SMTP_USER || undefined;
  const password = env.LICENSKOLL_SMTP_PASSWORD || undefined;
  if (Boolean(user) !== Boolean(password)) throw new Error('LICENSKOLL_SMTP_USER and LICENSKOLL_SMTP_PASSWORD: set both, or neither for a server without login');
  const fromText = env.LICENSKOLL_SMTP_FROM ?? '';
  const from = parseMailbox(fromText);
  if (!from) throw new Error(`LICENSKOLL_SMTP_FROM: "${fromText}" must be the sender's address, such as "Licenskoll <licenskoll@kommun.se>"`);
  let ca: string | undefined;
  if (env.LICENSKOLL_SMTP_CA_FILE) {
    try {
      ca = readFileSync(env.LICENSKOLL_SMTP_CA_FILE, 'utf8');
    } catch (e) {
      throw new Error(`LICENSKOLL_SMTP_CA_FILE: cannot read "${env.LICENSKOLL_SMTP_CA_FILE}": ${(e as Error).message}`);
    }
  }
  const retryFirstMs = parseDuration('LICENSKOLL_MAIL_RETRY_FIRST', env.LICENSKOLL_MAIL_RETRY_FIRST || '30s');
  const retryMaxMs = parseDuration('LICENSKOLL_MAIL_RETRY_MAX', env.LICENSKOLL_MAIL_RETRY_MAX || '15m');
  if (retryFirstMs < 1 || retryMaxMs < retryFirstMs) throw new Error('LICENSKOLL_MAIL_RETRY_FIRST and _MAX: the first wait must be positive and not longer than the longest');
  return { host, port, security, ...(user ? { user, password } : {}), from, ...(ca ? { ca } : {}), retryFirstMs, retryMaxMs };
}

/** What the API and the dashboard may show of the settings: never the password. */
export function smtpSummary(s: SmtpSettings | null) {
  return s ? { configured: true, host: s.host, port: s.port, security: s.security, user: s.user ?? null, from: s.from.address } : { configured: false };
}
