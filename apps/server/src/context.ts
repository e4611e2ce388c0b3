import type { HttpBindings } from '@hono/node-server';
import type { Config, Pseudonymiser } from '@licenskoll/core';
import type { Storage } from '@licenskoll/storage';
import type { Ingest } from '@licenskoll/ingest';
import type { AgreementTerms, PeerInputs, Window } from '@licenskoll/reports';
import type { Product } from '@licenskoll/licensing';
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
   * This organiser's peer comparison inputs (figure 26): its own figures and the other
   * organisers' contributions, or 'opted_out'; undefined while the region's registry is not read.
   */
  peers?: (window: Window) => Promise<PeerInputs | undefined>;
  /**
   * The region's framework agreements this organiser takes part in (figure 27), terms only:
   * what its licences may be call-offs of. Absent (a context without a region): none.
   */
  agreements?: () => Promise<AgreementTerms[]>;
  /**
   * The region's shared product catalogue (docs/tenants.md, "Shared catalogue"): what dropping
   * an override of an inherited product takes again. Absent (a context without a region): none.
   */
  regionCatalogue?: () => Promise<Product[]>;
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
