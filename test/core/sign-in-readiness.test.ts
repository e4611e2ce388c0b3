import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { loadScenario, roleClients, type Api } from '../helpers/scenario.ts';
import { CODE, D, ID, WINDOW, eppn, events, roster } from './sign-in-scenario.ts';

/**
 * Sign-in readiness (figure 16) against hand-computed answers (sign-in-scenario.ts), through
 * real HTTP on the real engine. Window 2026-03-11..2026-03-20.
 */
let s: RunningServer;
let a: Api;
const who: Record<string, Api> = {};
const R = '/v1/reports/sign-in-readiness';
const row = (rows: any[], level: string, id: string) => rows.find((r) => r.level === level && (level === 'school' ? r.school === id : r.group === id));
const counts = (r: any) => r && { pupils: r.pupils, signedIn: r.signedIn, notSignedIn: r.notSignedIn, signedInShare: r.signedInShare };

beforeAll(async () => {
  s = await startServer();
  a = api(s.url, s.adminToken);
  await loadScenario(a, { events, roster, rosterAsOf: '2025-08-15' });
  Object.assign(who, await roleClients(s.url, a, {
    purchaser: { role: 'purchaser' }, principal1: { role: 'principal', schools: [CODE.s1] },
    teacher3A: { role: 'teacher', groups: [ID.g3A] }, teacher3B: { role: 'teacher', groups: [ID.g3B] },
  }));
});

afterAll(async () => {
  await s?.stop();
});

describe('sign-in readiness (figure 16)', () => {
  it('counts each tested class and school unit by hand', async () => {
    const r = await a.get(`${R}?${WINDOW}`);
    expect(r.status, r.text).toBe(200);
    expect(r.json.params).toMatchObject({ date: D, days: 10, from: '2026-03-11', to: D });
    // 3A: P1 (first day), P3 (23:30 on the last day), P5 (SATOSA), P6 (moved in on 15 March, signed in on the 12th while in 3B);
    // not P2 (the day before the window) nor P4 (launches only, from LTI, Caliper and a portal).
    expect(counts(row(r.json.rows, 'class', ID.g3A))).toEqual({ pupils: 6, signedIn: 4, notSignedIn: 2, signedInShare: 4 / 6 });
    // 3B on D: P7 (Entra) and P8 (only after D); P6 left it on 14 March.
    expect(counts(row(r.json.rows, 'class', ID.g3B))).toEqual({ pupils: 2, signedIn: 1, notSignedIn: 1, signedInShare: 0.5 });
    expect(row(r.json.rows, 'class', ID.g3B).years).toEqual(['GR 3']);
    // NA1: GY, every year; P10 and P11 of five; P12's sign-in the day after D does not count.
    expect(counts(row(r.json.rows, 'class', ID.gNA1))).toEqual({ pupils: 5, signedIn: 2, notSignedIn: 3, signedInShare: 0.4 });
    expect(row(r.json.rows, 'class', ID.gNA1).years).toEqual(['GY 1']);
    // Year 4 is not tested, and a teaching group is not a class.
    expect(row(r.json.rows, 'class', ID.g4A)).toBeUndefined();
    expect(row(r.json.rows, 'class', ID.gRead)).toBeUndefined();
    // Norrskolan: P1..P8 and P15 (enrolled in year 3, in no class); P9 is in year 4.
    expect(counts(row(r.json.rows, 'school', ID.s1))).toEqual({ pupils: 9, signedIn: 6, notSignedIn: 3, signedInShare: 6 / 9 });
    expect(counts(row(r.json.rows, 'school', ID.s2))).toEqual({ pupils: 5, signedIn: 2, notSignedIn: 3, signedInShare: 0.4 });
    expect(r.json.rows.map((x: any) => `${x.level}:${x.schoolName}:${x.groupName}`)).toEqual([
      'school:Gymnasiet:', 'class:Gymnasiet:NA1', 'school:Norrskolan:', 'class:Norrskolan:3A', 'class:Norrskolan:3B',
    ]);
  });

  it('moves the window with date and days: a day later P1 falls out and P8 and P12 come in', async () => {
    const r = await a.get(`${R}?date=2026-03-21&days=10`);
    expect(counts(row(r.json.rows, 'class', ID.g3A))).toMatchObject({ signedIn: 3 });
    expect(counts(row(r.json.rows, 'class', ID.g3B))).toMatchObject({ signedIn: 2 });
    expect(counts(row(r.json.rows, 'class', ID.gNA1))).toMatchObject({ signedIn: 3 });
    // 11 days back from D reaches P2's sign-in on 10 March.
    const wider = await a.get(`${R}?date=${D}&days=11`);
    expect(counts(row(wider.json.rows, 'class', ID.g3A))).toMatchObject({ signedIn: 5 });
    const dflt = await a.get(`${R}?date=${D}`);
    expect(dflt.json.params).toMatchObject({ days: 30, from: '2026-02-19', to: D });
  });

  it('hides a class of fewer than five from a purchaser and a principal, not from its teacher', async () => {
    const p = await who.purchaser.get(`${R}?${WINDOW}`);
    expect(p.status).toBe(200);
    expect(row(p.json.rows, 'class', ID.g3B)).toMatchObject({ pupils: null, signedIn: null, notSignedIn: null, suppressed: true, reason: 'färre än 5' });
    expect(p.json.suppressedGroups).toBe(1);
    expect(counts(row(p.json.rows, 'school', ID.s1))).toMatchObject({ pupils: 9 });
    const t = await who.teacher3B.get(`${R}?${WINDOW}`);
    expect(t.json.rows.map((x: any) => [x.level, x.group])).toEqual([['class', ID.g3B]]);
    expect(counts(t.json.rows[0])).toEqual({ pupils: 2, signedIn: 1, notSignedIn: 1, signedInShare: 0.5 });
  });

  it('limits a principal to their school units', async () => {
    const r = await who.principal1.get(`${R}?${WINDOW}`);
    expect(r.status).toBe(200);
    expect(r.json.rows.map((x: any) => `${x.level}:${x.groupName || x.schoolName}`)).toEqual(['school:Norrskolan', 'class:3A', 'class:3B']);
    expect((await who.principal1.get(`${R}?${WINDOW}&school=${CODE.s2}`)).status).toBe(403);
    expect((await who.teacher3A.get(`${R}?${WINDOW}&group=${ID.g3B}`)).status).toBe(403);
  });

  it('lists the pupils without a sign-in to admins and the class teacher only', async () => {
    const pseudonym = async (n: number) => (await a.post('/v1/privacy/access', { identifier: eppn(n) })).json.subject.person;
    const [p2, p4] = [await pseudonym(2), await pseudonym(4)];
    const list = await a.get(`${R}/pupils?${WINDOW}&group=${ID.g3A}`);
    expect(list.status, list.text).toBe(200);
    const expected = [{ pseudonym: p2, years: 'GR 3', lastSignIn: '2026-03-10' }, { pseudonym: p4, years: 'GR 3', lastSignIn: null }]
      .sort((x, y) => (x.pseudonym < y.pseudonym ? -1 : 1));
    expect(list.json.rows).toEqual(expected);
    expect((await who.teacher3A.get(`${R}/pupils?${WINDOW}&group=${ID.g3A}`)).json.rows).toEqual(expected);
    // Another class's teacher, a principal and a purchaser see the counts only.
    const other = await who.teacher3B.get(`${R}/pupils?${WINDOW}&group=${ID.g3A}`);
    expect(other.status).toBe(403);
    expect(other.json.error.message).toMatch(/not one of your groups/);
    expect((await who.principal1.get(`${R}/pupils?${WINDOW}&group=${ID.g3A}`)).status).toBe(403);
    expect((await who.purchaser.get(`${R}/pupils?${WINDOW}&group=${ID.g3A}`)).status).toBe(403);
    const csv = await who.teacher3A.get(`${R}/pupils?${WINDOW}&group=${ID.g3A}&format=csv`);
    expect(csv.text.split(/\r?\n/)[0]).toBe('pseudonym,years,lastSignIn');
    expect(csv.text).toContain(p4);
  });

  it('exports CSV with the hidden counts as the reason', async () => {
    const r = await who.purchaser.get(`${R}?${WINDOW}&format=csv`);
    expect(r.status).toBe(200);
    const lines = r.text.trim().split(/\r?\n/);
    expect(lines[0]).toBe('level,school,schoolName,group,groupName,years,pupils,signedIn,notSignedIn,signedInShare,suppressed,reason');
    expect(lines.find((l) => l.includes(ID.g3B))).toContain('färre än 5,färre än 5,färre än 5,färre än 5,true,färre än 5');
  });

  it('answers bad input with 400 naming the parameter', async () => {
    const field = async (q: string, path = R) => {
      const r = await a.get(`${path}?${q}`);
      expect(r.status, `${q}: ${r.text}`).toBe(400);
      return r.json.error.details.map((d: any) => d.field);
    };
    expect(await field('date=2026-02-30')).toEqual(['date']);
    expect(await field('date=20.03.2026')).toEqual(['date']);
    expect(await field('days=0')).toEqual(['days']);
    expect(await field('days=ten')).toEqual(['days']);
    expect(await field('days=1.5')).toEqual(['days']);
    expect(await field('group=no-such-class')).toEqual(['group']);
    expect(await field('school=no-such-school')).toEqual(['school']);
    expect(await field('from=2026-01-01')).toEqual(['from']);
    expect(await field('colour=red')).toEqual(['colour']);
    expect(await field(WINDOW, `${R}/pupils`)).toEqual(['group']);
    expect(await field(`${WINDOW}&group=${ID.g3A},${ID.g3B}`, `${R}/pupils`)).toEqual(['group']);
  });

  it('erases a pupil\'s sign-ins with the pupil (last: it changes the figures)', async () => {
    const r = await a.post('/v1/privacy/erase', { identifier: eppn(1), confirm: true });
    expect(r.status, r.text).toBe(200);
    expect(r.json.counts.signin_daily).toBe(1);
    const after = await a.get(`${R}?${WINDOW}`);
    expect(counts(row(after.json.rows, 'class', ID.g3A))).toMatchObject({ pupils: 5, signedIn: 3 });
  });
});
