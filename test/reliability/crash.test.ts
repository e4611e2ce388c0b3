import { describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { LOAD_ENV, crashRound } from './support/crash.ts';
import { Ledger } from './support/events.ts';
import { expectStoredExactly } from './support/inspect.ts';
import { Prng } from './support/prng.ts';
import { reliabilityRun } from './support/run.ts';

/**
 * A 202 survives SIGKILL: clients send JSON, NDJSON and single events concurrently, the
 * service is killed at a random moment, restarted on the same data directory, and every
 * acknowledged event is there exactly once. (More rounds: `npm run test:faults`.)
 */
const { seed, dataDir } = reliabilityRun('crash', () => s);
let s: RunningServer | undefined;

describe(`crash (seed ${seed})`, () => {
  it('keeps every acknowledged event exactly once across a SIGKILL', { timeout: 180_000 }, async () => {
    const rnd = new Prng(seed);
    const ledger = new Ledger();
    s = await startServer({ dataDir, env: LOAD_ENV });
    const killAfterMs = rnd.between(800, 2500);
    const round = await crashRound(s, rnd, ledger, { round: 1, killAfterMs, clients: 6, maxBatch: 300 });
    s = round.server;
    const r = round.result;
    console.log(`crash round: killed after ${killAfterMs} ms; ${r.requests} requests, ${r.ackedThisRound} events acknowledged, ${r.unsureThisRound} unsure; after restart ${r.stored} stored of ${r.expected} sent; ${r.lost} acknowledged lost`);
    expect(r.unexpected).toEqual([]);
    expect(r.ackedThisRound).toBeGreaterThan(0);
    expect(r.lost).toBe(0);
    expect(r.stored).toBe(r.expected);

    expect(await s.stop()).toBe(0);
    s = undefined;
    await expectStoredExactly(dataDir, r.expected, 'store after the crash round');
  });
});
