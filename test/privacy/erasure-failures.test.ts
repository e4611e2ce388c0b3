import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { skipWithout } from '../helpers/required.ts';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { health, waitFor } from '../reliability/support/events.ts';
import { canMakeImmutable, setImmutable, tableDir } from '../reliability/support/immutable.ts';
import { eppn, events, pupilsA7A, roster } from '../roles/scenario.ts';

/**
 * Erasure while storage fails (a table's directory made immutable, so that writes to it fail).
 *
 * An erasure must not miss events that were answered 202 before it and still wait in the
 * ingest journal: stored after it, they would bring the person back. While storage does not
 * take them, the erasure is refused with 503 and erases nothing; once they are stored, it
 * erases them with the rest.
 *
 * An erasure that storage stops part-way says which tables it erased and which are left,
 * records nothing as erased, and the same request finishes it: the identities, which lead from
 * the identifier to the person, are erased last.
 */
const skip = skipWithout('erasure while storage fails', canMakeImmutable() ? null : 'cannot chattr +i (needs root and ext4, xfs or btrfs)');
let s: RunningServer | undefined;
let locked: string[] = [];

afterEach(async () => {
  if (locked.length) setImmutable(locked, false);
  locked = [];
  await s?.stop();
  if (s) rmSync(s.dataDir, { recursive: true, force: true });
  s = undefined;
});

const PERSON = 'elev.raderas@skola.example.se';
const eventsOf = (user: string, from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `erase-journal-${user}-${from + i}`, type: 'launch', time: `2026-03-${String(2 + ((from + i) % 20)).padStart(2, '0')}T09:00:00+01:00`,
    user, product: 'https://matte.example.com',
  }));

describe.skipIf(skip)('erasure and the ingest journal', () => {
  it('refuses while accepted events of anyone wait for storage, and erases them once they are stored', { timeout: 120_000 }, async () => {
    s = await startServer({ keepData: true });
    const a = api(s.url, s.adminToken);
    expect((await a.post('/v1/events', [...eventsOf(PERSON, 0, 10), ...eventsOf('annan@skola.example.se', 0, 5)])).status).toBe(202);
    expect((await a.post('/v1/privacy/access', { identifier: PERSON })).json.stored.rawEvents.length).toBe(10);

    locked = [tableDir(s.dataDir, 'events')];
    setImmutable(locked, true);
    const failuresBefore = (await health(s)).json.failures;
    expect((await a.post('/v1/events', eventsOf(PERSON, 10, 10))).status).toBe(202);
    await waitFor('an insert to fail', async () => (await health(s!)).json.failures > failuresBefore);

    const refused = await a.post('/v1/privacy/erase', { identifier: PERSON, confirm: true });
    expect(refused.status).toBe(503);
    expect(refused.json.error.code).toBe('storage_unavailable');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    // Nothing was erased: the stored events are all still there.
    expect((await a.post('/v1/privacy/access', { identifier: PERSON })).json.stored.rawEvents.length).toBe(10);

    setImmutable(locked, false);
    locked = [];
    await waitFor('the journal to be stored', async () => (await health(s!)).json.spool.batches === 0);
    const erased = await a.post('/v1/privacy/erase', { identifier: PERSON, confirm: true });
    expect(erased.status).toBe(200);
    expect(erased.json.counts).toMatchObject({ events: 20, event_keys: 20 });
    expect((await a.post('/v1/privacy/access', { identifier: PERSON })).json.stored.rawEvents).toEqual([]);
    // The other person's events were not touched.
    expect((await a.post('/v1/privacy/access', { identifier: 'annan@skola.example.se' })).json.stored.rawEvents.length).toBe(5);
  });
});

describe.skipIf(skip)('an erasure stopped part-way', () => {
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
