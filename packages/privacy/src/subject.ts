import { queryRows, type Storage } from '@licenskoll/storage';

/**
 * A data subject as storage knows them, found from the pseudonym of one identifier: the
 * person it names and every pseudonym their events may carry. The raw identifier never comes
 * here; it is pseudonymised like every identifier before anything is looked up.
 */
export interface Subject {
  /** Pseudonym of the identifier as given (normalised first). */
  identKey: string;
  /** The roster person it names ('' when the roster does not know it). */
  personKey: string;
  /** Every pseudonym an event of this person may carry: all their identifiers, and the one given. */
  userKeys: string[];
  dutyIds: string[];
  sessionIds: string[];
}

/** Who an identifier's pseudonym leads to: the person, their other identifiers, duties and sign-in sessions. */
export async function resolveSubject(storage: Storage, identKey: string): Promise<Subject> {
  const [p] = await queryRows<{ person_key: string }>(
    storage.write,
    `SELECT argMax(person_key, version) AS person_key FROM identities WHERE ident_key = {k:String} GROUP BY ident_key`,
    { k: identKey },
  );
  let personKey = p?.person_key ?? '';
  if (!personKey) {
    const [known] = await queryRows<{ n: number }>(storage.write, 'SELECT count() AS n FROM persons WHERE person_key = {k:String}', { k: identKey }, ['n']);
    if (known.n > 0) personKey = identKey;
  }
  const idents = personKey
    ? await queryRows<{ ident_key: string }>(storage.write, 'SELECT DISTINCT ident_key FROM identities WHERE person_key = {pk:String}', { pk: personKey })
    : [];
  const userKeys = [...new Set([identKey, ...(personKey ? [personKey] : []), ...idents.map((i) => i.ident_key)])].sort();
  const duties = personKey
    ? await queryRows<{ id: string }>(storage.write, 'SELECT DISTINCT id FROM duties WHERE person_key = {pk:String}', { pk: personKey })
    : [];
  const sessions = await queryRows<{ id: string }>(
    storage.write,
    `SELECT DISTINCT id FROM sessions WHERE (person_key != '' AND person_key = {pk:String}) OR has({keys:Array(String)}, subject_key)`,
    { pk: personKey, keys: userKeys },
  );
  return { identKey, personKey, userKeys, dutyIds: duties.map((d) => d.id), sessionIds: sessions.map((s) => s.id) };
}

