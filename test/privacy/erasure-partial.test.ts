import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { canMakeImmutable, setImmutable, tableDir } from '../reliability/support/immutable.ts';
import { eppn, events, pupilsA7A, roster } from '../roles/scenario.ts';

/**
 * An erasure that storage stops part-way (here the `memberships` table's directory made
 * immutable, so its mutation fails) says which tables it erased and which are left, records
 * nothing as erased, and the same request finishes it once storage works: the identities,
 * which lead from the identifier to the person, are erased last.
 */
const supported = canMakeImmutable();
let s: RunningServer | undefined;
let locked: string[] = [];

afterAll(async () => {
  if (locked.length) setImmutable(locked, false);
  await s?.stop();
  if (s) rmSync(s.dataDir, { recursive: true, force: true });
});

describe.skipIf(!supported)('an erasure stopped part-way', () => {
  it('answers 503 with the tables done and left, and the same request finishes it', { timeout: 180_000 }, async () => {
    s = await startServer({ keepData: true });
    const a = api(s.url, s.adminToken);
    expect((await a.post('/v1/events', events)).status).toBe(202);
    expect((await a.post('/v1/import/ss12000?asOf=2026-08-20', roster)).status).toBe(200);
    const subject = eppn(pupilsA7A[0]);
    const before = (await a.post('/v1/privacy/access', { identifier: subject })).json;
    expect(before.subject.found).toBe(true);
    expect(before.stored.memberships.length).toBeGreaterThan(0);

    locked = [tableDir(s.dataDir, 'memberships')];
    setImmutable(locked, true);
    const stopped = await a.post('/v1/privacy/erase', { identifier: subject, confirm: true });
    expect(stopped.status, stopped.text).toBe(503);
    expect(stopped.json.error.code).toBe('erasure_incomplete');
    expect(stopped.json.error.details.erased).toEqual(expect.arrayContaining(['event_keys', 'events', 'usage_daily', 'persons', 'enrolments']));
    expect(stopped.json.error.details.remaining).toEqual(expect.arrayContaining(['memberships', 'identities']));
    expect(stopped.json.error.details.erased).not.toContain('memberships');
    // The identities still lead to the person: access finds what is left, and nothing is recorded as erased.
    const between = (await a.post('/v1/privacy/access', { identifier: subject })).json;
    expect(between.subject.found).toBe(true);
    expect(between.stored.rawEvents).toEqual([]);
    expect(between.stored.memberships.length).toBeGreaterThan(0);
    expect((await a.get('/v1/privacy/erasures')).json.rows).toEqual([]);

    setImmutable(locked, false);
    locked = [];
    const finished = await a.post('/v1/privacy/erase', { identifier: subject, confirm: true });
    expect(finished.status, finished.text).toBe(200);
    expect(finished.json.counts.identities).toBeGreaterThan(0);
    const after = (await a.post('/v1/privacy/access', { identifier: subject })).json;
    expect(after.subject.found).toBe(false);
    for (const [k, v] of Object.entries(after.stored)) if (k !== 'earlierErasures') expect(v, k).toEqual([]);
    expect((await a.get('/v1/privacy/erasures')).json.rows).toHaveLength(1);
  });
});
