import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Makes the embedded engine's table directories immutable (`chattr +i`), so that its inserts
 * fail the way a full or broken disk makes them fail, while reads go on. Needs root (or
 * CAP_LINUX_IMMUTABLE) and a file system with the flag (ext4, xfs, btrfs).
 */
export function canMakeImmutable(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'licenskoll-chattr-'));
  try {
    writeFileSync(join(dir, 'f'), '');
    execFileSync('chattr', ['+i', dir], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The directory of one table of the embedded store (Atomic database: store/<uuid prefix>/<uuid>). */
export function tableDir(dataDir: string, table: string): string {
  const sql = readFileSync(join(dataDir, 'clickhouse/metadata/default', `${table}.sql`), 'utf8');
  const uuid = /UUID '([0-9a-f-]{36})'/.exec(sql)?.[1];
  if (!uuid) throw new Error(`no UUID in the metadata of ${table}`);
  return join(dataDir, 'clickhouse/store', uuid.slice(0, 3), uuid);
}

export function allTableDirs(dataDir: string): string[] {
  const files = readdirSync(join(dataDir, 'clickhouse/metadata/default')).filter((f) => f.endsWith('.sql') && !f.endsWith('_mv.sql'));
  return files.map((f) => tableDir(dataDir, f.slice(0, -4)));
}

export function setImmutable(dirs: string[], on: boolean): void {
  if (dirs.length) execFileSync('chattr', [on ? '+i' : '-i', ...dirs], { stdio: 'ignore' });
}
