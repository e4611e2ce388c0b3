import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { loadScenario, roleClients, type Api } from '../helpers/scenario.ts';
import { CODE, ID, YEAR, events, licences, products, roster } from './target-scenario.ts';

/**
 * Targets (figures 13, 14) and demand without a licence (15) against hand-computed answers
 * (target-scenario.ts), through real HTTP on the real engine. Reports name asOf 2026-07-31,
 * the licences' last day, so a target's size is counted there: P1..P6 are enrolled open-ended,
 * P2 is in year 7 by then; group memberships ended on 2026-06-15.
 */
let s: RunningServer;
let a: Api;
const who: Record<string, Api> = {};
const row = (rows: any[], id: string) => rows.find((r) => r.licence === id);
const cls = (rows: any[], group: string, product: string) => rows.find((r) => r.group === group && r.product === product);

beforeAll(async () => {
  s = await startServer();
  a = api(s.url, s.adminToken);
  await loadScenario(a, { events, roster, rosterAsOf: '2025-08-15', products, licences });
  Object.assign(who, await roleClients(s.url, a, { purchaser: { role: 'purchaser' }, principal1: { role: 'principal', schools: [CODE.s1] } }));
});

afterAll(async () => {
  await s?.stop();
});

describe('setting a target', () => {
  it('stores the product target from years given as text, and a licence narrowing it', async () => {
    const p = (await a.get('/v1/products')).json.rows.find((x: any) => x.id === 'KEMI');
    expect(p.target).toEqual({ schoolTypes: ['GR'], years: [7, 8, 9], subjects: [], dutyRoles: [] });
    const l = (await a.get('/v1/licences/L-KEMI-STAFF')).json;
    expect(l.target).toEqual({ schoolTypes: [], years: [], subjects: [], dutyRoles: ['Lärare'] });
  });

  it('answers a backwards range, a year out of range and an unknown school form with 400 naming the field', async () => {
    const bad = await a.post('/v1/products', { id: 'X', name: 'X', target: { years: '9-7' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.rejected[0].fields).toEqual([{ field: 'target.years', reason: '9-7 runs backwards: write 7-9' }]);
    const range = await who.purchaser.put('/v1/licences/L-BIO/target', { years: [7, 11] });
    expect(range.status).toBe(400);
    expect(range.json.error.details).toEqual([{ field: 'target.years.1', reason: '11 is out of range: a year is 0–10' }]);
    const form = await who.purchaser.put('/v1/licences/L-BIO/target', { schoolTypes: ['GR', 'GRX'] });
    expect(form.status).toBe(400);
    expect(form.json.error.details[0].field).toBe('target.schoolTypes');
    expect(form.json.error.message).toMatch(/GRX is not a school form/);
  });

  it('lets a purchaser edit a target, with the old and new one in the audit log; a principal may not', async () => {
    expect((await who.principal1.put('/v1/licences/L-BIO/target', { years: '7-9' })).status).toBe(403);
    const set = await who.purchaser.put('/v1/licences/L-BIO/target', { schoolTypes: 'GY' });
    expect(set.status, set.text).toBe(200);
    expect(set.json.target.schoolTypes).toEqual(['GY']);
    const cleared = await who.purchaser.put('/v1/licences/L-BIO/target', {});
    expect(cleared.json.target).toEqual({ schoolTypes: [], years: [], subjects: [], dutyRoles: [] });
    // Refused attempts are logged too (400, 403), without a target.
    const log = (await a.get('/v1/audit?action=licence.target')).json.rows.filter((r: any) => r.status === 200 && r.params.licence === 'L-BIO');
    expect(log.map((r: any) => r.params.target.schoolTypes)).toEqual([[], ['GY']]);
    expect(log[1].params.before.schoolTypes).toEqual([]);
    expect(log[0].role).toBe('purchaser');
  });

  it('warns when a licence target shares nothing with its product target', async () => {
    const r = await a.put('/v1/licences/L-KEMI-STAFF/target', { dutyRoles: ['Lärare'], years: '4-6' });
    expect(r.json.warning).toMatch(/years/);
    expect((await a.put('/v1/licences/L-KEMI-STAFF/target', { dutyRoles: ['Lärare'] })).status).toBe(200);
  });

  it('reads Skolform and Årskurs from a products sheet, and keeps a target a sheet without them does not name', async () => {
    const sheet = 'Produkt-id;Namn;Leverantör;Skolform;Årskurs\nCSV-A;Sheet A;X;GR;1,2,3\nCSV-B;Sheet B;X;GR;9-7\n';
    const r = await a.post('/v1/import/products', sheet, { 'content-type': 'text/csv' });
    expect(r.status, r.text).toBe(200);
    expect(r.json.stored).toBe(1);
    expect(r.json.rejected).toEqual([expect.objectContaining({ row: 3, field: 'Årskurs', reason: '9-7 runs backwards: write 7-9' })]);
    await a.post('/v1/import/products', 'Produkt-id;Namn\nCSV-A;Sheet A renamed\n', { 'content-type': 'text/csv' });
    const p = (await a.get('/v1/products')).json.rows.find((x: any) => x.id === 'CSV-A');
    expect(p).toMatchObject({ name: 'Sheet A renamed', target: { schoolTypes: ['GR'], years: [1, 2, 3] } });
  });
});

describe('figures count against the target', () => {
  it('licences: in-target licensed active over min(seats, target size), use outside counted apart', async () => {
    const rows = (await who.purchaser.get(`/v1/reports/licences?${YEAR}`)).json.rows;
    // L-KEMI: P3 and P2 (in year 7 on 1 February) in GR 7–9; P1 (year 6) and P5 (GY) outside.
    // Size on 2026-07-31: P2, P3, P6 of the six pupils. 2 / min(10, 3); seats used by 4 of 10.
    expect(row(rows, 'L-KEMI')).toMatchObject({
      licensedActive: 2, outsideTarget: 2, targetSize: 3, unusedSeats: 6, unusedCost: 600, costPerActiveUser: 500,
      target: { schoolTypes: ['GR'], years: [7, 8, 9] },
    });
    expect(row(rows, 'L-KEMI').utilisation).toBeCloseTo(2 / 3, 12);
    // The staff licence: T1 (Lärare) in, T2 (Bibliotekarie) out; size 1: 1 / min(5, 1).
    expect(row(rows, 'L-KEMI-STAFF')).toMatchObject({ licensedActive: 1, outsideTarget: 1, targetSize: 1, utilisation: 1, unusedSeats: 3, unusedCost: 300 });
    // Without a target: as before.
    expect(row(rows, 'L-BIO')).toMatchObject({ licensedActive: 1, utilisation: 0.25, target: null, targetSize: null, outsideTarget: null, unusedSeats: 3 });
    expect(row(rows, 'L-BIO-S2')).toMatchObject({ licensedActive: 1, utilisation: 0.5, target: null });
  });

  it('overview: target size beside seats, utilisation over the smaller of each', async () => {
    const o = (await who.purchaser.get(`/v1/reports/overview?${YEAR}`)).json;
    const kemi = o.rows.find((r: any) => r.product === 'KEMI');
    expect(kemi).toMatchObject({ seats: 15, targetSize: 4, licensedActive: 3, outsideTarget: 3, utilisation: 0.75, activeUsers: 6 });
    const bio = o.rows.find((r: any) => r.product === 'BIO');
    expect(bio).toMatchObject({ seats: 6, targetSize: null, outsideTarget: null, licensedActive: 2 });
    expect(bio.utilisation).toBeCloseTo(2 / 6, 12);
    // Distinct persons counted: P3, P2, T1 (KEMI), P4, P5 (BIO); P1 is counted by no licence.
    expect(o.totals.licensedActive).toBe(5);
  });

  it('class usage: classes outside the target are marked, a mixed class is in, no target gives null', async () => {
    // As an admin: these groups are smaller than five, which others see suppressed.
    const rows = (await a.get(`/v1/reports/class-usage?${YEAR}`)).json.rows;
    expect(cls(rows, ID.g6A, 'KEMI')).toMatchObject({ inTarget: false, enrolled: 3, active: 2 });
    expect(cls(rows, ID.g7A, 'KEMI')).toMatchObject({ inTarget: true, enrolled: 2, active: 2 });
    expect(cls(rows, ID.gMix, 'KEMI')).toMatchObject({ inTarget: true, enrolled: 2, active: 1 });
    expect(cls(rows, ID.gNA1, 'KEMI')).toMatchObject({ inTarget: false, enrolled: 1, active: 1 });
    for (const g of [ID.g6A, ID.g7A, ID.gMix, ID.gNA1]) expect(cls(rows, g, 'BIO').inTarget).toBeNull();
    expect(cls(rows, ID.g6A, 'SHADOW').inTarget).toBeNull();
  });

  it('a principal: own pupils in the target of a shared licence', async () => {
    const rows = (await who.principal1.get(`/v1/reports/licences?${YEAR}`)).json.rows;
    // Of Norrskolan's pupils, P3 and P2 used KEMI in its target; P1 outside it.
    expect(row(rows, 'L-KEMI')).toMatchObject({ reach: 'partial', licensedActive: 2 });
    expect(row(rows, 'L-KEMI-STAFF')).toMatchObject({ reach: 'partial', licensedActive: 1 });
  });
});

describe('demand without a licence (figure 15)', () => {
  const pick = (rows: any[], level: string, product: string, at: { school?: string; group?: string } = {}) =>
    rows.find((r) => r.level === level && r.product === product && (!at.school || r.school === at.school) && (!at.group || r.group === at.group));

  it('counts persons, days and events per product, school and class; a day licensed the next day stays unlicensed', async () => {
    const r = await a.get(`/v1/reports/unlicensed?${YEAR}`);
    expect(r.status, r.text).toBe(200);
    const rows = r.json.rows;
    // BIO: P5 on 31 January (two events); on 1 February L-BIO-S2 covers them.
    expect(pick(rows, 'product', 'BIO')).toMatchObject({ licensed: true, persons: 1, days: 1, events: 2, deniedPersons: 0 });
    // SHADOW: P4 one day (3 events), P3 two days (1 each); the unknown user is not here; P5 refused twice.
    expect(pick(rows, 'product', 'SHADOW')).toMatchObject({ licensed: false, persons: 2, days: 3, events: 5, deniedPersons: 1, deniedEvents: 2 });
    expect(pick(rows, 'product', 'KEMI')).toBeUndefined();
    expect(pick(rows, 'school', 'SHADOW', { school: ID.s1 })).toMatchObject({ persons: 2, days: 3, events: 5, deniedPersons: 0 });
    expect(pick(rows, 'school', 'SHADOW', { school: ID.s2 })).toMatchObject({ persons: 0, deniedPersons: 1, deniedEvents: 2 });
    expect(pick(rows, 'school', 'BIO', { school: ID.s2 })).toMatchObject({ persons: 1, days: 1, events: 2 });
    expect(pick(rows, 'class', 'SHADOW', { group: ID.g6A })).toMatchObject({ persons: 1, days: 1, events: 3, groupName: '6A' });
    expect(pick(rows, 'class', 'SHADOW', { group: ID.gMix })).toMatchObject({ persons: 2, days: 3, events: 5 });
    expect(pick(rows, 'class', 'SHADOW', { group: ID.g7A })).toMatchObject({ persons: 1, days: 2, events: 2 });
    expect(pick(rows, 'class', 'BIO', { group: ID.gNA1 })).toMatchObject({ persons: 1, days: 1, events: 2 });
    expect(pick(rows, 'class', 'SHADOW', { group: ID.gNA1 })).toMatchObject({ deniedPersons: 1, deniedEvents: 2 });
  });

  it('counts a refused launch as no use', async () => {
    const o = (await a.get(`/v1/reports/overview?${YEAR}`)).json;
    // P4, P3 and the unknown user; P5's refusals are not use (6 events, not 8).
    expect(o.rows.find((r: any) => r.product === 'SHADOW')).toMatchObject({ activeUsers: 3, events: 6, licences: 0 });
  });

  it('a principal sees their own units only, small classes hidden; a teacher is refused', async () => {
    const rows = (await who.principal1.get(`/v1/reports/unlicensed?${YEAR}`)).json.rows;
    expect(pick(rows, 'product', 'BIO')).toBeUndefined();
    expect(pick(rows, 'product', 'SHADOW')).toMatchObject({ persons: 2, days: 3, events: 5, deniedPersons: 0, deniedEvents: 0 });
    expect(rows.filter((r: any) => r.level === 'school').map((r: any) => r.school)).toEqual([ID.s1]);
    expect(pick(rows, 'class', 'SHADOW', { group: ID.gMix })).toMatchObject({ suppressed: true, persons: null });
    expect(rows.some((r: any) => r.group === ID.gNA1)).toBe(false);
    expect((await who.principal1.get(`/v1/reports/unlicensed?${YEAR}&school=${CODE.s2}`)).status).toBe(403);
    const t = await a.post('/v1/tokens', { name: 't', role: 'teacher', groups: [ID.g7A] });
    expect((await api(s.url, t.json.token).get(`/v1/reports/unlicensed?${YEAR}`)).status).toBe(403);
  });

  it('answers as CSV through the answer formats', async () => {
    const r = await a.get(`/v1/reports/unlicensed?${YEAR}&format=csv`);
    expect(r.status).toBe(200);
    const [head, ...lines] = r.text.trim().split(/\r?\n/);
    expect(head.split(',')).toEqual(expect.arrayContaining(['level', 'product', 'licensed', 'persons', 'days', 'events', 'deniedPersons', 'deniedEvents']));
    expect(lines.length).toBe((await a.get(`/v1/reports/unlicensed?${YEAR}`)).json.rows.length);
  });
});
