import { classifyStorageError } from './storage-errors.ts';

export interface BusyRetryOptions {
  /** Attempts of a lookup or insert that storage answered "busy" before it counts as down. */
  busyAttempts: number;
  /** First wait after a busy answer; doubles each attempt. */
  retryDelayMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Retries what storage answered "busy" (too many parts, memory, a hiccup) after a short
 * wait. Anything else is thrown at once: the journal holds the rows, and "cannot read the
 * rows" will not change. An insert retried here is a resend with the same rows and token.
 */
export async function busyRetry<T>(fn: () => Promise<T>, o: BusyRetryOptions): Promise<T> {
  let delay = o.retryDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (classifyStorageError(e) !== 'transient' || attempt >= o.busyAttempts) throw e;
      await sleep(delay);
      delay *= 2;
    }
  }
}
