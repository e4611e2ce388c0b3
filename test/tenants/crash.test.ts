import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { WINDOW } from './organiser-fixture.ts';
import { REGION_ADMIN_TOKEN, startTwoOrganisers } from './two-organisers.ts';

/**
 * Each organiser's journal is its own: events answered 202 and not yet stored when the process
 * is killed are stored after the restart, into their organiser's database and no other.
 */
let dataDir = '';
let s: RunningServer | undefined;
afterAll(async () => {
  await s?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const engOf = async (url: string, organiser: string) => {
  const r = await api(url, REGION_ADMIN_TOKEN).get(`/v1/region/organisers/${organiser}/aggregates?${WINDOW}`);
  expect(r.status, r.text).toBe(200);
  return r.json.products.find((p: { product: string }) => p.product.endsWith('-ENG'));
};

describe('a crash, per organiser', () => {
  it("journaled events of one organiser land in its store after a kill, never in the other's", async () => {
    // A long gathering keeps accepted events in the journal only, until the kill.
    const t = await startTwoOrganisers({ keepData: true, env: { LICENSKOLL_INGEST_LINGER_MS: '60000' } });
    dataDir = t.s.dataDir;
    const events = [1, 2, 3, 4, 5].map((i) => ({ id: `crash-${i}`, type: 'login', time: '2026-10-08T10:00:00+02:00', user: t.beta.fx.email(i), product: 'beta-eng.example' }));
    const r = await t.beta.client('ingest').post('/v1/events', events);
    expect(r.status, r.text).toBe(202);
    expect(r.json.accepted).toBe(5);
    await t.s.kill();

    s = await startServer({ dataDir, env: { LICENSKOLL_REGION_ADMIN_TOKEN: REGION_ADMIN_TOKEN } });
    // 5 of BETA's pupils used ENG (the organisation-wide licence): stored in BETA, after the restart.
    expect(await engOf(s.url, 'beta')).toMatchObject({ licensedActive: 5, utilisation: 5 / 30 });
    expect(await engOf(s.url, 'default')).toMatchObject({ licensedActive: 0 });
    // The same events sent again are duplicates in BETA, new in nobody else's store.
    const again = await api(s.url, t.beta.tokens.ingest).post('/v1/events', events);
    expect(again.json).toMatchObject({ accepted: 0, duplicates: 5 });
  }, 600_000);
});
