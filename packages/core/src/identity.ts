import { createHmac } from 'node:crypto';

const URN_UUID = /^urn:uuid:/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one normal form of a person identifier, applied before pseudonymising so that the
 * same person sent as `Astrid@Skola.se`, `astrid@skola.se` or `urn:uuid:X` / `X` meets
 * their roster entry (docs/figures.md, identity). Other identifiers (LTI `sub`, local usernames)
 * stay case-sensitive: sources treat them so.
 */
export function normaliseUserIdentifier(raw: string): string {
  let v = raw.trim();
  if (URN_UUID.test(v)) v = v.slice('urn:uuid:'.length);
  if (v.includes('@') || UUID.test(v)) v = v.toLowerCase();
  return v;
}

/** Product identifiers (entityIDs, client ids, app ids, hosts) match case-insensitively. */
export function normaliseProductIdentifier(raw: string): string {
  let v = raw.trim();
  if (URN_UUID.test(v)) v = v.slice('urn:uuid:'.length);
  return v.toLowerCase();
}

/** Pseudonyms remembered at most: every person of a large municipality, twice over (about 15 MB). */
const REMEMBERED = 100_000;

/**
 * Keyed hash of a normalised identifier. 128 bits of HMAC-SHA-256 in hex: collisions are
 * out of reach for any school organiser's population, and the key stays per installation.
 *
 * The pseudonyms of recently seen identifiers are remembered in memory: ingest hashes one per
 * event, the same few thousand people all day, and the HMAC was the largest single cost of a
 * single event on the main thread (about 5 us of 55). The memory holds nothing the key would
 * not give: whoever can read the process's memory can read the key in it and hash any list of
 * identifiers. Nothing of it is written anywhere (docs/privacy.md, "Pseudonymisation").
 */
export class Pseudonymiser {
  private readonly known = new Map<string, string>();

  constructor(private readonly key: string) {
    if (key.length < 16) throw new Error('the pseudonym key must be at least 16 characters');
  }

  /** Pseudonym of a raw person identifier (normalised first). */
  user(raw: string): string {
    return this.hash(normaliseUserIdentifier(raw));
  }

  hash(normalised: string): string {
    let p = this.known.get(normalised);
    if (p === undefined) {
      p = createHmac('sha256', this.key).update(normalised, 'utf8').digest('hex').slice(0, 32);
      // Emptied when full rather than kept in order: a few misses after it cost less than the bookkeeping.
      if (this.known.size >= REMEMBERED) this.known.clear();
      this.known.set(normalised, p);
    }
    return p;
  }
}
