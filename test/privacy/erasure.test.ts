import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pseudonymiser, loadConfig } from '@licenskoll/core';
import { openStorage } from '@licenskoll/storage';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { CODE, ID, YEAR, eppn, loadScenario, pupilsA7A, staffEppn } from '../roles/scenario.ts';

/**
 * Right of access (art. 15) and erasure (art. 17) for one person, and the audit log of who
 * read or exported what. The erased person's pseudonyms must be in no table afterwards except
 * the erasure record and the audit log's record of the request itself.
 */
const KEY = 'test-pseudonym-key-0123456789abcdef';
let s: RunningServer;
let a: ReturnType<typeof api>;
const subject = pupilsA7A[0];

beforeAll(async () => {
  s = await startServer({ keepData: true, env: { LICENSKOLL_PSEUDONYM_KEY: KEY } });
  a = api(s.url, s.adminToken);
  await loadScenario(a);
}, 120_000);

afterAll(async () => {
  await s?.stop();
  if (s) rmSync(s.dataDir, { recursive: true, force: true });
});

const matte7A = async () => (await a.get(`/v1/reports/class-usage?${YEAR}&product=MATTE`)).json.rows.find((r: any) => r.group === ID.g7A);

describe('audit log', () => {
  it('records who read or exported what, with role, scope and parameters; a refused request too', async () => {
    const purchaser = api(s.url, (await a.post('/v1/tokens', { name: 'Inköp Centralt', role: 'purchaser' })).json.token);
    const principal = api(s.url, (await a.post('/v1/tokens', { name: 'Rektor Norr', role: 'principal', schools: [CODE.A] })).json.token);
    expect((await purchaser.get(`/v1/reports/licences?${YEAR}`)).status).toBe(200);
    expect((await purchaser.get(`/v1/reports/class-usage?${YEAR}&format=csv`)).status).toBe(200);
    expect((await principal.get(`/v1/reports/class-usage?${YEAR}&school=${ID.B}`)).status).toBe(403);
    expect((await principal.get('/v1/me')).status).toBe(200); // not a read of data: not logged

    const log = await a.get('/v1/audit?limit=100');
    expect(log.status).toBe(200);
    const find = (actor: string, action: string) => log.json.rows.find((r: any) => r.actor === actor && r.action === action);
    expect(find('Inköp Centralt', 'report.licences')).toMatchObject({
      role: 'purchaser', via: 'token', method: 'GET', path: '/v1/reports/licences', status: 200, rows: 5,
      params: { from: '2026-08-01', to: '2026-11-28' }, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/),
    });
    expect(find('Inköp Centralt', 'export.class-usage')).toMatchObject({ params: { format: 'csv', from: '2026-08-01', to: '2026-11-28' }, status: 200 });
    expect(find('Rektor Norr', 'report.class-usage')).toMatchObject({ role: 'principal', schools: [CODE.A], status: 403, rows: -1, params: { school: ID.B } });
    expect(log.json.rows.some((r: any) => r.actor === 'Rektor Norr' && r.path === '/v1/me')).toBe(false);
    expect(log.json.rows.find((r: any) => r.action === 'token.issue')).toMatchObject({ actor: 'LICENSKOLL_ADMIN_TOKEN', via: 'env' });

    // Filters, and CSV for the data protection officer's spreadsheet.
    const only = await a.get('/v1/audit?action=export');
    expect(only.json.rows.every((r: any) => r.action.startsWith('export.'))).toBe(true);
    const csv = await a.get('/v1/audit?format=csv&action=report.licences');
    expect(csv.text).toMatch(/Inköp Centralt/);
    // Reading the log is itself logged.
    expect((await a.get('/v1/audit?action=audit.read')).json.rows.length).toBeGreaterThan(0);
    expect((await purchaser.get('/v1/audit')).status).toBe(403);
  });
});

describe('right of access and erasure', () => {
  it('exports everything stored about a person, as pseudonyms', async () => {
    const r = await a.post('/v1/privacy/access', { identifier: eppn(subject).toUpperCase() });
    expect(r.status).toBe(200);
    const pseudo = new Pseudonymiser(KEY);
    expect(r.json.subject).toMatchObject({ pseudonym: pseudo.user(eppn(subject)), person: pseudo.user(subject), found: true });
    const st = r.json.stored;
    expect(st.identities.map((i: any) => i.pseudonym).sort()).toEqual([pseudo.user(eppn(subject)), pseudo.user(subject)].sort());
    expect(st.enrolments).toEqual([expect.objectContaining({ school: ID.A, schoolName: 'Norrskolan', start: '2026-08-15' })]);
    expect(st.memberships).toEqual([expect.objectContaining({ group: ID.g7A, groupName: '7A', school: ID.A })]);
    expect(st.usageByDayAndProduct.map((u: any) => [u.day, u.product, u.events])).toEqual([
      ['2026-09-10', 'NO', 1], ['2026-10-05', 'MATTE', 1], ['2026-11-03', 'ENG', 1],
    ]);
    expect(st.rawEvents).toHaveLength(3);
    expect(r.text.toLowerCase()).not.toContain(eppn(subject));
    // Nothing stored under an unknown identifier.
    const none = await a.post('/v1/privacy/access', { identifier: 'nobody@nowhere.example' });
    expect(none.json.subject.found).toBe(false);
    expect((await a.post('/v1/privacy/access', { identifier: '' })).status).toBe(400);
  });

  it('erases the person everywhere, records it, and the figures follow', async () => {
    expect(await matte7A()).toMatchObject({ enrolled: 6, active: 4 });
    expect((await a.post('/v1/privacy/erase', { identifier: eppn(subject) })).status).toBe(400); // needs confirm: true
    const r = await a.post('/v1/privacy/erase', { identifier: eppn(subject), confirm: true });
    expect(r.status, r.text).toBe(200);
    expect(r.json.counts).toMatchObject({
      events: 3, usage_daily: 3, identities: 2, persons: 1, enrolments: 1, memberships: 1, duty_assignments: 0, duties: 0, sessions: 0, event_keys: 3,
    });
    // Any other table keyed by a person's pseudonym is found by its columns and erased too.
    for (const n of Object.values(r.json.counts)) expect(typeof n).toBe('number');
    expect(await matte7A()).toMatchObject({ enrolled: 5, active: 3 });
    const lic = (await a.get(`/v1/reports/licences?${YEAR}`)).json.rows.find((x: any) => x.licence === 'L-ORG');
    expect(lic.licensedActive).toBe(4);
    const after = await a.post('/v1/privacy/access', { identifier: eppn(subject) });
    expect(after.json.subject.found).toBe(false);
    for (const [k, v] of Object.entries(after.json.stored)) if (k !== 'earlierErasures') expect(v, k).toEqual([]);
    expect(after.json.stored.earlierErasures).toHaveLength(1);

    const rec = await a.get('/v1/privacy/erasures');
    expect(rec.json.rows).toEqual([expect.objectContaining({
      actor: 'LICENSKOLL_ADMIN_TOKEN', role: 'admin', person: new Pseudonymiser(KEY).user(subject), counts: r.json.counts,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    })]);
    expect((await a.post('/v1/privacy/erase', { identifier: eppn(subject), confirm: true })).status).toBe(404);
    const audit = await a.get('/v1/audit?action=privacy');
    expect(audit.json.rows.find((x: any) => x.action === 'privacy.erase' && x.status === 200).params).toEqual({
      pseudonym: new Pseudonymiser(KEY).user(eppn(subject)), person: new Pseudonymiser(KEY).user(subject),
    });
    expect(audit.text.toLowerCase()).not.toContain(eppn(subject));
  });

  it('erases a member of staff with their duties and assignments', async () => {
    const r = await a.post('/v1/privacy/erase', { identifier: staffEppn.t7A, confirm: true });
    // Their e-mail is their eppn in capitals: one identity after normalising, plus the person id.
    expect(r.json.counts).toMatchObject({ identities: 2, persons: 1, duties: 1, duty_assignments: 1, events: 0 });
  });

  it('leaves the pseudonyms in no table but the erasure record and the audit log', async () => {
    await s.stop();
    const pseudo = new Pseudonymiser(KEY);
    const hex = [pseudo.user(subject), pseudo.user(eppn(subject)), pseudo.user(ID.t7A), pseudo.user(staffEppn.t7A)];
    // Also as the 128-bit numbers a rollup may key by (reinterpretAsUInt128(unhex(key)), little-endian).
    const asNumber = (h: string) => [...Buffer.from(h, 'hex')].reduceRight((acc, b) => acc * 256n + BigInt(b), 0n).toString();
    const keys = [...hex, ...hex.map(asNumber)];
    const storage = await openStorage(loadConfig({ LICENSKOLL_DATA_DIR: s.dataDir, LICENSKOLL_DEMO: 'off', LICENSKOLL_PSEUDONYM_KEY: KEY }));
    try {
      const tables = await (await storage.write.query({
        query: `SELECT name FROM system.tables WHERE database = currentDatabase() AND engine NOT LIKE '%View'`, format: 'JSONEachRow',
      })).json<{ name: string }>();
      const holding: string[] = [];
      for (const t of tables) {
        const text = await (await storage.write.query({ query: `SELECT * FROM \`${t.name}\``, format: 'JSONEachRow' })).text();
        if (keys.some((k) => text.includes(k))) holding.push(t.name);
      }
      expect(holding.sort()).toEqual(['audit_log', 'erasures']);
    } finally {
      await storage.close();
    }
  });
});
