import type { Config } from '@licenskoll/core';
import { TimeZoneChanged, checkStoredTimeZone, migrate, openStorage, type Storage, type StorageOptions } from '@licenskoll/storage';
import { StorageUnavailable, briefError, classifyStorageError } from '@licenskoll/ingest';

export interface StorageStartup {
  /** The storage every part of the service uses; until `ready`, each use throws `StorageUnavailable` (503). */
  storage: Storage;
  /** Resolves once storage is open and migrated. */
  ready: Promise<void>;
  isReady(): boolean;
}

/**
 * Opens storage and brings the schema up to date. With a ClickHouse server that does not
 * answer, the service still starts: ingest spools, reports answer 503, and opening and
 * migrating are retried in the background. The embedded engine is part of this process, so
 * its failure to open is fatal, as is any failure other than "not answering".
 */
/** The server's address without any credentials a URL may carry, for log lines. */
function where(url: string | undefined): string {
  try {
    return new URL(url ?? '').origin;
  } catch {
    return 'the configured address';
  }
}

export async function startStorage(config: Config, opts: StorageOptions, log: (m: string) => void): Promise<StorageStartup> {
  const open = async () => {
    const s = await openStorage(config, opts);
    try {
      await migrate(s, { retentionMonths: config.retentionMonths });
      await checkStoredTimeZone(s, config.timeZone);
    } catch (e) {
      await s.close().catch(() => {});
      throw e;
    }
    return s;
  };
  try {
    const s = await open();
    return { storage: s, ready: Promise.resolve(), isReady: () => true };
  } catch (e) {
    if (!config.clickhouseUrl || classifyStorageError(e) !== 'unreachable') throw e;
    log(`ClickHouse at ${where(config.clickhouseUrl)} does not answer (${briefError(e)}): starting anyway; ingest spools to ${config.dataDir}, reports answer 503 until it does`);
  }

  let real: Storage | undefined;
  let closed = false;
  let wake: (() => void) | undefined;
  // Until storage is there, every call fails the way a refused connection does: as a rejected
  // promise, never a synchronous throw, which fire-and-forget callers would not catch.
  const notYet = new Proxy({} as Storage['write'], {
    get: (_t, prop) => {
      if (prop === 'then') return undefined;
      if (prop === 'close') return async () => {};
      return async () => {
        throw new StorageUnavailable('storage is not answering yet: retry later');
      };
    },
  });
  const storage: Storage = {
    mode: 'server',
    database: config.clickhouseDatabase,
    cluster: config.clickhouseCluster,
    get write() {
      return real?.write ?? notYet;
    },
    get read() {
      return real?.read ?? notYet;
    },
    get background() {
      return real?.background ?? notYet;
    },
    forDatabase: async (db) => {
      if (!real?.forDatabase) throw new StorageUnavailable('storage is not answering yet: retry later');
      return real.forDatabase(db);
    },
    close: async () => {
      closed = true;
      wake?.();
      await real?.close();
    },
  };
  const ready = (async () => {
    for (let delay = 1000; !closed; delay = Math.min(delay * 2, 30_000)) {
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, delay).unref();
      });
      if (closed) break;
      try {
        real = await open();
        log(`ClickHouse at ${where(config.clickhouseUrl)} answers: schema up to date`);
        return;
      } catch (e) {
        if (e instanceof TimeZoneChanged) {
          // As at a start with the server answering: refuse, rather than serve days in the wrong zone.
          log(`Licenskoll stops: ${e.message}`);
          process.exitCode = 1;
          process.kill(process.pid, 'SIGTERM');
          return;
        }
        // Anything, not only "not answering": a server that is coming up refuses DDL for a while.
        log(`ClickHouse still not ready (${briefError(e)}); retrying in ${Math.min(delay * 2, 30_000) / 1000} s`);
      }
    }
    await new Promise<void>(() => {}); // closed before storage came: never ready
  })();
  return { storage, ready, isReady: () => real !== undefined };
}
