import { isDeepStrictEqual } from 'node:util';
import { Readable } from 'node:stream';
import { Pseudonymiser } from '@licenskoll/core';
import { toStoredEvent } from '@licenskoll/ingest';
import { importSs12000 } from '@licenskoll/roster';
import { upsertLicences, upsertProducts } from '@licenskoll/licensing';
import type { Storage } from '@licenskoll/storage';
import { PSEUDONYM_KEY, SEED } from './bench-config.ts';
import { TIME_ZONE } from './calendar.ts';
import { buildMunicipality, type Municipality } from './municipality.ts';
import { FastRows, TSV_COLUMNS, toInput } from './stored.ts';
import { eventDays, planUsage } from './usage.ts';

/** Inserts sent at once (`LICENSKOLL_BENCH_LOAD_INSERTS`, default 2). */
const IN_FLIGHT = Number(process.env.LICENSKOLL_BENCH_LOAD_INSERTS || 2);

export interface BulkLoad {
  municipality: Municipality;
  events: number;
  seconds: { roster: number; events: number };
}

/**
 * Builds the benchmark municipality into a migrated store. Roster, products and licences go
 * through the same code as the API; the year of events through the storage layer's insert
 * into `events` (so every materialized view fills as in production), in 100,000-row inserts,
 * two in flight while the next is generated.
 */
export async function bulkLoad(storage: Storage, scale: number, seed = SEED): Promise<BulkLoad> {
  const pseudo = new Pseudonymiser(PSEUDONYM_KEY);
  const t0 = performance.now();
  const m = buildMunicipality(seed, scale);
  await importSs12000({ storage, pseudo }, m.ss12000, m.asOf);
  await upsertProducts(storage, m.products.map(({ id, name, supplier, identifiers }) => ({ id, name, supplier, identifiers })));
  await upsertLicences(storage, m.licences);
  const t1 = performance.now();

  const usage = planUsage(m, seed, scale);
  const fast = new FastRows(pseudo, usage.days);
  // The fast path must make exactly the rows the API would: checked on the first 5,000 events.
  let checked = 0;
  for (const events of eventDays(usage, seed)) {
    for (const e of events.slice(0, 500)) {
      const want = toStoredEvent(toInput(e, usage.days), pseudo, TIME_ZONE);
      if (!isDeepStrictEqual(fast.row(e), want)) throw new Error(`fast row differs from toStoredEvent: ${JSON.stringify([fast.row(e), want])}`);
      checked++;
    }
    if (checked >= 5_000) break;
  }

  const BATCH = 100_000;
  let lines: string[] = [];
  let n = 0;
  // Two inserts in flight while the next is generated: the engine parses, sorts and runs the
  // views of one insert on one thread, and generating is a sixth of its work (3 against 18 µs
  // of CPU per event at scale 0.1), so one insert at a time left the second core idle.
  const inFlight = new Set<Promise<unknown>>();
  let sent = 0;
  const send = async (body: string[]) => {
    while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    // Alternately on the two connections: each is a session of its own in the embedded engine.
    const client = sent++ % 2 === 0 ? storage.write : storage.read;
    const p: Promise<unknown> = client
      .insert({ table: 'events', values: Readable.from([Buffer.from(body.join(''))], { objectMode: false }), format: 'TabSeparated', columns: [...TSV_COLUMNS] })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  for (const events of eventDays(usage, seed)) {
    for (const e of events) {
      lines.push(fast.line(e));
      if (lines.length === BATCH) {
        await send(lines);
        lines = [];
      }
    }
    n += events.length;
    // A line per million events on stderr (the parent reads only stdout): how far a long load is.
    if (Math.floor(n / 1e6) > Math.floor((n - events.length) / 1e6)) {
      const cpu = process.cpuUsage();
      process.stderr.write(`load: ${n} events, ${((performance.now() - t1) / 1000).toFixed(0)} s, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s of CPU\n`);
    }
  }
  if (lines.length) await send(lines);
  await Promise.all(inFlight);
  return { municipality: m, events: n, seconds: { roster: (t1 - t0) / 1000, events: (performance.now() - t1) / 1000 } };
}
