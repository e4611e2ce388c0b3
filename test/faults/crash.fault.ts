import { describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { LOAD_ENV, crashRound, verifyExactlyOnce, type CrashRound } from '../reliability/support/crash.ts';
import { Ledger, runClients } from '../reliability/support/events.ts';
import { expectStoredExactly } from '../reliability/support/inspect.ts';
import { Prng } from '../reliability/support/prng.ts';
import { reliabilityRun } from '../reliability/support/run.ts';

/**
 * Many SIGKILLs on one data directory: early, late, with small and large batches, and once in
 * the middle of a SIGTERM drain. After each restart every event ever acknowledged is there
 * exactly once; at the end the store is read directly and must agree with itself.
 */
const { seed, dataDir } = reliabilityRun('crash-faults', () => s);
let s: RunningServer | undefined;

describe(`crash, many rounds (seed ${seed})`, () => {
  it('keeps every acknowledged event exactly once across SIGKILLs at random moments', async () => {
    const rnd = new Prng(seed);
    const ledger = new Ledger();
    s = await startServer({ dataDir, env: LOAD_ENV });
    const rounds: CrashRound[] = [];
    const plan = [
      { killAfterMs: rnd.between(0, 100), clients: 8, maxBatch: 50 },
      { killAfterMs: rnd.between(200, 800), clients: 8, maxBatch: 500 },
      { killAfterMs: rnd.between(1000, 3000), clients: 12, maxBatch: 2000 },
      { killAfterMs: rnd.between(3000, 6000), clients: 6, maxBatch: 200 },
      { killAfterMs: rnd.between(0, 2000), clients: 16, maxBatch: 5000 },
      { killAfterMs: rnd.between(500, 4000), clients: 4, maxBatch: 1 },
      { killAfterMs: rnd.between(100, 6000), clients: 10, maxBatch: 1000 },
    ];
    for (const [i, p] of plan.entries()) {
      const { server, result } = await crashRound(s, rnd, ledger, { round: i + 1, ...p });
      s = server;
      rounds.push(result);
      console.log(`round ${result.round}: killed ${result.killAfterMs} ms after the first 202 (${p.clients} clients, up to ${p.maxBatch} events a request); ${result.requests} requests; acknowledged ${result.ackedThisRound}, unsure ${result.unsureThisRound}; stored ${result.stored} of ${result.expected} sent; acknowledged lost ${result.lost}; inserts completed after the restart ${result.completedInserts}`);
      expect(result.unexpected).toEqual([]);
      expect(result.lost).toBe(0);
      expect(result.stored).toBe(result.expected);
    }

    // SIGTERM, then SIGKILL while the stop is storing what it accepted.
    const exited = new Promise((r) => s!.child.on('exit', r));
    const killer = new Promise((r) => setTimeout(r, rnd.between(300, 1500))).then(async () => {
      s!.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, rnd.between(0, 300)));
      s!.child.kill('SIGKILL');
    });
    const run = await runClients(rnd, ledger, { url: s.url, token: s.ingestToken, clients: 8, maxBatch: 3000, until: exited, prefix: 'term-kill' });
    await killer;
    await exited;
    expect(run.unexpected).toEqual([]);
    s = await startServer({ dataDir, env: LOAD_ENV });
    const v = await verifyExactlyOnce(s, ledger);
    console.log(`SIGTERM then SIGKILL: stored ${v.stored} of ${v.expected}; acknowledged lost ${v.lost}`);
    expect(v.lost).toBe(0);
    expect(v.stored).toBe(v.expected);

    expect(await s.stop()).toBe(0);
    s = undefined;
    await expectStoredExactly(dataDir, v.expected);
  });
});
