import { describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { LOAD_ENV } from '../reliability/support/crash.ts';
import { storedCount } from '../reliability/support/events.ts';
import { oversizeChecks, runFuzz } from '../reliability/support/fuzz-run.ts';
import { inspectStore } from '../reliability/support/inspect.ts';
import { Prng } from '../reliability/support/prng.ts';
import { reliabilityRun } from '../reliability/support/run.ts';

/** The long fuzz run: several seeds in a row on one service, `LICENSKOLL_FUZZ_CASES` events cases each (default 3,000). */
const { seed, dataDir } = reliabilityRun('fuzz-faults', () => s);
const cases = Number(process.env.LICENSKOLL_FUZZ_CASES || 3000);
let s: RunningServer | undefined;

describe(`hostile input, long run (first seed ${seed})`, () => {
  it('survives every case of several seeds and stores only what it accepted', async () => {
    s = await startServer({ dataDir, env: LOAD_ENV });
    let accepted = 0;
    let total = 0;
    const failures: string[] = [];
    for (let k = 0; k < 3; k++) {
      const runSeed = (seed + k) >>> 0;
      const t0 = performance.now();
      const r = await runFuzz(s, new Prng(runSeed), { events: cases, caliper: Math.round(cases / 3), ss12000: Math.round(cases / 12) }, { strict: true });
      console.log(`seed ${runSeed}: ${r.cases} cases in ${((performance.now() - t0) / 1000).toFixed(0)} s, statuses ${JSON.stringify(r.statuses)}, ${r.accepted} accepted, ${r.reconnects} resent`);
      failures.push(...r.failures.map((f) => `seed ${runSeed}: ${f}`));
      accepted += r.accepted;
      total += r.cases;
    }
    expect(await oversizeChecks(s)).toEqual([]);
    console.log(`fuzz: ${total} cases, ${accepted} events accepted, ${failures.length} failures`);
    expect(await storedCount(s.url, s.adminToken)).toBe(accepted);
    expect(await s.stop()).toBe(0);
    s = undefined;
    const facts = await inspectStore(dataDir);
    expect(facts.rollupAll).toBe(accepted);
    expect(facts.invalid).toBe(0);
    expect(facts.distinctKeys).toBe(facts.events);
    expect(facts.keysTable).toBe(facts.events);
    expect(facts.rollupEvents).toBe(facts.events);
    // Last, so that a failure of one parser does not hide what the others showed.
    expect(failures).toEqual([]);
  });
});
