import type { DemoOrganiser, Ss12000Group, Ss12000Organisation } from '@licenskoll/demo';
import { importSs12000 } from '@licenskoll/roster';
import { upsertLicences, upsertProducts } from '@licenskoll/licensing';
import { queryRows } from '@licenskoll/storage';
import { todayInZone, type TokenInput } from '@licenskoll/core';
import type { AppContext } from '../context.ts';
import { demoRoleScopes } from './demo-roles.ts';

/** True when nothing has been stored yet: the demo never mixes into real data. */
export async function storeIsEmpty(ctx: AppContext): Promise<boolean> {
  const [r] = await queryRows<{ n: number }>(
    ctx.storage.write,
    `SELECT (SELECT count() FROM usage_daily) + (SELECT count() FROM persons) + (SELECT count() FROM licences) + (SELECT count() FROM products) AS n`,
    {},
    ['n'],
  );
  return r.n === 0;
}

/**
 * Seeds the demo municipality through the same code paths as the API, or (`as`) one of the
 * region demo's others under its name (region-demo.ts); answers the scopes of its demo
 * sign-ins (demo-roles.ts).
 */
export async function seedDemo(ctx: AppContext, log: (msg: string) => void, as?: DemoOrganiser): Promise<TokenInput[]> {
  const t0 = performance.now();
  const today = ctx.today ?? todayInZone(ctx.config.timeZone);
  // Loaded only when seeding: a production start never pays for the generator.
  const { asOrganiser, generateDemo } = await import('@licenskoll/demo');
  const generated = generateDemo({ seed: as?.seed ?? 2026, today, timeZone: ctx.config.timeZone, scale: as?.scale });
  const demo = as ? asOrganiser(generated, as) : generated;
  await importSs12000({ storage: ctx.storage, pseudo: ctx.pseudo }, demo.ss12000, demo.asOf);
  await upsertProducts(ctx.storage, demo.products);
  await upsertLicences(ctx.storage, demo.licences);
  // Seeded means stored: the first report after the start shows the whole demo.
  const { read: n } = await ctx.ingest.load(demo.events(), { trusted: true, batchRows: 10_000, inFlight: 4, storedWithinMs: 10 * 60_000 });
  const s = demo.summary;
  log(
    `${as ? as.name : 'demo municipality'} seeded in ${Math.round(performance.now() - t0)} ms: ${s.schoolUnits} school units, ${s.groups} groups, ` +
      `${s.pupils} pupils, ${s.staff} staff, ${s.products} products, ${s.licences} licences, ${n} events`,
  );
  return demoRoleScopes(demo.ss12000.organisations as Ss12000Organisation[], demo.ss12000.groups as Ss12000Group[]);
}
