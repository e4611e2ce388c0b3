import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { LOAD_ENV, verifyExactlyOnce } from './support/crash.ts';
import { Ledger, body, makeEvents, post, runClients } from './support/events.ts';
import { Prng, seedFromEnv } from './support/prng.ts';

/**
 * SIGTERM: the service stops taking requests, stores what it accepted, answers those requests,
 * and exits 0. Large requests are in flight when the signal comes: each gets a 202 (then its
 * events are stored) or a 503 (nothing kept), never a dropped connection.
 */
const seed = seedFromEnv();
const dataDir = mkdtempSync(join(tmpdir(), 'licenskoll-shutdown-'));
let s: RunningServer | undefined;

afterAll(async () => {
  await s?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

describe(`shutdown (seed ${seed})`, () => {
  it('stores what was acknowledged before and during a SIGTERM, answers every request in flight, and exits 0', { timeout: 180_000 }, async () => {
    const rnd = new Prng(seed);
    const ledger = new Ledger();
    s = await startServer({ dataDir, env: LOAD_ENV });
    const exited = new Promise<number | null>((r) => s!.child.on('exit', (code) => r(code)));
    const clients = runClients(rnd, ledger, { url: s.url, token: s.ingestToken, clients: 4, maxBatch: 200, until: exited, prefix: 'steady' });
    // Until the steady clients have had answers, then a little more.
    while (ledger.acked.size === 0) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, rnd.between(200, 1000)));

    const big = [0, 1, 2, 3].map((k) => makeEvents(rnd, `big${k}`, 0, 10_000));
    const inFlight = big.map((events) => {
      const { text, contentType } = body(events, 'ndjson');
      return post(s!.url, s!.ingestToken, '/v1/events', text, contentType).then(
        (a) => ({ events, status: a.status, json: a.json }),
        (e: Error) => ({ events, status: 0, json: { error: String((e as { cause?: unknown }).cause ?? e) } }),
      );
    });
    big.forEach((events) => ledger.doubt(events));
    await new Promise((r) => setTimeout(r, 100));
    const ackedAtSignal = ledger.acked.size;
    expect(ackedAtSignal, 'no 202 before the signal: the test would show nothing').toBeGreaterThan(0);
    s.child.kill('SIGTERM');
    const code = await exited;
    const answers = await Promise.all(inFlight);
    for (const a of answers) if (a.status === 202) ledger.ack(a.events);
    const run = await clients;
    const after = ledger.acked.size - ackedAtSignal;
    console.log(
      `SIGTERM: exit ${code}; big requests in flight answered ${answers.map((a) => a.status).join(', ')}; ` +
        `${after} events acknowledged after the signal was sent, ${ledger.acked.size} in all; client statuses ${JSON.stringify(Object.fromEntries(ledger.statuses))}`,
    );
    expect(code, s.output().slice(-2000)).toBe(0);
    expect(run.unexpected).toEqual([]);
    for (const a of answers) {
      expect([202, 503], JSON.stringify(a.json).slice(0, 200)).toContain(a.status);
      if (a.status === 503) expect(a.json.error.code).toBe('shutting_down');
    }

    s = await startServer({ dataDir, env: LOAD_ENV });
    const v = await verifyExactlyOnce(s, ledger);
    expect(v.lost).toBe(0);
    expect(v.stored).toBe(v.expected);
  });
});
