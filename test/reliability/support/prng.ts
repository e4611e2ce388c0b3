/** A seeded PRNG (mulberry32): a failing run is rerun with the seed it prints. */
export class Prng {
  private s: number;

  constructor(readonly seed: number) {
    this.s = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Whole number in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** The seed of a run: `LICENSKOLL_TEST_SEED` to replay one, else a fresh one (printed by the caller). */
export function seedFromEnv(): number {
  const raw = process.env.LICENSKOLL_TEST_SEED;
  return raw ? Number(raw) >>> 0 : (Date.now() ^ (process.pid << 8)) >>> 0;
}
