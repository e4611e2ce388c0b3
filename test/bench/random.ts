/**
 * Seeded randomness for the benchmark municipality. Each part draws from its own named
 * stream, so changing how events are drawn never moves a pupil to another class.
 */

function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Random {
  private a: number;

  constructor(seed: number, stream: string) {
    this.a = hash32(`${seed}/${stream}`);
  }

  /** mulberry32: tiny and fast; fine for synthetic data, never for secrets. Uniform in [0, 1). */
  float(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  /** Log-normal multiplier with median 1: most users are average, a few are heavy. */
  spread(sigma: number): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }

  /** A UUID-shaped id that is the same for the same (stream, n). */
  static uuid(kind: number, n: number): string {
    const h = n.toString(16).padStart(12, '0');
    return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${h}`;
  }
}
