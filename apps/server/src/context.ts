import type { HttpBindings } from '@hono/node-server';
import type { Config, Pseudonymiser } from '@licenskoll/core';
import type { Storage } from '@licenskoll/storage';
import type { Ingest } from '@licenskoll/ingest';
import type { PeerContribution, Window } from '@licenskoll/reports';
import type { MailService } from './mail/mail-service.ts';

/** The organiser (huvudman) an AppContext serves: docs/tenants.md. */
export interface OrganiserRef {
  id: string;
  name: string;
  /** The organiser an installation from before tenants became: its env tokens, sign-in settings and data directory. */
  first: boolean;
}

/**
 * What every route needs: one instance per organiser of a running service. Everything in it
 * (storage bound to the organiser's own database, pseudonym key, journal) is that organiser's.
 */
export interface AppContext {
  /** Absent: the only organiser of a single-organiser setup (tests that build a context). */
  organiser?: OrganiserRef;
  config: Config;
  storage: Storage;
  pseudo: Pseudonymiser;
  /** Ingest's front door: every event comes in through it. */
  ingest: Ingest;
  /** Scheduled e-mail (docs/email.md): planner and outbox when SMTP is configured. */
  mail: MailService;
  /** Pins "today" for reports (tests); absent = the organiser's real today. */
  today?: string;
  /**
   * The other organisers' contributions to this one's peer comparison (figure 26), or
   * 'opted_out' when this one does not contribute; absent or [] without other organisers.
   */
  peers?: (window: Window) => Promise<PeerContribution[] | 'opted_out'>;
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
