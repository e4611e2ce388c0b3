import { nextVersion, queryRows, type Storage } from '@licenskoll/storage';
import type { Licence } from './licences.ts';

/**
 * Buyers and their förvaltning (administration). A buyer is the name its licences carry; its
 * förvaltning is set on the buyer (schema-buyers.ts) and a licence may name its own. A
 * licence's förvaltning is its own, else its buyer's, else none ('').
 */
export interface Buyer {
  buyer: string;
  forvaltning: string;
  licences: number;
  /** The förvaltningar its licences name themselves (beside the buyer's own). */
  licenceForvaltningar: string[];
}

/** Every buyer named on a licence or given a förvaltning, with that förvaltning and the number of its licences. */
export async function listBuyers(storage: Storage, client = storage.read): Promise<Buyer[]> {
  return queryRows<Buyer>(
    client,
    `SELECT name AS buyer, max(f) AS forvaltning, toUInt32(sum(n)) AS licences, arraySort(arrayDistinct(arrayFlatten(groupArray(lf)))) AS licenceForvaltningar FROM (
       SELECT buyer AS name, '' AS f, count() AS n, groupUniqArrayIf(forvaltning, forvaltning != '') AS lf FROM licences FINAL WHERE deleted = 0 GROUP BY buyer
       UNION ALL
       SELECT name, forvaltning AS f, 0 AS n, [] AS lf FROM buyers FINAL)
     GROUP BY name ORDER BY name`,
    {},
    ['licences'],
  );
}

/** Sets (or, with '', clears) a buyer's förvaltning; the buyer need not have a licence yet. */
export async function setBuyerForvaltning(storage: Storage, buyer: string, forvaltning: string): Promise<Buyer> {
  await storage.write.insert({ table: 'buyers', values: [{ name: buyer, forvaltning, version: nextVersion() }], format: 'JSONEachRow' });
  const [b] = (await listBuyers(storage, storage.write)).filter((x) => x.buyer === buyer);
  return b ?? { buyer, forvaltning, licences: 0, licenceForvaltningar: [] };
}

/** licence id -> its förvaltning (own, else its buyer's, else ''). */
export async function forvaltningOf(storage: Storage, licences: Pick<Licence, 'id' | 'buyer' | 'forvaltning'>[]): Promise<Map<string, string>> {
  const buyers = new Map((await queryRows<{ name: string; forvaltning: string }>(storage.read, 'SELECT name, forvaltning FROM buyers FINAL')).map((b) => [b.name, b.forvaltning]));
  return new Map(licences.map((l) => [l.id, l.forvaltning || buyers.get(l.buyer) || '']));
}
