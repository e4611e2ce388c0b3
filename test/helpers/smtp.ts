import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/** A self-signed certificate for 127.0.0.1, made with openssl for the test; null when openssl is missing. */
export function selfSignedCertificate(): { key: string; cert: string; certFile: string } | null {
  const dir = mkdtempSync(join(tmpdir(), 'licenskoll-smtp-'));
  const r = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'pipe' });
  if (r.error || r.status !== 0) return null;
  return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), certFile: join(dir, 'cert.pem') };
}

export interface Received {
  to: string[];
  mail: ParsedMail;
  /** Whether the message came over TLS (after STARTTLS). */
  secure: boolean;
  user: string;
}

/**
 * An SMTP server inside the test (smtp-server): STARTTLS with the given certificate, login
 * required (and refused before TLS), every accepted message parsed with mailparser. It can be
 * stopped and started again on the same port, made to refuse the login, and made to hold a
 * message unanswered (the client then waits for the 250 that never comes).
 */
export class TestSmtp {
  received: Received[] = [];
  user = 'licenskoll';
  password = 'hemligt-lösen-123';
  /** A message to these recipients is read and never answered. */
  hold: ((to: string[]) => boolean) | null = null;
  private onHeld: (() => void) | null = null;
  private server: SMTPServer | null = null;
  port = 0;

  constructor(private readonly tls: { key: string; cert: string }) {}

  /** Resolves when a held message has been read whole. */
  held(): Promise<void> {
    return new Promise((r) => (this.onHeld = r));
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      secure: false,
      key: this.tls.key,
      cert: this.tls.cert,
      authMethods: ['PLAIN', 'LOGIN'],
      allowInsecureAuth: false,
      closeTimeout: 100,
      logger: false,
      onAuth: (auth, _session, cb) => {
        if (auth.username === this.user && auth.password === this.password) return cb(null, { user: auth.username });
        const e = new Error('Authentication credentials invalid') as Error & { responseCode: number };
        e.responseCode = 535;
        return cb(e);
      },
      onData: (stream, session: SMTPServerSession, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          if (this.hold?.(to)) {
            this.onHeld?.();
            return; // never answered: the message is not accepted
          }
          simpleParser(Buffer.concat(chunks)).then((mail) => {
            this.received.push({ to, mail, secure: session.secure, user: String(session.user) });
            cb();
          }, cb);
        });
      },
    });
    server.on('error', () => undefined);
    await new Promise<void>((r) => server.listen(this.port, '127.0.0.1', () => r()));
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  /** The messages of one subscription and period, by recipient. */
  of(subscription: string, period?: string): Received[] {
    return this.received.filter((m) => m.mail.headers.get('x-licenskoll-subscription') === subscription && (!period || m.mail.headers.get('x-licenskoll-period') === period));
  }
}
