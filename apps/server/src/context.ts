import type { HttpBindings } from '@hono/node-server';
import type { Config, Pseudonymiser } from '@licenskoll/core';
import type { Storage } from '@licenskoll/storage';
import type { Ingest } from '@licenskoll/ingest';
import type { MailService } from './mail/mail-service.ts';

/** What every route needs: one instance per running service. */
export interface AppContext {
  config: Config;
  storage: Storage;
  pseudo: Pseudonymiser;
  /** Ingest's front door: every event comes in through it. */
  ingest: Ingest;
  /** Scheduled e-mail (docs/email.md): planner and outbox when SMTP is configured. */
  mail: MailService;
  /** Pins "today" for reports (tests); absent = the organiser's real today. */
  today?: string;
}

/** Who is calling: from a bearer token. */
export interface Caller {
  role: 'admin' | 'purchaser' | 'principal' | 'teacher' | 'ingest';
  name: string;
  tokenId: string;
  schools: string[];
  groups: string[];
}

/** Served by @hono/node-server: Node's request is at hand (the ingest route reads its body from it). */
export type Env = { Variables: { caller: Caller }; Bindings: HttpBindings };
