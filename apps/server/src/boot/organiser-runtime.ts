import { join } from 'node:path';
import type { Hono } from 'hono';
import type { AgreementTerms } from '@licenskoll/reports';
import { Pseudonymiser, type Config } from '@licenskoll/core';
import type { Storage } from '@licenskoll/storage';
import type { Product } from '@licenskoll/licensing';
import { Ingest, type IngestSettings, type WriterOptions } from '@licenskoll/ingest';
import { settledResolution, type PeerInputs, type Window } from '@licenskoll/reports';
import { createApp, createIngestApp } from './app.ts';
import type { AppContext, Env, OrganiserRef } from '../context.ts';
import { BODY_LIMITS } from '../http/body-limits.ts';
import { pseudonymKey } from './pseudonym-key.ts';
import { TokenResolver } from '../auth/tokens.ts';
import { AuditLog } from '../auth/audit.ts';
import { MailService } from '../mail/mail-service.ts';
import type { SmtpSettings } from '../mail/smtp-settings.ts';

/**
 * One organiser of a running service (docs/tenants.md): its storage bound to its own database,
 * its pseudonym key, its journal and store loop, its mail, its tokens and the apps that serve
 * it. The service routes each request to one of these (service.ts); nothing here can name
 * another organiser's storage.
 */
export interface OrganiserRuntime {
  organiser: OrganiserRef;
  ctx: AppContext;
  tokens: TokenResolver;
  app: Hono<Env>;
  ingestApp: Hono<Env>;
  /** Stores (or keeps journaled) what was accepted and stops mail: the requests waiting for it get their answers. */
  drain(): Promise<void>;
  /** Once answers are out: waits for a running resolution, closes storage unless it is the first's (the service closes that). */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  settings: IngestSettings;
  writer?: WriterOptions;
  smtp: SmtpSettings | null;
  today?: string;
  metricsToken?: string;
  log: (m: string) => void;
  /** An organiser's peer comparison inputs (Organisers.peerInputs); absent before the region's registry is read. */
  peersOf?: (organiser: string, window: Window) => Promise<PeerInputs | undefined>;
  /**
   * The region's framework agreements an organiser takes part in (Organisers.agreementsFor).
   * Each organiser's context gets it bound to its own id, so that it can ask for no other's.
   */
  agreementsFor?: (organiser: string) => Promise<AgreementTerms[]>;
  /** The region's shared product catalogue (Organisers.catalogue): what an organiser's override replaces. */
  regionCatalogue?: () => Promise<Product[]>;
}

/**
 * The configuration an organiser runs with. The first keeps the installation's (its data
 * directory, environment tokens, pseudonym key, demo): an existing store is that organiser
 * unchanged. Every other one has a directory of its own under `organisers/<id>` for its
 * journal and generated pseudonym key, no environment tokens, and its own time zone.
 */
export function organiserConfig(config: Config, o: OrganiserRef & { timeZone: string }): Config {
  if (o.first) return config;
  return {
    ...config,
    dataDir: join(config.dataDir, 'organisers', o.id),
    adminToken: undefined,
    ingestToken: undefined,
    pseudonymKey: undefined,
    demo: false,
    timeZone: o.timeZone,
  };
}

export function startOrganiser(organiser: OrganiserRef, config: Config, storage: Storage, opts: RuntimeOptions): OrganiserRuntime {
  // Another organiser's log lines say whose they are.
  const log = organiser.first ? opts.log : (m: string) => opts.log(`[${organiser.id}] ${m}`);
  const pseudo = new Pseudonymiser(pseudonymKey(config));
  // The journal under the organiser's own directory: a crash replays it into this storage only.
  const ingest = Ingest.open({ storage, pseudo, timeZone: config.timeZone, dataDir: config.dataDir, settings: opts.settings, bodyLimit: BODY_LIMITS.events.bytes, writer: opts.writer, log });
  const mailAudit = new AuditLog(storage);
  const mail = new MailService({ storage, timeZone: config.timeZone, today: opts.today, smtp: opts.smtp, audit: (row) => mailAudit.append(row), log });
  const peers = async (w: Window) => opts.peersOf?.(organiser.id, w);
  const { agreementsFor } = opts;
  const agreements = agreementsFor ? () => agreementsFor(organiser.id) : undefined;
  const ctx: AppContext = { organiser, config, storage, pseudo, ingest, today: opts.today, mail, peers, agreements, regionCatalogue: opts.regionCatalogue };
  const tokens = new TokenResolver(storage, { admin: config.adminToken, ingest: config.ingestToken });
  ingest.start();
  return {
    organiser, ctx, tokens,
    app: createApp(ctx, tokens, { metricsToken: opts.metricsToken }),
    ingestApp: createIngestApp(ctx, tokens),
    drain: async () => {
      await Promise.all([ingest.close(), mail.stop()]);
    },
    close: async () => {
      // A query still running when the process exits can deadlock the embedded engine's exit.
      await settledResolution(storage, 20_000);
      if (!organiser.first) await storage.close();
    },
  };
}
