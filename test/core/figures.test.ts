import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { ID, events, importAugust, importJanuary, licences, products } from './scenario.ts';

/**
 * Every figure of docs/figures.md against hand-computed answers, through real HTTP on the real
 * embedded engine. The scenario (scenario.ts) is sent in the hard order: events first,
 * then the roster, then products and licences.
 */
let s: RunningServer;
let a: ReturnType<typeof api>;
const YEAR = 'from=2025-08-01&to=2026-07-31';
const byGroup = (rows: any[], group: string, product = 'MATTE') => rows.find((r) => r.group === group && r.product === product);
const byLicence = (rows: any[], id: string) => rows.find((r) => r.licence === id);

beforeAll(async () => {
  s = await startServer();
  a = api(s.url, s.adminToken);
  const sent = await a.post('/v1/events', events);
  expect(sent.status).toBe(202);
  expect(sent.json).toEqual({ accepted: events.length, duplicates: 0, rejected: [] });
  expect((await a.post('/v1/import/ss12000?asOf=2025-08-15', importAugust)).status).toBe(200);
  const jan = await a.post('/v1/import/ss12000?asOf=2026-01-10', importJanuary);
  expect(jan.status).toBe(200);
  expect(jan.json.closedMemberships).toBe(1);
  expect((await a.post('/v1/products', products)).status).toBe(201);
  expect((await a.post('/v1/licences', licences)).status).toBe(201);
});

afterAll(async () => {
  await s?.stop();
});

describe('ingest', () => {
  it('counts a resent batch as duplicates, with and without ids', async () => {
    const again = await a.post('/v1/events', events);
    expect(again.status).toBe(202);
    expect(again.json).toEqual({ accepted: 0, duplicates: events.length, rejected: [] });
  });

  it('keeps the good events of a batch and names the bad row, its field and why', async () => {
    const batch = [
      { id: 'x-good', type: 'login', time: '2025-06-01T08:00:00+02:00', user: 'nobody@x.se', product: 'other-product' },
      { id: 'x-bad', type: 'logout', time: '2025-06-01T08:00:00+02:00', user: 'nobody@x.se', product: 'other-product' },
      { id: 'x-notime', type: 'login', user: 'nobody@x.se', product: 'other-product' },
    ];
    const r = await a.post('/v1/events', batch);
    expect(r.status).toBe(202);
    expect(r.json.accepted).toBe(1);
    expect(r.json.rejected).toHaveLength(2);
    expect(r.json.rejected[0].index).toBe(1);
    expect(r.json.rejected[0].error).toMatch(/^type: /);
    expect(r.json.rejected[1].index).toBe(2);
    expect(r.json.rejected[1].error).toMatch(/time: is required/);
  });

  it('accepts NDJSON and names the malformed line', async () => {
    const body = [
      JSON.stringify({ id: 'nd-1', type: 'launch', time: '2025-06-02T08:00:00Z', user: 'nobody@x.se', product: 'other-product' }),
      '{"id": "nd-2", "type": ',
      JSON.stringify({ id: 'nd-3', type: 'launch', time: '2025-06-02T09:00:00Z', user: 'nobody@x.se', product: 'other-product' }),
    ].join('\n');
    const r = await a.post('/v1/events', body, { 'content-type': 'application/x-ndjson' });
    expect(r.status).toBe(202);
    expect(r.json.accepted).toBe(2);
    expect(r.json.rejected).toEqual([expect.objectContaining({ index: 1, line: 2 })]);
  });

  it('answers malformed JSON with 400 and a reason', async () => {
    const r = await a.post('/v1/events', '{"type": "login",', { 'content-type': 'application/json' });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('malformed_json');
  });

  it('rejects a time without an offset and a time far in the future', async () => {
    const r = await a.post('/v1/events', [
      { type: 'login', time: '2025-06-01T08:00:00', user: 'u', product: 'p' },
      { type: 'login', time: '2999-06-01T08:00:00Z', user: 'u', product: 'p' },
    ]);
    expect(r.status).toBe(400);
    expect(r.json.error.details.rejected[0].error).toMatch(/time: must be an ISO-8601 time with an offset/);
    expect(r.json.error.details.rejected[1].error).toMatch(/future/);
  });

  it('needs a token, and the ingest token only ingests', async () => {
    expect((await fetch(`${s.url}/v1/reports/overview`)).status).toBe(401);
    expect((await api(s.url, 'wrong-token').get('/v1/reports/overview')).status).toBe(401);
    const ingest = api(s.url, s.ingestToken);
    expect((await ingest.get('/v1/reports/overview')).status).toBe(403);
    const r = await ingest.post('/v1/events', { id: 'ingest-1', type: 'login', time: '2025-06-03T08:00:00Z', user: 'nobody@x.se', product: 'other-product' });
    expect(r.status).toBe(202);
  });
});

describe('class usage (figure 4)', () => {
  it('splits a move by explicit dates and by snapshot, and resolves identities at query time', async () => {
    const r = await a.get(`/v1/reports/class-usage?${YEAR}`);
    expect(r.status).toBe(200);
    expect(byGroup(r.json.rows, ID.g7A)).toMatchObject({ groupName: '7A', enrolled: 3, active: 3, adoption: 1, events: 6, activeDays: 6, lastActive: '2025-12-01' });
    expect(byGroup(r.json.rows, ID.g8B)).toMatchObject({ enrolled: 2, active: 1, adoption: 0.5, events: 2, activeDays: 1, lastActive: '2026-03-05' });
    expect(byGroup(r.json.rows, ID.g9C)).toMatchObject({ enrolled: 2, active: 1, adoption: 0.5, events: 1, activeDays: 1, lastActive: '2026-02-02' });
    expect(byGroup(r.json.rows, ID.gMA7)).toMatchObject({ enrolled: 1, active: 1, events: 3, activeDays: 3, lastActive: '2025-12-01' });
    // A licensed product nobody opened is listed with zeros: that is the point.
    expect(byGroup(r.json.rows, ID.g9C, 'ENG')).toMatchObject({ enrolled: 2, active: 0, adoption: 0, events: 0, activeDays: 0, lastActive: null });
    expect(r.json.rows).toHaveLength(5);
  });

  it('counts a Stockholm midnight on the Stockholm day', async () => {
    const nov = await a.get('/v1/reports/class-usage?from=2025-11-01&to=2025-11-30&product=MATTE');
    expect(byGroup(nov.json.rows, ID.g7A)).toMatchObject({ active: 2, events: 3, activeDays: 3, lastActive: '2025-11-20' });
    const dec = await a.get('/v1/reports/class-usage?from=2025-12-01&to=2025-12-31&product=MATTE');
    expect(byGroup(dec.json.rows, ID.g7A)).toMatchObject({ active: 1, events: 1, lastActive: '2025-12-01' });
  });

  it('closes a membership the snapshot no longer has on the day before, and starts a new undated one on asOf', async () => {
    const jan = await a.get('/v1/reports/class-usage?from=2026-01-01&to=2026-01-09&product=MATTE');
    expect(byGroup(jan.json.rows, ID.g7A).enrolled).toBe(3);
    expect(byGroup(jan.json.rows, ID.g9C).enrolled).toBe(1);
    const feb = await a.get('/v1/reports/class-usage?from=2026-02-01&to=2026-02-28&product=MATTE');
    expect(byGroup(feb.json.rows, ID.g7A).enrolled).toBe(2);
    expect(byGroup(feb.json.rows, ID.g9C)).toMatchObject({ enrolled: 2, active: 1 });
    const mar = await a.get('/v1/reports/class-usage?from=2026-03-01&to=2026-03-31&product=MATTE');
    expect(byGroup(mar.json.rows, ID.g7A)).toMatchObject({ enrolled: 1, active: 0, events: 0 });
    expect(byGroup(mar.json.rows, ID.g8B)).toMatchObject({ enrolled: 2, active: 1, events: 2 });
  });

  it('filters by school unit, by id or by school unit code', async () => {
    const r1 = await a.get(`/v1/reports/class-usage?${YEAR}&school=${ID.s2}`);
    const r2 = await a.get(`/v1/reports/class-usage?${YEAR}&school=22222222`);
    expect(r1.json.rows.map((r: any) => r.group).sort()).toEqual([ID.g9C, ID.g9C]);
    expect(r2.json.rows).toEqual(r1.json.rows);
  });
});

describe('licences (figures 5-7)', () => {
  it('attributes each person-day to the most specific licence and computes utilisation and cost', async () => {
    const r = await a.get(`/v1/reports/licences?${YEAR}`);
    expect(r.status).toBe(200);
    expect(byLicence(r.json.rows, 'L-S1')).toMatchObject({ product: 'MATTE', seats: 10, licensedActive: 3, utilisation: 0.3, unusedSeats: 7, unusedCost: 1400, costPerActiveUser: 666.67 });
    expect(byLicence(r.json.rows, 'L-G')).toMatchObject({ seats: 5, licensedActive: 1, utilisation: 0.2, unusedSeats: 4, unusedCost: 400, costPerActiveUser: 500 });
    expect(byLicence(r.json.rows, 'L-ORG')).toMatchObject({ seats: 100, licensedActive: 1, utilisation: 0.01, unusedSeats: 99, unusedCost: 9900, costPerActiveUser: 10000 });
    expect(byLicence(r.json.rows, 'L-STAFF')).toMatchObject({ seats: null, licensedActive: 1, utilisation: null, unusedSeats: null, unusedCost: null, costPerActiveUser: 3000 });
    expect(byLicence(r.json.rows, 'L-ENG')).toMatchObject({ seats: 20, licensedActive: 0, utilisation: 0, unusedSeats: 20, unusedCost: 4000, costPerActiveUser: null });
  });

  it('without a period, counts each licence over its whole period so far', async () => {
    const r = await a.get('/v1/reports/licences');
    expect(byLicence(r.json.rows, 'L-S1')).toMatchObject({ licensedActive: 3, unusedCost: 1400 });
    expect(byLicence(r.json.rows, 'L-ORG')).toMatchObject({ licensedActive: 1 });
  });

  it('lists unused and underused licences as of a day', async () => {
    const r = await a.get('/v1/reports/unused?asOf=2026-02-15');
    const status = Object.fromEntries(r.json.rows.map((x: any) => [x.licence, x.status]));
    expect(status).toEqual({ 'L-ORG': 'underused', 'L-S1': 'unused', 'L-G': 'unused', 'L-STAFF': 'unused', 'L-ENG': 'unused' });
    expect(byLicence(r.json.rows, 'L-ORG')).toMatchObject({ licensedActive: 1, utilisation: 0.01 });
    const narrow = await a.get('/v1/reports/unused?asOf=2025-11-05&days=10&threshold=0.1');
    const s2 = Object.fromEntries(narrow.json.rows.map((x: any) => [x.licence, x.status]));
    // 27 Oct-5 Nov: P3 used L-S1 twice (1 of 10 seats = 0.1, not below 0.1); nothing else. L-G has not started.
    expect(s2).toEqual({ 'L-ORG': 'unused', 'L-STAFF': 'unused', 'L-ENG': 'unused' });
  });

  it('recommends renewals from the peak month', async () => {
    const r = await a.get('/v1/reports/renewals?asOf=2026-01-15&within=200');
    expect(r.json.rows.map((x: any) => x.licence).sort()).toEqual(['L-ENG', 'L-G', 'L-ORG', 'L-S1', 'L-STAFF']);
    expect(byLicence(r.json.rows, 'L-S1')).toMatchObject({ peak: 2, recommendedSeats: 3, projectedSaving: 1400 });
    expect(byLicence(r.json.rows, 'L-STAFF')).toMatchObject({ peak: 1, recommendedSeats: 2, projectedSaving: null });
    expect(byLicence(r.json.rows, 'L-ORG')).toMatchObject({ peak: 0, recommendedSeats: 0, projectedSaving: 10000 });
    expect(byLicence(r.json.rows, 'L-G')).toMatchObject({ peak: 0, recommendedSeats: 0, projectedSaving: 500 });
    expect(byLicence(r.json.rows, 'L-ENG')).toMatchObject({ peak: 0, projectedSaving: 4000, daysToExpiry: 75 });
    expect(r.json.rows[0].licence).toBe('L-ORG');
    const soon = await a.get('/v1/reports/renewals?asOf=2026-01-15');
    expect(soon.json.rows.map((x: any) => x.licence)).toEqual(['L-ENG']);
  });
});

describe('overview, buyers, unmapped', () => {
  it('totals products, counting unresolved users in product totals only', async () => {
    const r = await a.get(`/v1/reports/overview?${YEAR}`);
    const matte = r.json.rows.find((x: any) => x.product === 'MATTE');
    expect(matte).toMatchObject({ licences: 4, seats: 115, activeUsers: 5, events: 11, cost: 15500, unusedCost: 11700 });
    expect(matte.utilisation).toBeCloseTo(5 / 115, 10);
    expect(r.json.rows.find((x: any) => x.product === 'ENG')).toMatchObject({ licences: 1, seats: 20, activeUsers: 0, events: 0, utilisation: 0, cost: 4000, unusedCost: 4000 });
    expect(r.json.totals).toEqual({ cost: 19500, unusedCost: 15700, licensedActive: 4, costPerActiveUser: 4875, activeUsers: 5, events: 11 });
    const week = r.json.series.find((x: any) => x.week === '2025-09-29');
    expect(week.activeUsers).toBe(3); // P2, T1 on 1 Oct and the unresolved user on 2 Oct
    expect(r.json.series.find((x: any) => x.week === '2025-08-04').activeUsers).toBe(0);
  });

  it('follows up buyers with an append-only history', async () => {
    expect((await a.post('/v1/followups', { licence: 'L-ENG', status: 'open', note: 'Ingen har öppnat' })).status).toBe(201);
    let r = await a.get(`/v1/reports/buyers?${YEAR}`);
    const central = r.json.rows.find((x: any) => x.buyer === 'Central förvaltning');
    expect(central).toMatchObject({ licences: 3, cost: 17000, unusedCost: 13900, worstUtilisation: 0, openFollowups: 1 });
    expect(r.json.rows.find((x: any) => x.buyer === 'Rektor Norrskolan')).toMatchObject({ licences: 2, cost: 2500, unusedCost: 1800, worstUtilisation: 0.2, openFollowups: 0 });
    expect((await a.post('/v1/followups', { licence: 'L-ENG', status: 'cancel' })).status).toBe(201);
    r = await a.get(`/v1/reports/buyers?${YEAR}`);
    expect(r.json.rows.find((x: any) => x.buyer === 'Central förvaltning').openFollowups).toBe(0);
    const h = await a.get('/v1/followups?licence=L-ENG');
    expect(h.json.rows.map((x: any) => x.status)).toEqual(['cancel', 'open']);
    expect((await a.post('/v1/followups', { licence: 'L-NONE', status: 'open' })).status).toBe(404);
    expect((await a.post('/v1/followups', { licence: 'L-ENG', status: 'maybe' })).json.error.message).toMatch(/status/);
  });

  it('lists unmapped identifiers, and a mapping added later applies to old events', async () => {
    let r = await a.get('/v1/reports/unmapped');
    const unknown = r.json.rows.find((x: any) => x.identifier === 'https://unknown.example.org/sp');
    expect(unknown).toMatchObject({ events: 2, users: 2, firstSeen: '2025-10-03T07:30:00.000+02:00', lastSeen: '2025-10-04T07:30:00.000+02:00' });
    expect((await a.post('/v1/products/ENG/identifiers', { identifiers: ['https://unknown.example.org/sp'] })).status).toBe(200);
    r = await a.get('/v1/reports/unmapped');
    expect(r.json.rows.find((x: any) => x.identifier === 'https://unknown.example.org/sp')).toBeUndefined();
    const o = await a.get(`/v1/reports/overview?${YEAR}&product=ENG`);
    expect(o.json.rows[0]).toMatchObject({ product: 'ENG', activeUsers: 2, events: 2 });
  });

  it('serves every report as CSV with the same figures', async () => {
    const r = await a.get(`/v1/reports/licences?${YEAR}&format=csv`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/csv/);
    const [header, ...lines] = r.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    const cols = header.split(',');
    const s1 = lines.map((l) => l.split(',')).find((c) => c[0] === 'L-S1')!;
    expect(s1[cols.indexOf('licensedActive')]).toBe('3');
    expect(s1[cols.indexOf('unusedCost')]).toBe('1400');
    for (const rep of ['overview', 'class-usage', 'unused', 'renewals', 'buyers', 'unmapped']) {
      const c = await a.get(`/v1/reports/${rep}?format=csv`);
      expect(c.status, rep).toBe(200);
    }
  });
});

describe('licences API', () => {
  it('rejects an invalid licence naming the field, keeps valid ones beside it', async () => {
    const bad = await a.post('/v1/licences', { ...licences[0], id: 'L-BAD', seats: -3, audience: 'pupils' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/seats/);
    expect(bad.json.error.details.rejected[0].fields.map((f: any) => f.field).sort()).toEqual(['audience', 'seats']);
    const mixed = await a.post('/v1/licences', [{ ...licences[0], id: 'L-NEW' }, { ...licences[0], id: 'L-BAD2', end: '2020-01-01' }]);
    expect(mixed.status).toBe(201);
    expect(mixed.json.stored).toBe(1);
    expect(mixed.json.rejected[0]).toMatchObject({ index: 1, fields: [{ field: 'end', reason: 'must not be before start' }] });
    expect((await a.del('/v1/licences/L-NEW')).status).toBe(204);
    expect((await a.get('/v1/licences/L-NEW')).status).toBe(404);
  });

  it('rejects an SS12000 row with broken text by index and keeps the rest', async () => {
    const body = '{"organisations":[{"id":"bad\\ud83d","displayName":"a","organisationType":"Skolenhet"},{"id":"x-ok","displayName":"b","organisationType":"Skolenhet"},{"displayName":"no id"}]}';
    const r = await a.post('/v1/import/ss12000?asOf=2026-01-10', body, { 'content-type': 'application/json' });
    expect(r.status).toBe(200);
    expect(r.json.counts.organisations).toBe(1);
    expect(r.json.rejected).toEqual([
      { kind: 'organisations', index: 0, error: expect.stringMatching(/not valid Unicode/) },
      { kind: 'organisations', index: 2, error: expect.stringMatching(/^id: is required/) },
    ]);
  });

  it('validates report parameters', async () => {
    const r = await a.get('/v1/reports/licences?from=2026-13-01');
    expect(r.status).toBe(400);
    expect(r.json.error.details[0].field).toBe('from');
  });
});

describe('attribution ties (figure 6), checked last: it adds a product', () => {
  it('breaks a tie of equal specificity by the earliest start, then by the smallest id', async () => {
    expect((await a.post('/v1/products', { id: 'TIE', name: 'Tie', identifiers: ['tie.example'] })).status).toBe(201);
    const lic = (id: string, start: string, end: string) => ({
      id, product: 'TIE', seats: 10, scope: { type: 'school', ids: [ID.s1] }, audience: 'students', start, end, price: 100, buyer: 'B',
    });
    expect((await a.post('/v1/licences', [lic('T-B', '2025-08-01', '2026-07-31'), lic('T-A', '2025-08-01', '2026-07-31'), lic('T-C', '2025-07-01', '2025-09-30')])).status).toBe(201);
    const r = await a.post('/v1/events', [
      { id: 't-1', type: 'login', time: '2025-09-15T10:00:00+02:00', user: 'p1@edu.exempel.se', product: 'tie.example' },
      { id: 't-2', type: 'login', time: '2025-10-15T10:00:00+02:00', user: 'p1@edu.exempel.se', product: 'tie.example' },
      { id: 't-3', type: 'login', time: '2025-10-16T10:00:00+02:00', user: 'p3@edu.exempel.se', product: 'tie.example' },
      // P2 is in S2 from 2026-01-10: no licence of TIE reaches them there.
      { id: 't-4', type: 'login', time: '2026-02-03T10:00:00+01:00', user: 'p2@edu.exempel.se', product: 'tie.example' },
    ]);
    expect(r.json.accepted).toBe(4);
    const rows = (await a.get(`/v1/reports/licences?${YEAR}&product=TIE`)).json.rows;
    expect(byLicence(rows, 'T-C').licensedActive).toBe(1);
    expect(byLicence(rows, 'T-A').licensedActive).toBe(2);
    expect(byLicence(rows, 'T-B').licensedActive).toBe(0);
    const o = await a.get(`/v1/reports/overview?${YEAR}&product=TIE`);
    expect(o.json.rows[0]).toMatchObject({ activeUsers: 3, events: 4, licensedActive: 3 });
  });
});

describe('over-use at renewal (figure 12), checked last: it adds a product', () => {
  it('flags a licence whose peak exceeds its seats, with the seats missing at its own seat price, beside the saving', async () => {
    expect((await a.post('/v1/products', { id: 'OVER', name: 'Over', identifiers: ['over.example'] })).status).toBe(201);
    // 3 seats for 1,000 kr: a seat costs 333.33... kr.
    expect((await a.post('/v1/licences', {
      id: 'L-OVER', product: 'OVER', seats: 3, scope: { type: 'school', ids: [ID.s1] }, audience: 'students', start: '2025-08-01', end: '2026-06-30', price: 1000, buyer: 'B',
    })).status).toBe(201);
    // November 2025: all four pupils of S1 (P2 left S1 on 2026-01-09) use it.
    const sent = await a.post('/v1/events', ['p1', 'p2', 'p3', 'p4'].map((p, i) => (
      { id: `o-${i}`, type: 'login', time: `2025-11-1${i}T10:00:00+01:00`, user: `${p}@edu.exempel.se`, product: 'over.example' })));
    expect(sent.json.accepted).toBe(4);
    // As of 2026-01-15 the peak months are Oct, Nov, Dec 2025: peak 4 > 3 seats, over-used.
    // Recommended ceil(4 x 1.1) = 5; seats missing 5 - 3 = 2; their cost 2 x 1000 / 3 = 666.67; no saving.
    const r = await a.get('/v1/reports/renewals?asOf=2026-01-15&within=200&product=OVER');
    expect(r.json.rows).toEqual([expect.objectContaining({
      licence: 'L-OVER', seats: 3, peak: 4, recommendedSeats: 5, overused: true, seatsMissing: 2, missingCost: 666.67, projectedSaving: 0, price: 1000,
    })]);
    expect(r.json.totals).toEqual({ projectedSaving: 0, missingCost: 666.67, overused: 1 });
    // Every licence: money saved and money needed are two totals, never netted. Saved: L-ORG 10000,
    // L-ENG 4000, L-S1 1400, L-G 500, T-B (peak 0) 100, T-A (peak 2 in Oct, recommended 3) (10 - 3) x 10 = 70.
    const all = await a.get('/v1/reports/renewals?asOf=2026-01-15&within=200');
    expect(all.json.totals).toEqual({ projectedSaving: 16070, missingCost: 666.67, overused: 1 });
    expect(byLicence(all.json.rows, 'L-S1')).toMatchObject({ overused: false, seatsMissing: 0, missingCost: 0 });
    expect(byLicence(all.json.rows, 'L-STAFF')).toMatchObject({ overused: false, seatsMissing: null, missingCost: null });
    // The files carry the same figures, under their own headers.
    const csv = (await a.get('/v1/reports/renewals?asOf=2026-01-15&within=200&product=OVER&format=csv')).text.replace(/^\uFEFF/, '').trim().split('\r\n');
    const cols = csv[0].split(',');
    const row = csv[1].split(',');
    expect([row[cols.indexOf('overused')], row[cols.indexOf('seatsMissing')], row[cols.indexOf('missingCost')]]).toEqual(['true', '2', '666.67']);
    const excel = (await a.get('/v1/reports/renewals?asOf=2026-01-15&within=200&product=OVER&format=csv-excel&lang=sv')).text.replace(/^\uFEFF/, '').split('\r\n');
    const sv = excel[0].split(';');
    expect(sv).toEqual(expect.arrayContaining(['Överanvänd', 'Saknade platser', 'Kostnad saknade platser']));
    expect(excel[1].split(';')[sv.indexOf('Kostnad saknade platser')]).toBe('666,67');
  });
});
