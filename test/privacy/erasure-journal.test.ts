import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { health, waitFor } from '../reliability/support/events.ts';
import { canMakeImmutable, setImmutable, tableDir } from '../reliability/support/immutable.ts';

/**
 * An erasure must not miss events that were answered 202 before it and still wait in the
 * ingest journal: stored after it, they would bring the person back. While storage does not
 * take them (here: the events table's directory made immutable), the erasure is refused with
 * 503 and erases nothing; once they are stored, it erases them with the rest.
 */
const supported = canMakeImmutable();
let s: RunningServer | undefined;
let locked: string[] = [];

afterAll(async () => {
  if (locked.length) setImmutable(locked, false);
  await s?.stop();
  if (s) rmSync(s.dataDir, { recursive: true, force: true });
});

const PERSON = 'elev.raderas@skola.example.se';
const eventsOf = (user: string, from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `erase-journal-${user}-${from + i}`, type: 'launch', time: `2026-03-${String(2 + ((from + i) % 20)).padStart(2, '0')}T09:00:00+01:00`,
    user, product: 'https://matte.example.com',
  }));

describe.skipIf(!supported)('erasure and the ingest journal', () => {
  it('refuses while accepted events of anyone wait for storage, and erases them once they are stored', { timeout: 120_000 }, async () => {
    s = await startServer({ keepData: true });
    const a = api(s.url, s.adminToken);
    expect((await a.post('/v1/events', [...eventsOf(PERSON, 0, 10), ...eventsOf('annan@skola.example.se', 0, 5)])).status).toBe(202);
    expect((await a.post('/v1/privacy/access', { identifier: PERSON })).json.stored.rawEvents.length).toBe(10);

    locked = [tableDir(s.dataDir, 'events')];
    setImmutable(locked, true);
    const failuresBefore = (await health(s.url)).json.failures;
    expect((await a.post('/v1/events', eventsOf(PERSON, 10, 10))).status).toBe(202);
    await waitFor('an insert to fail', async () => (await health(s!.url)).json.failures > failuresBefore);

    const refused = await a.post('/v1/privacy/erase', { identifier: PERSON, confirm: true });
    expect(refused.status).toBe(503);
    expect(refused.json.error.code).toBe('storage_unavailable');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    // Nothing was erased: the stored events are all still there.
    expect((await a.post('/v1/privacy/access', { identifier: PERSON })).json.stored.rawEvents.length).toBe(10);

    setImmutable(locked, false);
    locked = [];
    await waitFor('the journal to be stored', async () => (await health(s!.url)).json.spool.batches === 0);
    const erased = await a.post('/v1/privacy/erase', { identifier: PERSON, confirm: true });
    expect(erased.status).toBe(200);
    expect(erased.json.counts).toMatchObject({ events: 20, event_keys: 20 });
    expect((await a.post('/v1/privacy/access', { identifier: PERSON })).json.stored.rawEvents).toEqual([]);
    // The other person's events were not touched.
    expect((await a.post('/v1/privacy/access', { identifier: 'annan@skola.example.se' })).json.stored.rawEvents.length).toBe(5);
  });
});
