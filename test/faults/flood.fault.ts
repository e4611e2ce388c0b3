import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { LOAD_ENV } from '../reliability/support/crash.ts';
import { health, post, storedCount } from '../reliability/support/events.ts';
import { flood, sampleRss } from '../reliability/support/flood.ts';

/**
 * A minute of flood with the default bounds: large valid bodies from many clients, and beside
 * them the bodies that cost the most to parse for their size (16 MB of empty objects, deep
 * nesting). Resident memory must stay under 1.5 GB; health answers throughout.
 */
const GB = 1024 ** 3;
let s: RunningServer | undefined;

afterAll(async () => {
  await s?.stop();
});

async function hostileFlood(url: string, token: string, ms: number) {
  const end = Date.now() + ms;
  const bodies = [
    `[${Array.from({ length: 99_999 }, () => '{}').join(',')}]`, // the most items one request may hold, each rejected
    '['.repeat(4_000_000) + ']'.repeat(4_000_000), // 8 MB of nesting
    Array.from({ length: 90_000 }, () => '{"type":"login"}').join('\n'), // NDJSON of half events
    `[${'{},'.repeat(5_300_000)}{}]`, // 16 MB of empty objects: millions of values
  ];
  const statuses: Record<number, number> = {};
  await Promise.all(
    Array.from({ length: 8 }, async (_, c) => {
      while (Date.now() < end) {
        const a = await post(url, token, '/v1/events', bodies[c % bodies.length], c % bodies.length === 2 ? 'application/x-ndjson' : 'application/json').catch(() => ({ status: 0 }));
        statuses[a.status] = (statuses[a.status] ?? 0) + 1;
      }
    }),
  );
  return statuses;
}

describe('flood, one minute', () => {
  it('stays under 1.5 GB through valid and hostile floods', async () => {
    s = await startServer({ env: LOAD_ENV });
    const rss = sampleRss(s.child.pid!);
    const healthMs: number[] = [];
    const probes = setInterval(async () => {
      const t0 = performance.now();
      const h = await health(s!).catch(() => undefined);
      healthMs.push(h ? performance.now() - t0 : Infinity);
    }, 1000);
    const [valid, hostile] = await Promise.all([
      flood(s.url, s.ingestToken, { clients: 64, eventsPerBody: 10_000, ms: 60_000, prefix: 'flood' }),
      hostileFlood(s.url, s.ingestToken, 60_000),
    ]);
    clearInterval(probes);
    const { peak } = rss.stop();
    healthMs.sort((a, b) => a - b);
    console.log(
      `flood: ${valid.requests} valid requests of 10,000 events, statuses ${JSON.stringify(valid.statuses)}, ${valid.accepted} stored ` +
        `(${Math.round(valid.accepted / valid.seconds)}/s); hostile statuses ${JSON.stringify(hostile)}; peak RSS ${(peak / 1024 ** 2).toFixed(0)} MB; ` +
        `health p50 ${healthMs[Math.floor(healthMs.length / 2)]?.toFixed(0)} ms, max ${healthMs[healthMs.length - 1]?.toFixed(0)} ms`,
    );
    if (valid.unexpected.length) console.log('server output (tail):', s.output().slice(-4000));
    expect(valid.unexpected).toEqual([]);
    expect(Object.keys(hostile).every((st) => ['400', '413', '429'].includes(st))).toBe(true);
    expect(peak).toBeLessThan(1.5 * GB);
    expect(s.child.exitCode).toBeNull();
    expect(await storedCount(s.url, s.adminToken)).toBe(valid.accepted);
  });
});
