import { startServer, type RunningServer } from '../../helpers/server.ts';
import { Ledger, resend, runClients, storedCount } from './events.ts';
import type { Prng } from './prng.ts';

/** Environments for reliability tests: the per-caller rate limits would answer 429 before the writer is under any pressure. */
export const LOAD_ENV = { LICENSKOLL_RATE_LIMIT_INGEST: '10000000', LICENSKOLL_RATE_LIMIT_READ: '10000000' };

export interface Verified {
  /** Acknowledged events that a resend stored anew: each is an acknowledged event that was lost. */
  lost: number;
  /** Events stored, through the API. */
  stored: number;
  /** Events sent in the whole run, each of which must now be stored once. */
  expected: number;
}

/**
 * Resends every acknowledged event (each must come back a duplicate), then the unsure ones (sent
 * without a 202: they may or may not have been kept), and compares the stored total with the
 * number of distinct events ever sent. Equal means every event is stored exactly once.
 */
export async function verifyExactlyOnce(s: RunningServer, ledger: Ledger): Promise<Verified> {
  const acked = [...ledger.acked.values()];
  const again = await resend(s.url, s.ingestToken, acked);
  const unsure = [...ledger.unsure.values()];
  await resend(s.url, s.ingestToken, unsure);
  ledger.ack(unsure);
  const stored = await storedCount(s.url, s.adminToken);
  return { lost: again.accepted, stored, expected: ledger.acked.size };
}

export interface CrashRound extends Verified {
  round: number;
  killAfterMs: number;
  requests: number;
  ackedThisRound: number;
  unsureThisRound: number;
  /** Inserts the restarted service found cut short by the kill and completed (from its log). */
  completedInserts: number;
  unexpected: string[];
}

/**
 * One round: clients send to the running service, which is SIGKILLed `killAfterMs` in; it is
 * restarted on the same data directory and every event is checked. Returns the new server.
 */
export async function crashRound(
  s: RunningServer,
  rnd: Prng,
  ledger: Ledger,
  o: { round: number; killAfterMs: number; clients: number; maxBatch: number; env?: Record<string, string> },
): Promise<{ server: RunningServer; result: CrashRound }> {
  const ackedBefore = ledger.acked.size;
  // The clock starts at the first 202 of the round: on a loaded machine a cold service can take
  // longer than the whole round to answer its first request.
  const firstAck = new Promise<void>((r) => {
    const t = setInterval(() => ledger.acked.size > ackedBefore && (clearInterval(t), r()), 10);
  });
  const killed = firstAck.then(() => new Promise((r) => setTimeout(r, o.killAfterMs))).then(() => s.kill());
  const run = await runClients(rnd, ledger, { url: s.url, token: s.ingestToken, clients: o.clients, maxBatch: o.maxBatch, until: killed, prefix: `r${o.round}` });
  await killed;
  const ackedThisRound = ledger.acked.size - ackedBefore;
  const unsureThisRound = ledger.unsure.size;
  const server = await startServer({ dataDir: s.dataDir, env: { ...LOAD_ENV, ...o.env } });
  const v = await verifyExactlyOnce(server, ledger);
  const completedInserts = server.output().split('that was cut short').length - 1;
  return {
    server,
    result: { round: o.round, killAfterMs: o.killAfterMs, requests: run.requests, ackedThisRound, unsureThisRound, completedInserts, unexpected: run.unexpected, ...v },
  };
}
