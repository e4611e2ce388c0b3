/**
 * A Bloom filter over event keys: "certainly never seen" or "maybe seen". It lets ingest
 * answer `duplicates` exactly without asking storage for every batch: only the keys the filter
 * calls "maybe" are looked up in `event_keys`, about one in two thousand of the new ones.
 *
 * Keys are the 32 hex digits of `toStoredEvent`: already uniform hashes, so the bit positions
 * come from their digits (double hashing), with no hashing of our own. A key of another shape
 * is always "maybe", so it is always looked up.
 *
 * It only has to be complete (never "no" for a stored key): a key erased or dropped by
 * retention stays "maybe" and its lookup says not stored.
 */
export class KeyFilter {
  private readonly bits: Uint32Array;
  private readonly m: number;
  private added = 0;

  /** Sized for `capacity` keys at about 0.05 % false positives (16 bits and 11 probes per key). */
  constructor(readonly capacity: number) {
    this.m = Math.max(1024, Math.ceil(capacity * 16 / 32) * 32);
    this.bits = new Uint32Array(this.m / 32);
  }

  static readonly PROBES = 11;

  get size(): number {
    return this.added;
  }
  get bytes(): number {
    return this.bits.byteLength;
  }
  /** Past its capacity the false positives grow: more lookups, never a wrong answer. */
  get overfull(): boolean {
    return this.added > this.capacity;
  }

  add(key: string): void {
    const h = halves(key);
    if (!h) return;
    let [a, b] = h;
    for (let i = 0; i < KeyFilter.PROBES; i++) {
      const pos = a % this.m;
      this.bits[pos >>> 5] |= 1 << (pos & 31);
      a = (a + b) >>> 0;
    }
    this.added++;
  }

  mightHave(key: string): boolean {
    const h = halves(key);
    if (!h) return true;
    let [a, b] = h;
    for (let i = 0; i < KeyFilter.PROBES; i++) {
      const pos = a % this.m;
      if ((this.bits[pos >>> 5] & (1 << (pos & 31))) === 0) return false;
      a = (a + b) >>> 0;
    }
    return true;
  }
}

const HEX32 = /^[0-9a-f]{32}$/;

function halves(key: string): [number, number] | undefined {
  if (!HEX32.test(key)) return undefined;
  // An odd step visits every residue class of the bit count's power-of-two factor.
  return [parseInt(key.slice(0, 8), 16) >>> 0, (parseInt(key.slice(8, 16), 16) | 1) >>> 0];
}
