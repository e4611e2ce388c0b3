import { REGION_DEMO_ORGANISERS } from '@licenskoll/demo';
import { hasTarget } from '@licenskoll/core';
import { getLicences, listProducts, takeRegionVersion, upsertLicences } from '@licenskoll/licensing';
import { storeAgreement } from '../region/agreement-registry.ts';
import { storeCatalogue } from '../region/catalogue-registry.ts';
import type { Organisers } from '../region/organisers.ts';
import { issueRegionToken, listRegionTokens, revokeRegionToken } from '../region/region-tokens.ts';
import { DEMO_TOKEN_PREFIX, issueDemoSignIns } from './demo-roles.ts';
import { seedDemo } from './demo-seed.ts';

/**
 * `LICENSKOLL_DEMO=region`: the demo municipality (the first organiser) and three smaller
 * ones beside it in one installation, each in its own database with its own roster, usage and
 * prices (packages/demo/src/organiser.ts), so that the region's aggregates and every
 * organiser's "Så gör andra" have figures, a shared catalogue the three smaller ones inherit
 * and a joint procurement. Made once; every start prints fresh sign-ins: the
 * region admin's, and per municipality an admin's and the demo roles' (revoking the earlier).
 */
export async function startRegionDemo(organisers: Organisers, log: (m: string) => void): Promise<void> {
  const known = new Set((await organisers.list()).map((o) => o.id));
  const fresh = REGION_DEMO_ORGANISERS.every((o) => !known.has(o.id));
  const lines: string[] = [];
  for (const o of REGION_DEMO_ORGANISERS) {
    let scopes: Awaited<ReturnType<typeof seedDemo>> = [];
    if (!known.has(o.id)) {
      const made = await organisers.add({ id: o.id, name: o.name, timeZone: o.timeZone, adminTokenName: `${DEMO_TOKEN_PREFIX}administratör` });
      if (made === 'exists') continue;
      scopes = await seedDemo(organisers.get(o.id)!.ctx, log, o);
    }
    const rt = organisers.get(o.id);
    if (!rt) continue;
    const signIns = await issueDemoSignIns(rt.ctx, scopes);
    lines.push(`${o.name}:`, ...signIns.map((x) => `  ${x.role.padEnd(10)} ${x.who.padEnd(40)}  ${x.token}`), '');
  }
  if (fresh) {
    await sharedCatalogue(organisers, log);
    await jointProcurement(organisers, log);
  }
  // Region tokens of earlier starts are revoked: a secret is printed once, so each start prints a new one.
  for (const t of await listRegionTokens(organisers.region)) {
    if (t.name.startsWith(DEMO_TOKEN_PREFIX) && !t.revoked) await revokeRegionToken(organisers.region, t.id);
  }
  const region = await issueRegionToken(organisers.region, { name: `${DEMO_TOKEN_PREFIX}regionen`, role: 'region_admin' });
  log([
    `\nRegion demo: ${REGION_DEMO_ORGANISERS.length + 1} municipalities in one installation (docs/tenants.md).`,
    `  region admin (the dashboard's Regionen, and /v1/region/...)  ${region.token}`,
    '',
    ...lines,
  ].join('\n'));
}

/** The region demo's joint procurement: every municipality's pupil licences of one product become call-offs at the agreed price. */
const JOINT = { id: 'gr-matte-direkt', name: 'Matte Direkt 7–9, gemensam upphandling', product: 'sanoma-matte-direkt-7-9', supplier: 'Sanoma Utbildning', pricePerSeat: 89 };

async function jointProcurement(organisers: Organisers, log: (m: string) => void): Promise<void> {
  const all = organisers.all();
  const callOffs = await Promise.all(all.map(async (rt) => (await getLicences(rt.ctx.storage)).filter((l) => l.product === JOINT.product && l.audience === 'students' && l.seats !== null)));
  const periods = callOffs.flat();
  if (!periods.length) return;
  const start = periods.map((l) => l.start).sort()[0];
  const end = periods.map((l) => l.end).sort().at(-1)!;
  await storeAgreement(organisers.region, {
    ...JOINT, currency: 'SEK', start, end, organisers: all.map((rt) => rt.organiser.id), created: new Date().toISOString().slice(0, 19) + 'Z',
  });
  for (const [i, rt] of all.entries()) {
    await upsertLicences(rt.ctx.storage, callOffs[i].map(({ target, ...l }) => ({ ...l, ...(hasTarget(target) ? { target } : {}), agreement: JOINT.id, price: (l.seats ?? 0) * JOINT.pricePerSeat })));
  }
  log(`joint procurement ${JOINT.id}: ${periods.length} call-offs by ${all.length} municipalities at ${JOINT.pricePerSeat} kr per seat`);
}

/**
 * The region demo's shared catalogue: the demo's products, with every identifier any of the
 * municipalities has for them (each generated its own Entra app ids), kept by the region; the
 * three smaller municipalities inherit it, the first keeps its own versions (its overrides).
 */
async function sharedCatalogue(organisers: Organisers, log: (m: string) => void): Promise<void> {
  const all = organisers.all();
  const lists = await Promise.all(all.map((rt) => listProducts(rt.ctx.storage)));
  const byId = new Map<string, (typeof lists)[number][number]>();
  for (const p of lists.flat()) {
    const seen = byId.get(p.id);
    byId.set(p.id, seen ? { ...seen, identifiers: [...new Set([...seen.identifiers, ...p.identifiers])] } : p);
  }
  const stored = await storeCatalogue(organisers.region, [...byId.values()]);
  for (const rt of all.filter((x) => !x.organiser.first)) for (const p of stored) await takeRegionVersion(rt.ctx.storage, p);
  log(`shared catalogue: ${stored.length} products, inherited by ${all.length - 1} municipalities`);
}
