export * from './client.ts';
export * from './ddl.ts';
export * from './schema.ts';
export * from './migrate.ts';
export * from './rows.ts';
export { TimeZoneChanged, checkStoredTimeZone } from './time-zone.ts';
export { IDP_SOURCES } from './schema-signin.ts';
export { readWhole, writeWhole } from './whole-writes.ts';
