import { z } from 'zod';
import { chTime, isValidTimeZone, todayInZone, type Config } from '@licenskoll/core';
import { checkStoredTimeZone, migrate, migrateRegion, nextVersion, queryRows, type Storage } from '@licenskoll/storage';
import type { OrganiserRef } from '../context.ts';
import { organiserConfig, startOrganiser, type OrganiserRuntime, type RuntimeOptions } from '../boot/organiser-runtime.ts';
import { issueToken } from '../auth/tokens.ts';
import { asPeer, memoOnStore, peerContribution, storeStates, type AgreementTerms, type PeerContribution, type PeerInputs, type Window } from '@licenskoll/reports';
import { contributingIn } from './peer-setting.ts';
import { listAgreements, termsOf } from './agreement-registry.ts';
import { inheritCatalogue, type Product } from '@licenskoll/licensing';
import { listCatalogue } from './catalogue-registry.ts';

/** An organiser as the region's registry holds it (schema-region.ts, `organisers`). */
export interface Organiser extends OrganiserRef {
  database: string;
  timeZone: string;
  created: string;
}

/**
 * The first organiser: an installation from before tenants, or a single-organiser setup, is
 * this one (`LICENSKOLL_ORGANISER_ID`, default `default`; `LICENSKOLL_ORGANISER_NAME`).
 */
export function firstOrganiserFromEnv(env: NodeJS.ProcessEnv = process.env): OrganiserRef {
  const id = env.LICENSKOLL_ORGANISER_ID || 'default';
  const r = organiserId.safeParse(id);
  if (!r.success) throw new Error(`LICENSKOLL_ORGANISER_ID: "${id}" ${r.error.issues[0].message}`);
  // The region demo names its first municipality as the demo does (packages/demo).
  const fallback = (env.LICENSKOLL_DEMO ?? '').toLowerCase() === 'region' ? 'Exempelstads kommun' : 'Huvudman';
  return { id, name: (env.LICENSKOLL_ORGANISER_NAME || fallback).slice(0, 200), first: true };
}

/** An organiser id: it names a database and a token prefix, so lower-case letters, digits and dashes. */
export const organiserId = z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be 2-40 lower-case letters, digits or dashes, starting with a letter');

export const organiserInput = z.strictObject({
  id: organiserId,
  name: z.string().trim().min(1, 'is required').max(200),
  timeZone: z.string().refine(isValidTimeZone, 'is not a known time zone').optional(),
  adminTokenName: z.string().trim().min(1).max(200).optional(),
}, { message: 'is not a field of an organiser' });
export type OrganiserInput = z.infer<typeof organiserInput>;

/** The region's database beside the organisers' (embedded: `region`; server: `<database>_region`). */
export const regionDatabase = (root: Storage) => (root.mode === 'embedded' ? 'region' : `${root.database}_region`);
/** A new organiser's database: its own, never shared (embedded: `org_<id>`; server: `<database>_org_<id>`). */
export const organiserDatabase = (root: Storage, id: string) =>
  `${root.mode === 'embedded' ? '' : `${root.database}_`}org_${id.replace(/-/g, '_')}`;

async function registered(region: Storage): Promise<Organiser[]> {
  const rows = await queryRows<{ id: string; name: string; database: string; time_zone: string; first: number; created: string }>(
    region.write,
    `SELECT id, name, database, time_zone, first, formatDateTime(created, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS created
     FROM organisers FINAL ORDER BY first DESC, created, id`,
    {},
    ['first'],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, database: r.database, timeZone: r.time_zone, first: r.first === 1, created: r.created }));
}

async function register(region: Storage, o: Omit<Organiser, 'created'>): Promise<void> {
  await region.write.insert({
    table: 'organisers',
    values: [{ id: o.id, name: o.name, database: o.database, time_zone: o.timeZone, first: o.first ? 1 : 0, created: chTime(Date.now()), version: nextVersion() }],
    format: 'JSONEachRow',
  });
}

/**
 * Every organiser of the installation and its running runtime. The first one is the store
 * as it was before tenants: its database is the one configured (`default` embedded), so an
 * existing data directory is that organiser with nothing moved. Others are added by the
 * region (`add`), each into a database of its own, migrated like the first.
 */
export class Organisers {
  /** Catalogue inheritance runs one at a time: each reads the whole catalogue as the last write left it. */
  private inheriting: Promise<unknown> = Promise.resolve();
  private readonly runtimes = new Map<string, OrganiserRuntime>();
  private adding = new Set<string>();

  private constructor(
    private readonly root: Storage,
    readonly region: Storage,
    private readonly config: Config,
    private readonly opts: RuntimeOptions,
  ) {}

  /**
   * Opens the region's database and registers the first organiser on the first start with
   * tenants; `first` is its runtime, already running. Then starts every other registered one.
   */
  static async open(root: Storage, first: OrganiserRuntime, config: Config, opts: RuntimeOptions): Promise<Organisers> {
    if (!root.forDatabase) throw new Error('this storage cannot open other databases');
    const region = await root.forDatabase(regionDatabase(root));
    await migrateRegion(region);
    const all = await registered(region);
    if (!all.some((o) => o.first)) {
      await register(region, { id: first.organiser.id, name: first.organiser.name, database: root.database, timeZone: config.timeZone, first: true });
    }
    const o = new Organisers(root, region, config, opts);
    o.runtimes.set(first.organiser.id, first);
    for (const other of all.filter((x) => !x.first)) o.runtimes.set(other.id, await o.start(other));
    // What the catalogue gained or lost while an organiser's store was elsewhere (a restore).
    // Not a reason to serve no region: the next catalogue write or start brings it in line.
    await o.inheritCatalogue().catch((e) => opts.log(`the region's catalogue is not inherited yet: ${(e as Error).message}`));
    return o;
  }

  private async start(o: Organiser): Promise<OrganiserRuntime> {
    const config = organiserConfig(this.config, o);
    const storage = await this.root.forDatabase!(o.database);
    await migrate(storage, { retentionMonths: config.retentionMonths });
    await checkStoredTimeZone(storage, config.timeZone);
    const runtime = startOrganiser({ id: o.id, name: o.name, first: false }, config, storage, this.opts);
    await runtime.ctx.mail.start();
    return runtime;
  }

  get(id: string): OrganiserRuntime | undefined {
    return this.runtimes.get(id);
  }

  all(): OrganiserRuntime[] {
    return [...this.runtimes.values()];
  }

  /**
   * The peer comparison's inputs for organiser `id` over a window (figure 26): its own figures
   * as of its today, exact, and what each other organiser that contributes gives (asPeer, over
   * the same dates with its own today), with nothing that says whose they are. An organiser
   * that opted out gets none.
   */
  async peerInputs(id: string, window: Window): Promise<PeerInputs> {
    const all = this.all();
    const self = all.findIndex((rt) => rt.organiser.id === id);
    const storages = all.map((rt) => rt.ctx.storage);
    // Read-your-writes, as the region's aggregates: what each organiser accepted is counted.
    await Promise.all(all.map((rt) => rt.ctx.ingest.caughtUp(5_000)));
    // Every store's state and setting in two queries: a comparison over ten organisers looks at all ten.
    const [states, contributing] = await Promise.all([storeStates(this.region, storages), contributingIn(this.region, storages.map((s) => s.database))]);
    if (self < 0 || !contributing[self]) return 'opted_out';
    const asOf = (rt: OrganiserRuntime) => rt.ctx.today ?? todayInZone(rt.ctx.config.timeZone);
    // Each organiser's figures are kept while its store is unchanged (memoOnStore): ten
    // organisers would otherwise make ten licence reports per comparison.
    const figures = (i: number) => {
      const rt = all[i];
      return memoOnStore(rt.ctx.storage, `peers|${window.from}|${window.to}|${asOf(rt)}`, () => peerContribution(rt.ctx.storage, { window, asOf: asOf(rt) }), states[i]);
    };
    const own = await figures(self);
    const others: PeerContribution[] = [];
    for (let i = 0; i < all.length; i++) if (i !== self && contributing[i]) others.push(asPeer(await figures(i)));
    return { own, others };
  }

  list(): Promise<Organiser[]> {
    return registered(this.region);
  }

  /**
   * The framework agreements an organiser takes part in, with their terms only (not who else
   * does): what its licences may be call-offs of. The one thing of the region's registry an
   * organiser's routes read (RuntimeOptions.agreementsFor).
   */
  async agreementsFor(organiser: string): Promise<AgreementTerms[]> {
    return (await listAgreements(this.region, { participant: organiser })).map(termsOf);
  }

  /** The region's shared product catalogue (catalogue-registry.ts): what every organiser inherits. */
  catalogue(): Promise<Product[]> {
    return listCatalogue(this.region);
  }

  /**
   * Writes the catalogue into organisers' own products tables (inherited-products.ts), every
   * organiser's unless given some: after each catalogue write, at start and for a new organiser.
   */
  inheritCatalogue(only?: OrganiserRuntime[]): Promise<void> {
    const run = this.inheriting.then(async () => {
      const catalogue = await listCatalogue(this.region);
      // One organiser whose storage does not answer keeps none of the others from inheriting.
      const failed: unknown[] = [];
      for (const rt of only ?? this.all()) await inheritCatalogue(rt.ctx.storage, catalogue).catch((e) => failed.push(e));
      if (failed.length) throw failed[0];
    });
    this.inheriting = run.catch(() => undefined);
    return run;
  }

  /** A new organiser: its database migrated, its runtime started, its first admin token issued (shown once). */
  async add(input: OrganiserInput): Promise<{ organiser: Organiser; adminToken: { id: string; token: string } } | 'exists'> {
    if (this.runtimes.has(input.id) || this.adding.has(input.id)) return 'exists';
    if ((await registered(this.region)).some((o) => o.id === input.id)) return 'exists';
    this.adding.add(input.id);
    try {
      const o: Organiser = {
        id: input.id, name: input.name, database: organiserDatabase(this.root, input.id),
        timeZone: input.timeZone ?? this.config.timeZone, first: false, created: new Date().toISOString().slice(0, 19) + 'Z',
      };
      const runtime = await this.start(o);
      await this.inheritCatalogue([runtime]).catch((e) => this.opts.log(`[${o.id}] the region's catalogue is not inherited yet: ${(e as Error).message}`));
      const adminToken = await issueToken(runtime.ctx.storage, { name: input.adminTokenName ?? `first admin of ${input.name}`.slice(0, 200), role: 'admin' }, runtime.organiser);
      await register(this.region, o);
      this.runtimes.set(o.id, runtime);
      return { organiser: o, adminToken };
    } finally {
      this.adding.delete(input.id);
    }
  }
}
