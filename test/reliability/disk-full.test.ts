import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../helpers/required.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { LOAD_ENV, verifyExactlyOnce } from './support/crash.ts';
import { Ledger, afterTimeAndAcks, body, health, makeEvents, post, runClients, waitFor } from './support/events.ts';
import { expectStoredExactly } from './support/inspect.ts';
import { Prng, seedFromEnv } from './support/prng.ts';
import { Spool } from '@licenskoll/ingest';

/**
 * The disk fills up under live ingest (the data directory on a tmpfs shrunk to what it holds,
 * as a volume a log or a backup filled): the journal cannot grow and the engine cannot write
 * parts. Every request gets 202 or 503 with Retry-After, never a lost 202 or a dropped
 * connection, and once there is room again everything acknowledged is stored, once.
 */
const seed = seedFromEnv();
const mountDir = mkdtempSync(join(tmpdir(), 'licenskoll-disk-full-'));
const MB = 1024 ** 2;

function mount(opts: string, dir = mountDir): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir], { stdio: 'ignore' });
}
const remount = (bytes: number) => execFileSync('mount', ['-o', `remount,size=${bytes}`, mountDir], { stdio: 'ignore' });
const used = (dir = mountDir) => {
  const s = statfsSync(dir);
  return (s.blocks - s.bfree) * s.bsize;
};

function canMount(): boolean {
  try {
    mount('size=1m');
    execFileSync('umount', [mountDir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const skip = skipWithout('disk full', canMount() ? null : 'cannot mount a tmpfs (needs root or CAP_SYS_ADMIN)');
let mounted = false;
let s: RunningServer | undefined;

afterAll(async () => {
  // Still running: the test failed; what the store loop said tells why.
  if (s) for (const line of s.output().split('\n').filter((l) => l.includes('ingest:')).slice(-30)) console.log(line.slice(0, 300));
  await s?.kill();
  if (mounted) execFileSync('umount', ['-l', mountDir], { stdio: 'ignore' });
  rmSync(mountDir, { recursive: true, force: true });
});

describe.skipIf(skip)(`disk full (seed ${seed})`, () => {
  it('answers 202 or 503 with Retry-After while the disk is full, and stores every event once when there is room again', { timeout: 180_000 }, async () => {
    const rnd = new Prng(seed);
    const ledger = new Ledger();
    mount('size=512m');
    mounted = true;
    const dataDir = join(mountDir, 'data');
    s = await startServer({ dataDir, env: LOAD_ENV });
    const send = (ms: number, prefix: string) =>
      runClients(rnd, ledger, { url: s!.url, token: s!.ingestToken, clients: 4, maxBatch: 300, until: afterTimeAndAcks(ledger, ms), prefix });

    expect((await send(1000, 'room')).unexpected).toEqual([]);
    const before = ledger.acked.size;
    // Leave a few MB: the journal and the engine's next parts fill them within a second.
    remount(used() + 4 * MB);
    const full = runClients(rnd, ledger, {
      url: s.url, token: s.ingestToken, clients: 4, maxBatch: 300, prefix: 'full',
      until: waitFor('503s while the disk is full', async () => (ledger.statuses.get(503) ?? 0) >= 20, 60_000),
    });
    const run = await full;
    // Not a byte left: a request is refused, and health says why.
    remount(used());
    const refused = makeEvents(rnd, 'none-left', 0, 100);
    // A 503 after a failed sync may have kept them: resent at the end like every unsure event.
    ledger.doubt(refused);
    const last = await post(s.url, s.ingestToken, '/v1/events', body(refused, 'ndjson').text, 'application/x-ndjson');
    ledger.count(last.status);
    expect(last.status).toBe(503);
    expect(last.headers.get('retry-after')).toMatch(/^\d+$/);
    const during = await health(s);
    console.log(
      `disk full: ${ledger.acked.size - before} events acknowledged after the shrink, statuses ${JSON.stringify(Object.fromEntries(ledger.statuses))}; health ${during.status}`,
      JSON.stringify(during.json),
    );
    expect(run.unexpected).toEqual([]);
    expect(ledger.statuses.get(503)).toBeGreaterThanOrEqual(20);
    // Health takes the instance out of rotation while its disk refuses the journal.
    expect(during.status).toBe(503);
    expect(during.json).toMatchObject({ status: 'unavailable', ingest: 'unavailable' });
    expect(during.json.journalError).toMatch(/ENOSPC/);
    for (const line of s.output().split('\n').filter((l) => /spool|space|disk/i.test(l)).slice(0, 6)) console.log(line.slice(0, 300));

    remount(512 * MB);
    // Ten seconds after the last refusal health lets traffic back; the first write that succeeds clears it.
    expect((await send(1000, 'after')).unexpected).toEqual([]);
    expect((await health(s)).json.journalError).toBeNull();
    await waitFor('the journal to drain', async () => {
      const h = (await health(s!)).json;
      return h.spool.batches === 0 && h.status === 'ok';
    }, 150_000);
    const v = await verifyExactlyOnce(s, ledger);
    console.log(`after the disk had room again: ${v.stored} stored of ${v.expected} sent; ${v.lost} acknowledged lost`);
    expect(v.lost).toBe(0);
    expect(v.stored).toBe(v.expected);
    expect(await s.stop()).toBe(0);
    s = undefined;
    await expectStoredExactly(dataDir, v.expected);
  });
});

describe.skipIf(skip)('the journal on a nearly full disk', () => {
  it('gives back the zeros it could not finish writing ahead, and appends at the end of the file instead', () => {
    const dir = mkdtempSync(join(tmpdir(), 'licenskoll-nearly-full-'));
    mount('size=1m', dir);
    try {
      // Zeros are written 4 MB ahead of the records: on a 1 MB disk that fails part-way.
      const spool = Spool.open({ dir: join(dir, 'spool'), maxBytes: 10 * MB });
      const rows = Array.from({ length: 20 }, (_, i) => ({
        event_key: String(i).padStart(32, '0'), time: '2026-11-20 08:00:00.000', day: '2026-11-20', type: 'login' as const, user_key: 'u'.repeat(32),
        product_ident: 'p', source: '', group_hint: '', school_hint: '',
      }));
      for (let i = 0; i < 5; i++) spool.write(rows, `t${i}`);
      const [segment] = readdirSync(join(dir, 'spool')).filter((f) => f.endsWith('.spool'));
      // Without giving them back the segment held the disk's last free megabyte, which
      // ClickHouse needs for its parts.
      expect(statSync(join(dir, 'spool', segment)).size).toBe(spool.pendingBytes);
      expect(used(dir)).toBeLessThan(256 * 1024);
      expect(spool.peek(100).length).toBe(5);
    } finally {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
