import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { LOAD_ENV } from './support/crash.ts';

/**
 * A 202 is given once events are journaled, and they are stored from the journal a moment
 * later. What a client sees must not show the seam: a report asked right after a 202 counts
 * those events, and a resend is a duplicate whether the first copy is still in the journal,
 * stored, or stored before a restart (when the key filter is filled again from storage).
 */
const dataDir = mkdtempSync(join(tmpdir(), 'licenskoll-journal-'));
let s: RunningServer | undefined;

afterAll(async () => {
  await s?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const events = (prefix: string, n: number, product: string) =>
  Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`, type: 'login', time: `2026-03-02T08:${String(i % 60).padStart(2, '0')}:00+01:00`, user: `elev${i}@skola.example.se`, product,
  }));

const unmappedEvents = async (a: ReturnType<typeof api>, identifier: string) =>
  (await a.get('/v1/reports/unmapped')).json.rows.find((r: { identifier: string }) => r.identifier === identifier)?.events ?? 0;

describe('the ingest journal', () => {
  it('reports count what was just acknowledged, and resends are duplicates before, after and across a restart', { timeout: 180_000 }, async () => {
    // A long gathering time: without a reader waiting, these events would sit in the journal.
    const env = { ...LOAD_ENV, LICENSKOLL_INGEST_LINGER_MS: '60000' };
    s = await startServer({ dataDir, keepData: true, env });
    const a = api(s.url, s.adminToken);
    const first = events('j1', 300, 'https://journal.example.org/a');

    const sent = await a.post('/v1/events', first);
    expect(sent.status).toBe(202);
    expect(sent.json).toMatchObject({ accepted: 300, duplicates: 0 });
    // Still journaled (the store loop is gathering): a resend is known from the journal.
    const again = await a.post('/v1/events', first);
    expect(again.json).toMatchObject({ accepted: 0, duplicates: 300 });
    // A report ends the gathering and waits for the journal.
    expect(await unmappedEvents(a, 'https://journal.example.org/a')).toBe(300);
    const health = (await a.get('/v1/health')).json;
    expect(health.spool.rows).toBe(0);

    // Stored now: a resend is found through the key filter and a lookup.
    const mixed = [...first.slice(0, 100), ...events('j2', 50, 'https://journal.example.org/a')];
    expect((await a.post('/v1/events', mixed)).json).toMatchObject({ accepted: 50, duplicates: 100 });
    expect(await unmappedEvents(a, 'https://journal.example.org/a')).toBe(350);

    expect(await s.stop()).toBe(0);
    s = await startServer({ dataDir, keepData: true, env });
    const b = api(s.url, s.adminToken);
    // The filter is filled from event_keys after the start; before and after, a resend is a duplicate.
    expect((await b.post('/v1/events', first.slice(200))).json).toMatchObject({ accepted: 0, duplicates: 100 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(s.output()).toMatch(/key filter holds 350 keys/);
    expect((await b.post('/v1/events', [...first, ...events('j3', 10, 'https://journal.example.org/b')])).json)
      .toMatchObject({ accepted: 10, duplicates: 300 });
    expect(await unmappedEvents(b, 'https://journal.example.org/a')).toBe(350);
    expect(await unmappedEvents(b, 'https://journal.example.org/b')).toBe(10);
  });
});
