import { describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { LOAD_ENV, verifyExactlyOnce } from '../reliability/support/crash.ts';
import { Ledger, afterTimeAndAcks, health, runClients, waitFor } from '../reliability/support/events.ts';
import { expectStoredExactly } from '../reliability/support/inspect.ts';
import { Prng } from '../reliability/support/prng.ts';
import { reliabilityRun } from '../reliability/support/run.ts';

/**
 * A long outage with crashes in it: SIGKILL while batches are being appended to the spool
 * (a torn last record), a restart still without storage (the spool is recovered and appended
 * to), then storage back while clients keep sending and a SIGKILL in the middle of the drain.
 * Every acknowledged event is stored exactly once at the end.
 */
const { seed, dataDir } = reliabilityRun('outage-faults', () => s);
const DOWN = { ...LOAD_ENV, CLICKHOUSE_URL: 'http://127.0.0.1:1', LICENSKOLL_SPOOL_MAX_MB: '64' };
let s: RunningServer | undefined;

describe(`outage with crashes (seed ${seed})`, () => {
  it('recovers a torn spool, drains it with live traffic and a crash in between, and stores everything once', async () => {
    const rnd = new Prng(seed);
    const ledger = new Ledger();
    const send = async (prefix: string, until: Promise<unknown>, maxBatch = 500) => {
      const run = await runClients(rnd, ledger, { url: s!.url, token: s!.ingestToken, clients: 8, maxBatch, until, prefix });
      expect(run.unexpected).toEqual([]);
      return run;
    };

    for (let round = 1; round <= 3; round++) {
      s = await startServer({ dataDir, env: DOWN });
      const killed = afterTimeAndAcks(ledger, rnd.between(200, 2000)).then(() => s!.kill());
      await send(`down${round}`, killed);
      await killed;
      console.log(`outage round ${round}: killed while spooling; ${ledger.acked.size} acknowledged so far (${ledger.spooled} from the spool), ${ledger.unsure.size} unsure`);
    }

    // Storage is back; clients keep sending while the spool drains, and the drain is killed.
    s = await startServer({ dataDir, env: LOAD_ENV });
    const h0 = await health(s);
    console.log(`back: spool holds ${h0.json.spool.batches} batches, ${h0.json.spool.rows} rows, ${h0.json.spool.bytes} bytes`);
    const killed = afterTimeAndAcks(ledger, rnd.between(50, 800)).then(() => s!.kill());
    await send('draining', killed);
    await killed;

    s = await startServer({ dataDir, env: LOAD_ENV });
    await waitFor('the spool to drain', async () => (await health(s!)).json.spool.batches === 0, 300_000);
    const v = await verifyExactlyOnce(s, ledger);
    console.log(`after the drain: stored ${v.stored} of ${v.expected} sent; acknowledged lost ${v.lost}`);
    expect(v.lost).toBe(0);
    expect(v.stored).toBe(v.expected);
    expect(await s.stop()).toBe(0);
    s = undefined;
    await expectStoredExactly(dataDir, v.expected);
  });
});
