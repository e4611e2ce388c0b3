import { closeSync, openSync, statSync, unlinkSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { frame, readFrameAt } from './record-frame.ts';
import { fsyncDir } from './spool-segments.ts';
import type { StoredEvent } from './stored-event.ts';

export interface InsertAttempt {
  rows: StoredEvent[];
  token: string;
}

/**
 * The one insert that was started and not confirmed. It must be completed, with the same rows
 * and the same token, before any other insert, because ClickHouse commits an insert as
 * several parts: the events table's, then each materialized view's (daily rollup, key table).
 * A crash or an error between them leaves some committed and some not. Resending the
 * identical insert fills in exactly the missing parts: the parts already there are dropped
 * by their deduplication tokens, the events table's and the ones derived for the views. Any
 * other insert of the same events in between would count them twice in the rollup (its
 * token differs), or not at all (the key lookup would call them stored).
 *
 * Written before every insert without fsync: that is enough for a process crash, which
 * keeps the page cache (ClickHouse does not fsync its own parts either). Fsynced when an
 * insert fails, because it is then the one kept copy of rows already answered 202.
 */
export class PendingInsert {
  private attempt?: InsertAttempt;
  private bytes = 0;
  private readonly file: string;

  constructor(private readonly dir: string) {
    this.file = join(dir, 'pending-insert');
    this.attempt = this.load();
  }

  get current(): InsertAttempt | undefined {
    return this.attempt;
  }
  get size(): number {
    return this.attempt ? this.bytes : 0;
  }

  /** Records the insert about to be sent. */
  async begin(rows: StoredEvent[], token: string): Promise<void> {
    const data = frame(Buffer.from(JSON.stringify({ token, rows }), 'utf8'), rows.length);
    const tmp = `${this.file}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(data);
    } finally {
      await fh.close();
    }
    await rename(tmp, this.file);
    this.attempt = { rows, token };
    this.bytes = data.length;
  }

  /** The insert failed: from now on the file is what keeps its rows, so it must reach the disk. */
  async keep(): Promise<void> {
    const fh = await open(this.file, 'r');
    try {
      await fh.datasync();
    } finally {
      await fh.close();
    }
    fsyncDir(this.dir);
  }

  /** The insert is confirmed whole. */
  done(): void {
    this.attempt = undefined;
    try {
      unlinkSync(this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }

  /** A file cut off inside its write belongs to an insert that was never sent: nothing to complete. */
  private load(): InsertAttempt | undefined {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch {
      return undefined;
    }
    try {
      const rec = readFrameAt(fd, 0, statSync(this.file).size);
      if (!rec) return undefined;
      this.bytes = rec.bytes;
      return JSON.parse(rec.payload.toString('utf8')) as InsertAttempt;
    } finally {
      closeSync(fd);
    }
  }
}
