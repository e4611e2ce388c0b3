import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Storage } from '@licenskoll/storage';

/**
 * Several writers into one store (ingest processes against one server or cluster, or two
 * services of one process on one embedded store) each look a batch's keys up in `event_keys`
 * before inserting it. Two that receive the same event at once both find nothing and both
 * insert it: every `events` sum counts it twice. So before its insert each writer claims the
 * batch's new keys in `event_claims`, then reads who holds each key's first claim, by block
 * number (schema-ingest.ts says why that order is the order of commits), and inserts only the
 * keys it holds. Whoever loses a key drops it: the winner stores it, and a winner that crashes
 * before its insert finds its own claim first when its journal is replayed (the writer id is
 * kept beside the journal), claims again and stores it.
 */

/** Chunks of one claim read: a small IN list, like the key lookups. */
const CHUNK = 5000;

/**
 * On a cluster the claim and the read of the claims go to the same replica of a key's shard
 * (the first that answers), and the insert returns once the claim is there. Only there: the
 * embedded engine keeps a query's settings on the connection's session for every query after.
 */
const sameReplica = (storage: Storage) =>
  storage.cluster ? ({ load_balancing: 'in_order', prefer_localhost_replica: 0, distributed_foreground_insert: 1 } as const) : {};

/** Of `keys`, those another writer claimed first; the rest this writer claimed and stores. */
export async function keysClaimedByOthers(storage: Storage, keys: string[], writer: string, timeoutMs: number): Promise<Set<string>> {
  const others = new Set<string>();
  if (keys.length === 0) return others;
  await storage.write.insert({
    table: 'event_claims',
    columns: ['event_key', 'writer'],
    values: keys.map((k) => [k, writer]),
    format: 'JSONCompactEachRow',
    // A resent claim is at most a second row of the same writer, which changes no owner.
    clickhouse_settings: sameReplica(storage),
    abort_signal: AbortSignal.timeout(timeoutMs),
  });
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = await storage.write
      .query({
        query: `SELECT event_key FROM event_claims WHERE event_key IN {keys:Array(String)}
                GROUP BY event_key HAVING argMin(writer, (_block_number, writer)) != {writer:String}`,
        query_params: { keys: keys.slice(i, i + CHUNK), writer },
        format: 'JSONEachRow',
        clickhouse_settings: sameReplica(storage),
        abort_signal: AbortSignal.timeout(timeoutMs),
      })
      .then((r) => r.json<{ event_key: string }>());
    for (const r of rows) others.add(r.event_key);
  }
  return others;
}

/** This writer's name in the claims: made once and kept in its journal's directory, so that it outlives a restart. */
export function writerId(spoolDir: string): string {
  const file = join(spoolDir, 'writer-id');
  if (existsSync(file)) {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{32}$/.test(id)) return id;
  }
  const id = randomBytes(16).toString('hex');
  writeFileSync(file, `${id}\n`, { flush: true });
  return id;
}

/** Writers of this process per embedded store: a server always has other writers in view, one embedded store only when two services share it. */
const writersOn = new Map<string, number>();

/** Counts a writer on its store until the returned function is called. */
export function joinStore(storage: Storage): () => void {
  const at = storage.location;
  if (!at) return () => {};
  writersOn.set(at, (writersOn.get(at) ?? 0) + 1);
  let left = false;
  return () => {
    if (left) return;
    left = true;
    const n = (writersOn.get(at) ?? 1) - 1;
    if (n > 0) writersOn.set(at, n);
    else writersOn.delete(at);
  };
}

/** Whether another writer may insert into this store: then keys are looked up and claimed before each insert. */
export const sharedStore = (storage: Storage): boolean => storage.mode !== 'embedded' || (writersOn.get(storage.location ?? '') ?? 0) > 1;
