import { writtenState, writtenStates, type Storage } from '@licenskoll/storage';

/**
 * What no figure is made of: who signed in and what they did (the audit log is written by
 * every request, the one being answered included), follow-ups, mail, and the resolution
 * cache, which is made from the inputs that are counted.
 */
export const NOT_FIGURES = { tables: ['audit_log', 'tokens', 'sessions', 'followups', 'mail_subscriptions', 'mail_deliveries', 'roster_imports'], prefixes: ['rc_'] };
const MAX_ENTRIES = 200;

interface Entry {
  state: string;
  value: unknown;
}

const stores = new WeakMap<Storage, Map<string, Entry>>();
const running = new WeakMap<Storage, Map<string, Promise<unknown>>>();

/**
 * A figure computed once per state of its store: kept while nothing the figures are made of
 * was written (writtenState: a look at the parts list, a few milliseconds), and computed again
 * after any insert, delete or update. Since the state is read before the figure is made, a
 * write during the computation makes the next call compute again, so that no answer is older
 * than the data it is made of. Concurrent calls for the same key and state share one computation.
 * `known` is the state when the caller read it already (storeStates, for several stores at once).
 */
export async function memoOnStore<T>(storage: Storage, key: string, compute: () => Promise<T>, known?: string): Promise<T> {
  const state = known ?? (await writtenState(storage, NOT_FIGURES));
  let entries = stores.get(storage);
  if (!entries) stores.set(storage, (entries = new Map()));
  const hit = entries.get(key);
  if (hit && hit.state === state) return hit.value as T;
  let inFlight = running.get(storage);
  if (!inFlight) running.set(storage, (inFlight = new Map()));
  const id = `${key}\u0000${state}`;
  const shared = inFlight.get(id);
  if (shared) return (await shared) as T;
  const made = compute();
  inFlight.set(id, made);
  try {
    const value = await made;
    entries.delete(key);
    entries.set(key, { state, value });
    if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    return value;
  } finally {
    inFlight.delete(id);
  }
}

/** The states memoOnStore compares, of several stores of one engine at once (their databases, in order). */
export function storeStates(any: Storage, stores: Storage[]): Promise<string[]> {
  return writtenStates(any, stores.map((s) => s.database), NOT_FIGURES);
}
