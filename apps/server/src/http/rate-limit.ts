import type { Caller } from '../context.ts';

/**
 * Token buckets per caller (one per token or sign-in session) and per client address for
 * failed sign-ins. In memory: the embedded engine runs one process, and with a ClickHouse
 * server each instance limits on its own (the limits are per instance; see docs/privacy.md).
 */

export interface Limit {
  /** Sustained requests per minute. */
  perMinute: number;
  /** Requests that may arrive at once before the sustained rate applies. */
  burst: number;
}

export interface RateLimits {
  /** People and reports: admin, purchaser, principal, teacher. */
  read: Limit;
  /** Ingest clients: generous, they batch; overload beyond this is the writer's own 429. */
  ingest: Limit;
  /** Requests with an unknown, revoked or expired token, per client address. */
  failedAuth: Limit;
  /** Sign-in starts and callbacks, per client address. */
  signIn: Limit;
}

const num = (env: NodeJS.ProcessEnv, name: string, dflt: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 10_000_000) throw new Error(`${name}: "${raw}" must be a whole number of requests per minute, at least 1`);
  return n;
};

/** Limits from the environment; the defaults are documented in docs/privacy.md and README. */
export function rateLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimits {
  const read = num(env, 'LICENSKOLL_RATE_LIMIT_READ', 600);
  const ingest = num(env, 'LICENSKOLL_RATE_LIMIT_INGEST', 12_000);
  const failed = num(env, 'LICENSKOLL_RATE_LIMIT_FAILED_AUTH', 60);
  const signIn = num(env, 'LICENSKOLL_RATE_LIMIT_SIGNIN', 60);
  return {
    read: { perMinute: read, burst: Math.max(1, Math.min(read, Math.ceil(read / 5))) },
    ingest: { perMinute: ingest, burst: Math.max(1, Math.min(ingest, Math.ceil(ingest / 6))) },
    failedAuth: { perMinute: failed, burst: failed },
    signIn: { perMinute: signIn, burst: signIn },
  };
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private buckets = new Map<string, Bucket>();

  constructor(readonly limits: RateLimits, private readonly now: () => number = () => Date.now()) {}

  /** Takes one request from the bucket; returns 0 when allowed, else the seconds until one is. */
  take(key: string, limit: Limit): number {
    const t = this.now();
    const rate = limit.perMinute / 60_000;
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size > 100_000) this.sweep(t);
      b = { tokens: limit.burst, at: t };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(limit.burst, b.tokens + (t - b.at) * rate);
      b.at = t;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }

  /** Whether the bucket still has a request left, without taking one. */
  peek(key: string, limit: Limit): boolean {
    const b = this.buckets.get(key);
    if (!b) return true;
    return Math.min(limit.burst, b.tokens + (this.now() - b.at) * (limit.perMinute / 60_000)) >= 1;
  }

  limitFor(caller: Caller): Limit {
    return caller.role === 'ingest' ? this.limits.ingest : this.limits.read;
  }

  private sweep(t: number): void {
    for (const [k, b] of this.buckets) if (t - b.at > 10 * 60_000) this.buckets.delete(k);
  }
}
