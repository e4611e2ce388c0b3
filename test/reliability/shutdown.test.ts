import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { LOAD_ENV, verifyExactlyOnce } from './support/crash.ts';
import { Ledger, body, makeEvents, post, runClients, transportError } from './support/events.ts';
import { Prng } from './support/prng.ts';
import { reliabilityRun } from './support/run.ts';

/**
 * SIGTERM with many clients in flight: the service stops taking requests, stores what it
 * accepted, answers those requests, and exits 0. Every request it read gets a 202 (then its
 * events are stored) or a 503 with Retry-After (nothing kept); no connection is reset. A client
 * may find the port closed (ECONNREFUSED: nothing was sent), nothing else.
 */
const { seed, dataDir } = reliabilityRun('shutdown', () => s);
const ROUNDS = 3;
let s: RunningServer | undefined;

describe(`shutdown (seed ${seed})`, () => {
  it('answers every request in flight at a SIGTERM with 202 or 503, resets none, stores every 202, and exits 0', { timeout: 420_000 }, async () => {
    const rnd = new Prng(seed);
    const ledger = new Ledger();
    for (let round = 1; round <= ROUNDS; round++) {
      s = await startServer({ dataDir, env: LOAD_ENV });
      const exited = new Promise<number | null>((r) => s!.child.on('exit', (code) => r(code)));
      const ackedBefore = ledger.acked.size;
      // Many clients, each sending until the service tells it it is stopping (or is gone).
      const clients = runClients(rnd, ledger, {
        url: s.url, token: s.ingestToken, clients: 48, maxBatch: 500, until: exited, prefix: `steady${round}`, stopOnShutdown: true,
      });
      while (ledger.acked.size === ackedBefore) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, rnd.between(200, 1000)));

      // Large requests whose bodies are still being read when the signal comes.
      const big = [0, 1, 2, 3].map((k) => makeEvents(rnd, `big${round}-${k}`, 0, 10_000));
      const inFlight = big.map((events) => {
        const { text, contentType } = body(events, 'ndjson');
        return post(s!.url, s!.ingestToken, '/v1/events', text, contentType).then(
          (a) => ({ events, status: a.status, json: a.json, retryAfter: a.headers.get('retry-after') }),
          (e: unknown) => ({ events, status: 0, json: { error: transportError(e) }, retryAfter: null }),
        );
      });
      big.forEach((events) => ledger.doubt(events));
      await new Promise((r) => setTimeout(r, rnd.between(0, 150)));
      const ackedAtSignal = ledger.acked.size;
      expect(ackedAtSignal, 'no 202 before the signal: the test would show nothing').toBeGreaterThan(ackedBefore);
      s.child.kill('SIGTERM');
      const code = await exited;
      const answers = await Promise.all(inFlight);
      for (const a of answers) if (a.status === 202) ledger.ack(a.events);
      const run = await clients;
      console.log(
        `round ${round}: exit ${code}; big requests in flight answered ${answers.map((a) => a.status).join(', ')}; ` +
          `${ledger.acked.size - ackedAtSignal} events acknowledged after the signal, ${ledger.acked.size} in all; ` +
          `client statuses ${JSON.stringify(Object.fromEntries(ledger.statuses))}; clients without an answer ${JSON.stringify(run.transport)}`,
      );
      expect(code, s.output().slice(-2000)).toBe(0);
      expect(run.unexpected).toEqual([]);
      expect(run.transport.filter((t) => t !== 'ECONNREFUSED'), 'connections reset or cut').toEqual([]);
      for (const a of answers) {
        expect([202, 503], JSON.stringify(a.json).slice(0, 200)).toContain(a.status);
        if (a.status === 503) {
          expect(a.json.error.code).toBe('shutting_down');
          expect(a.retryAfter).toMatch(/^\d+$/);
        }
      }
    }

    s = await startServer({ dataDir, env: LOAD_ENV });
    const v = await verifyExactlyOnce(s, ledger);
    expect(v.lost).toBe(0);
    expect(v.stored).toBe(v.expected);
  });
});
