import { REGION_DEMO_ORGANISERS } from '@licenskoll/demo';
import { nextVersion, queryRows } from '@licenskoll/storage';
import type { Organisers } from '../region/organisers.ts';
import { issueRegionToken } from '../region/region-tokens.ts';
import { DEMO_TOKEN_PREFIX, issueDemoSignIns } from './demo-roles.ts';
import { seedDemo } from './demo-seed.ts';

/**
 * `LICENSKOLL_DEMO=region`: the demo municipality (the first organiser) and three smaller
 * ones beside it in one installation, each in its own database with its own roster, usage and
 * prices (packages/demo/src/organiser.ts), so that the region's aggregates and every
 * organiser's "Så gör andra" have figures. Made once; every start prints fresh sign-ins: the
 * region admin's, and per municipality an admin's and the demo roles' (revoking the earlier).
 */
export async function startRegionDemo(organisers: Organisers, log: (m: string) => void): Promise<void> {
  const known = new Set((await organisers.list()).map((o) => o.id));
  const lines: string[] = [];
  for (const o of REGION_DEMO_ORGANISERS) {
    let fresh: Awaited<ReturnType<typeof seedDemo>> = [];
    if (!known.has(o.id)) {
      const made = await organisers.add({ id: o.id, name: o.name, timeZone: o.timeZone, adminTokenName: `${DEMO_TOKEN_PREFIX}administratör` });
      if (made === 'exists') continue;
      fresh = await seedDemo(organisers.get(o.id)!.ctx, log, o);
    }
    const rt = organisers.get(o.id);
    if (!rt) continue;
    const signIns = await issueDemoSignIns(rt.ctx, fresh);
    lines.push(`${o.name}:`, ...signIns.map((x) => `  ${x.role.padEnd(10)} ${x.who.padEnd(40)}  ${x.token}`), '');
  }
  // Region tokens of earlier starts are revoked: a secret is printed once, so each start prints a new one.
  const earlier = await queryRows<{ id: string; name: string; role: string; hash: string; created: string }>(
    organisers.region.write,
    `SELECT id, name, role, hash, formatDateTime(created, '%Y-%m-%d %H:%i:%S', 'UTC') AS created FROM region_tokens FINAL
     WHERE startsWith(name, {prefix:String}) AND revoked = 0`,
    { prefix: DEMO_TOKEN_PREFIX },
  );
  if (earlier.length) {
    await organisers.region.write.insert({
      table: 'region_tokens',
      values: earlier.map((t) => ({ ...t, expires: null, revoked: 1, version: nextVersion() })),
      format: 'JSONEachRow',
    });
  }
  const region = await issueRegionToken(organisers.region, { name: `${DEMO_TOKEN_PREFIX}regionen`, role: 'region_admin' });
  log([
    `\nRegion demo: ${REGION_DEMO_ORGANISERS.length + 1} municipalities in one installation (docs/tenants.md).`,
    `  region admin (API only: /v1/region/...)  ${region.token}`,
    '',
    ...lines,
  ].join('\n'));
}
