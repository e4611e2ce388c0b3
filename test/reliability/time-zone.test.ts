import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { api, startServer } from '../helpers/server.ts';

/**
 * An event's day is fixed at ingest in LICENSKOLL_TZ, so a store filled in one zone and started
 * in another would give its old events wrong days without a word. The service refuses instead,
 * and names both zones and what to do.
 */
let dataDir: string | undefined;
afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the organiser time zone of a store', () => {
  it('is recorded on the first start, and a start in another zone is refused with both zones named', { timeout: 120_000 }, async () => {
    const first = await startServer({ keepData: true, env: { LICENSKOLL_TZ: 'Europe/Stockholm' } });
    dataDir = first.dataDir;
    // 23:30 UTC on 30 November is 1 December in Stockholm.
    const sent = await api(first.url, first.adminToken).post('/v1/events', { id: 'tz-1', type: 'login', time: '2025-11-30T23:30:00Z', user: 'a@skola.example.se', product: 'https://app.example.com' });
    expect(sent.status).toBe(202);
    expect(await first.stop()).toBe(0);

    const again = await startServer({ dataDir, env: { LICENSKOLL_TZ: 'Europe/Stockholm' } });
    expect(again.output()).not.toMatch(/LICENSKOLL_TZ is/);
    expect(await again.stop()).toBe(0);

    const other = startServer({ dataDir, env: { LICENSKOLL_TZ: 'America/New_York' } });
    const refusal = await other.then(
      () => 'started',
      (e: Error) => e.message,
    );
    expect(refusal).toMatch(/exited with 1 before listening/);
    expect(refusal).toContain('LICENSKOLL_TZ is "America/New_York", but the events in this store were given their days in "Europe/Stockholm"');
    expect(refusal).toContain('Set LICENSKOLL_TZ=Europe/Stockholm');
  });
});
