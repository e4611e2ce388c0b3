import { nextVersion, queryRows, type Storage } from '@licenskoll/storage';

/**
 * Whether an organiser contributes to the others' peer comparison (figure 26). Kept in the
 * organiser's own `settings`, so that its admin decides it; by default it contributes. An
 * organiser that opts out is left out of the others' distributions and sees none itself.
 */
const KEY = 'peer_comparison';

export async function contributesToPeers(storage: Storage): Promise<boolean> {
  return (await contributingIn(storage, [storage.database]))[0];
}

export async function setContributesToPeers(storage: Storage, contribute: boolean): Promise<void> {
  await storage.write.insert({ table: 'settings', values: [{ key: KEY, value: contribute ? 'contribute' : 'opt_out', version: nextVersion() }], format: 'JSONEachRow' });
}

/** contributesToPeers of several organisers' databases in one query (from any storage of the engine), in order. */
export async function contributingIn(storage: Storage, databases: string[]): Promise<boolean[]> {
  if (!databases.length) return [];
  // Database names are checked plain identifiers (client.ts), so they can be named in the query.
  const rows = await queryRows<{ i: number; value: string }>(
    storage.write,
    databases.map((d, i) => `SELECT ${i} AS i, value FROM ${d}.settings FINAL WHERE key = {key:String}`).join(' UNION ALL '),
    { key: KEY },
    ['i'],
  );
  const out = new Set(rows.filter((r) => r.value === 'opt_out').map((r) => r.i));
  return databases.map((_, i) => !out.has(i));
}
