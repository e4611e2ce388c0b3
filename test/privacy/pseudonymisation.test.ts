import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pseudonymiser, loadConfig } from '@licenskoll/core';
import { openStorage } from '@licenskoll/storage';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { huvudman, skolenhet } from '../helpers/ss12000-records.ts';

/**
 * Pseudonymisation, verified from the outside: a roster and events carrying known raw
 * identifiers (eppn, e-mail, civic numbers, external ids, SS12000 person ids, names, phone,
 * address) go in through every ingest path; then every export (each report as JSON and CSV,
 * for each role, the audit log, the right-of-access export), the server's whole log, and the
 * whole data directory are searched for them. The data directory is searched twice: its raw
 * bytes (every file, binary or not) and, because ClickHouse compresses column data, every
 * row of every table as the engine decompresses it.
 */
const KEY = 'test-pseudonym-key-0123456789abcdef';
const UNIT = 'aa000000-0000-4000-8000-0000000000a1';
const ORG = 'aa000000-0000-4000-8000-0000000000a0';
const GROUP = 'bb000000-0000-4000-8000-0000000000b1';

const people = [
  { id: 'cc000000-0000-4000-8000-00000000c0a1', eppn: 'Zelda.Grepsson@Elev.Greptown.se', email: 'zelda.grepsson.privat@grepmail.example', ext: 'GREPEXT-77810', civic: '201003152389', given: 'Zeldamaria', family: 'Grepsson-Kvarnbäck', phone: '0701234599', street: 'Grepgatan 17' },
  { id: 'cc000000-0000-4000-8000-00000000c0a2', eppn: 'ossian.uniksson@elev.greptown.se', email: 'Ossian.Uniksson@Hem.Grepmail.example', ext: 'GREPEXT-77811', civic: '201105049876', given: 'Ossianfrid', family: 'Uniksson', phone: '0707654488', street: 'Unikvägen 3B' },
  { id: 'cc000000-0000-4000-8000-00000000c0a3', eppn: 'tyra.sallsynt@elev.greptown.se', email: 'tyra.sallsynt@grepmail.example', ext: 'GREPEXT-77812', civic: '200912310011', given: 'Tyralinnea', family: 'Sällsyntsdotter', phone: '0761112277', street: 'Sällsyntstigen 9' },
  { id: 'cc000000-0000-4000-8000-00000000c0a4', eppn: 'vilgot.raritet@elev.greptown.se', email: 'vilgot.raritet@grepmail.example', ext: 'GREPEXT-77813', civic: '201007076543', given: 'Vilgotsson', family: 'Raritetberg', phone: '0739998811', street: 'Raritetsgränd 21' },
  { id: 'cc000000-0000-4000-8000-00000000c0a5', eppn: 'ebba.enastaende@elev.greptown.se', email: 'ebba.enastaende@grepmail.example', ext: 'GREPEXT-77814', civic: '201002286420', given: 'Ebbalovisa', family: 'Enastående', phone: '0705550033', street: 'Enaståendeallén 5' },
];
const teacher = { id: 'cc000000-0000-4000-8000-00000000c0f1', eppn: 'lararen.hemligsson@personal.greptown.se', email: 'Lararen.Hemligsson@Greptown.se', civic: '197801019999', given: 'Lärarhemlig', family: 'Hemligsson' };

const meta = { created: '2026-06-01T08:00:00+02:00', modified: '2026-08-01T08:00:00+02:00' };
const roster = {
  organisations: [
    huvudman(ORG, meta, 'Greptown kommun', '2120009999'),
    skolenhet(UNIT, meta, 'Grepskolan', '49999999', ORG),
  ],
  persons: [
    ...people.map((p) => ({
      id: p.id, meta, givenName: p.given, familyName: p.family, birthDate: `${p.civic.slice(0, 4)}-${p.civic.slice(4, 6)}-${p.civic.slice(6, 8)}`,
      civicNo: { value: p.civic, nationality: 'SE' }, eduPersonPrincipalNames: [p.eppn],
      emails: [{ value: p.email, type: 'Privat' }], phoneNumbers: [{ value: p.phone, type: 'Mobil' }],
      addresses: [{ type: 'Folkbokföring', streetAddress: p.street, locality: 'Greptown', postalCode: '99999' }],
      externalIdentifiers: [{ value: p.ext, context: 'https://skolportal.greptown.se', globallyUnique: false }],
      enrolments: [{ enroledAt: { id: UNIT }, schoolYear: 7, schoolType: 'GR', startDate: '2026-08-15' }],
    })),
    {
      id: teacher.id, meta, givenName: teacher.given, familyName: teacher.family, civicNo: { value: teacher.civic, nationality: 'SE' },
      eduPersonPrincipalNames: [teacher.eppn], emails: [{ value: teacher.email, type: 'Skola personal' }],
    },
  ],
  groups: [{
    id: GROUP, meta, displayName: '7G', groupType: 'Klass', startDate: '2026-08-15', endDate: '2027-06-15', organisation: { id: UNIT },
    groupMemberships: people.map((p) => ({ person: { id: p.id } })),
  }],
  duties: [{ id: 'duty-grep-1', meta, person: { id: teacher.id }, dutyAt: { id: UNIT }, dutyRole: 'Lärare', startDate: '2020-08-01', assignmentRole: [{ group: { id: GROUP }, assignmentRoleType: 'Mentor' }] }],
};

const SP = 'https://sp.grepmatte.example/shibboleth';
const day = (d: number, h = 9) => `2026-10-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00+02:00`;
/** Each person under each of their identifiers, in other case too, through JSON, NDJSON, Caliper and a Shibboleth audit log. */
const jsonEvents = people.flatMap((p, i) => [
  { type: 'login', time: day(1 + i), user: p.eppn, product: SP, source: 'shibboleth' },
  { type: 'launch', time: day(1 + i, 10), user: p.email.toUpperCase(), product: SP },
  { type: 'login', time: day(1 + i, 11), user: p.ext, product: SP, source: 'portal' },
  { type: 'login', time: day(1 + i, 12), user: `urn:uuid:${p.id.toUpperCase()}`, product: SP },
]);
const ndjson = people.map((p, i) => JSON.stringify({ id: `nd-${i}`, type: 'login', time: day(10 + i), user: p.eppn.toLowerCase(), product: 'grep-lti-client' })).join('\n');
const caliper = {
  sensor: 'https://lms.greptown.se/sensor', sendTime: '2026-10-20T10:00:00.000Z', dataVersion: 'http://purl.imsglobal.org/ctx/caliper/v1p2',
  data: people.map((p, i) => ({
    '@context': 'http://purl.imsglobal.org/ctx/caliper/v1p2', id: `urn:uuid:ee000000-0000-4000-8000-00000000000${i}`, type: 'ToolLaunchEvent', action: 'Launched',
    actor: { id: p.email, type: 'Person' }, object: { id: SP, type: 'SoftwareApplication' }, eventTime: day(20 + i),
  })),
};
const shib = people
  .map((p, i) => `202610${String(25 + i).padStart(2, '0')}T071233Z|urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect|_g${i}|${SP}|urn:mace:shibboleth:2.0:profiles:saml2:sso:browser|https://idp.greptown.se/idp/shibboleth|urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST|_h${i}|${p.eppn}|urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport|eduPersonPrincipalName,mail|AAdz${i}|_k${i}|`)
  .join('\n');

/** Every raw identifier and name, as given and in the forms normalising produces. */
const needles = [...new Set([
  ...people.flatMap((p) => [p.id, p.id.toUpperCase(), p.eppn, p.eppn.toLowerCase(), p.email, p.email.toLowerCase(), p.email.toUpperCase(), p.ext, p.civic,
    `${p.civic.slice(0, 8)}-${p.civic.slice(8)}`, p.civic.slice(2), p.given, p.family, p.phone, p.street]),
  teacher.id, teacher.eppn, teacher.email, teacher.email.toLowerCase(), teacher.civic, teacher.given, teacher.family,
])];

let s: RunningServer;
const exports: { what: string; text: string }[] = [];
const found = (text: string) => needles.filter((n) => text.includes(n));

beforeAll(async () => {
  s = await startServer({ keepData: true, env: { LICENSKOLL_PSEUDONYM_KEY: KEY } });
  const a = api(s.url, s.adminToken);
  const imp = await a.post('/v1/import/ss12000?asOf=2026-08-20', roster);
  expect(imp.status, imp.text).toBe(200);
  expect(imp.json.rejected).toEqual([]);
  expect((await a.post('/v1/products', { id: 'GREPMATTE', name: 'Grepmatte', identifiers: [SP, 'grep-lti-client'] })).status).toBe(201);
  expect((await a.post('/v1/licences', { id: 'L-GREP', product: 'GREPMATTE', seats: 30, scope: { type: 'school', ids: [UNIT] }, audience: 'students', start: '2026-08-01', end: '2027-07-31', price: 3000, buyer: 'Grepskolan' })).status).toBe(201);
  expect((await a.post('/v1/events', jsonEvents)).json).toMatchObject({ accepted: jsonEvents.length });
  expect((await a.post('/v1/events', ndjson, { 'content-type': 'application/x-ndjson' })).json).toMatchObject({ accepted: people.length });
  expect((await a.post('/v1/caliper', caliper)).json).toMatchObject({ accepted: people.length });
  const sh = await a.post('/v1/import/shibboleth-audit', shib, { 'content-type': 'text/plain' });
  expect(sh.status, sh.text).toBeLessThan(300);
  // Rejected input carrying identifiers must not reach a log line either.
  expect((await a.post('/v1/events', [{ type: 'logout', time: day(3), user: people[0].eppn, product: SP }])).status).toBe(400);
  expect((await a.post('/v1/events', `{"user": "${people[1].eppn}", `)).status).toBe(400);
  // A right-of-access request names the person; the audit log keeps only the pseudonym.
  const access = await a.post('/v1/privacy/access', { identifier: people[0].eppn });
  expect(access.status).toBe(200);
  exports.push({ what: 'privacy access export', text: access.text });
  const principal = (await a.post('/v1/tokens', { name: 'Rektor Grepskolan', role: 'principal', schools: [UNIT] })).json.token;
  const teacherToken = (await a.post('/v1/tokens', { name: 'Mentor 7G', role: 'teacher', groups: [GROUP] })).json.token;

  for (const [who, token] of [['admin', s.adminToken], ['principal', principal], ['teacher', teacherToken]] as const) {
    const c = api(s.url, token);
    for (const report of ['overview', 'class-usage', 'licences', 'unused', 'renewals', 'buyers', 'unmapped']) {
      for (const format of ['json', 'csv']) {
        const params = report === 'unmapped' ? '' : report === 'unused' ? '&asOf=2026-11-28&days=90' : report === 'renewals' ? '&asOf=2026-11-28&within=365' : '&from=2026-08-01&to=2026-11-28';
        const r = await c.get(`/v1/reports/${report}?format=${format}${params}`);
        if (r.status === 200) exports.push({ what: `${report}.${format} as ${who}`, text: r.text });
      }
    }
    for (const p of ['/v1/me', '/v1/licences', '/v1/followups', '/v1/groups', '/v1/organisations', '/v1/products', '/v1/tokens', '/v1/audit', '/v1/audit?format=csv', '/v1/privacy/erasures']) {
      const r = await c.get(p);
      if (r.status === 200) exports.push({ what: `${p} as ${who}`, text: r.text });
    }
  }
}, 180_000);

afterAll(async () => {
  if (s) rmSync(s.dataDir, { recursive: true, force: true });
});

describe('no raw identifier leaves or stays', () => {
  it('the figures count the events: the identifiers were resolved through their pseudonyms', async () => {
    const r = await api(s.url, s.adminToken).get('/v1/reports/class-usage?from=2026-08-01&to=2026-11-28');
    expect(r.json.rows[0]).toMatchObject({ group: GROUP, enrolled: 5, active: 5 });
    const exp = exports.find((e) => e.what === 'privacy access export')!;
    const body = JSON.parse(exp.text);
    // The subject's four identifiers and person id, as pseudonyms; every event of theirs, by day and product.
    expect(body.subject.pseudonyms).toHaveLength(4);
    expect(body.stored.usageByDayAndProduct.reduce((a: number, u: any) => a + u.events, 0)).toBe(7);
  });

  it('is in no export: every report as JSON and CSV for admin, principal and teacher, the audit log, the access export', () => {
    expect(exports.length).toBeGreaterThanOrEqual(45);
    const bytes = exports.reduce((a, e) => a + Buffer.byteLength(e.text), 0);
    console.log(`searched ${exports.length} exports, ${bytes} bytes, for ${needles.length} raw strings`);
    for (const e of exports) expect(found(e.text), e.what).toEqual([]);
  });

  it('is in no log line', async () => {
    await s.stop();
    const log = s.output();
    expect(log).toMatch(/listens on/);
    expect(found(log)).toEqual([]);
  });

  it('is in no byte of the data directory, and no row of any table', async () => {
    // Raw bytes: every file under the data directory, binary included.
    let files = 0;
    let bytes = 0;
    const hits: string[] = [];
    const bufs = needles.map((n) => Buffer.from(n, 'utf8'));
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        const st = statSync(p);
        if (st.isDirectory()) walk(p);
        else if (st.isFile()) {
          const data = readFileSync(p);
          files++;
          bytes += data.length;
          bufs.forEach((b, i) => {
            if (data.indexOf(b) >= 0) hits.push(`${needles[i]} in ${p}`);
          });
        }
      }
    };
    walk(s.dataDir);
    console.log(`searched ${files} files, ${bytes} bytes of ${s.dataDir} for ${needles.length} raw strings`);
    expect(files).toBeGreaterThan(50);
    expect(hits).toEqual([]);

    // Decompressed: every row of every table, as the engine reads it.
    const config = loadConfig({ LICENSKOLL_DATA_DIR: s.dataDir, LICENSKOLL_DEMO: 'off', LICENSKOLL_PSEUDONYM_KEY: KEY });
    const storage = await openStorage(config);
    try {
      const tables = await (await storage.write.query({
        query: `SELECT database, name FROM system.tables
                WHERE database NOT IN ('system', 'information_schema', 'INFORMATION_SCHEMA') AND engine NOT LIKE '%View'`,
        format: 'JSONEachRow',
      })).json<{ database: string; name: string }>();
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['events', 'usage_daily', 'identities', 'persons', 'memberships', 'audit_log']));
      let dumped = 0;
      let rows = 0;
      const pseudo = new Pseudonymiser(KEY);
      let controls = 0;
      for (const t of tables) {
        const text = await (await storage.write.query({ query: `SELECT * FROM \`${t.database}\`.\`${t.name}\``, format: 'JSONEachRow' })).text();
        dumped += text.length;
        rows += text ? text.trim().split('\n').length : 0;
        expect(found(text), `${t.database}.${t.name}`).toEqual([]);
        // Positive control: the pseudonyms are there, so the search looked at the right data.
        if (t.name === 'events' || t.name === 'identities') for (const p of people) if (text.includes(pseudo.user(p.eppn))) controls++;
      }
      console.log(`searched ${tables.length} tables, ${rows} rows, ${dumped} bytes decompressed`);
      expect(controls).toBe(2 * people.length);
      // The roster keeps no names: no table has a column for them.
      const cols = await (await storage.write.query({
        query: `SELECT table, name FROM system.columns WHERE database NOT IN ('system', 'information_schema', 'INFORMATION_SCHEMA')`,
        format: 'JSONEachRow',
      })).json<{ table: string; name: string }>();
      const personal = cols.filter((c) => /given|family|civic|birth|phone|address|email|eppn|first_?name|last_?name/i.test(c.name));
      expect(personal).toEqual([]);
    } finally {
      await storage.close();
    }
  });
});
