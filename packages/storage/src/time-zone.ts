import type { Storage } from './client.ts';
import { queryRows } from './rows.ts';

/** Raised when the configured zone is not the one the stored days were fixed in. */
export class TimeZoneChanged extends Error {
  constructor(readonly stored: string, readonly configured: string) {
    super(
      `LICENSKOLL_TZ is "${configured}", but the events in this store were given their days in "${stored}". ` +
        `Every stored day would be wrong by the difference, so the service does not start. ` +
        `Set LICENSKOLL_TZ=${stored} to go on with this store, or start "${configured}" on a new data directory or database.`,
    );
  }
}

/**
 * An event's day is fixed at ingest in the organiser's zone (docs/figures.md, days and times),
 * so the zone is part of the stored data, not a display setting. The first start records it;
 * a later start with another zone is refused rather than giving old events silently wrong days.
 * A store from before the zone was recorded takes the zone it is started with now, the only one
 * it can have been filled with unless someone changed it without a word.
 */
export async function checkStoredTimeZone(storage: Storage, configured: string): Promise<'recorded' | 'unchanged'> {
  const rows = await queryRows<{ value: string }>(storage.write, `SELECT value FROM settings FINAL WHERE key = 'time_zone'`);
  const stored = rows[0]?.value;
  if (stored === configured) return 'unchanged';
  if (stored !== undefined) throw new TimeZoneChanged(stored, configured);
  await storage.write.insert({
    table: 'settings',
    values: [{ key: 'time_zone', value: configured, version: Date.now() }],
    format: 'JSONEachRow',
  });
  return 'recorded';
}
