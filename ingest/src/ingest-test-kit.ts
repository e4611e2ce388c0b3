import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spool } from './spool.ts';
import type { StoredEvent } from './stored-event.ts';

/**
 * What the fast tests of the writer and the store loop share: rows, a journal in a temporary
 * directory (the real one: only the engine is replaced, by memory-store.ts), and a wait for
 * the event loop that fake timers leave running (they fake setTimeout and Date only).
 */
export const row = (key: string): StoredEvent => ({
  event_key: key, time: '2025-06-02 08:00:00.000', day: '2025-06-02', type: 'login', user_key: `user-${key}`,
  product_ident: 'https://sp.example.se/shibboleth', source: '', group_hint: '', school_hint: '',
});
export const rows = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => row(`${prefix}${i}`));

const dirs: string[] = [];
export function tempSpool(): Spool {
  const dir = mkdtempSync(join(tmpdir(), 'licenskoll-spool-test-'));
  dirs.push(dir);
  return Spool.open({ dir, maxBytes: 8 * 1024 ** 2 });
}
export function removeSpools(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

const tick = () => new Promise<void>((r) => setImmediate(r));
/** Lets pending work run: a journal's fsync is real I/O, answered between event-loop turns. */
export async function until(what: string, ok: () => boolean, ms = 5_000): Promise<void> {
  const t0 = performance.now();
  while (!ok()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await tick();
  }
}
/** A few event-loop turns: what is not done by then was waiting for a timer. */
export async function settle(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await tick();
}
