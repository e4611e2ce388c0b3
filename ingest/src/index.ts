// What the rest of the repository uses of ingest; everything else stays inside it. The server
// and importers go through the front door (`Ingest`); rows, the journal and the engine inserts
// are exported for benchmarks and tests that measure or break them directly.
export {
  INGEST_BODY_LIMIT, Ingest, type Accepted, type IngestOpenOptions, type IngestStatus, type LoadOptions, type Loaded,
} from './ingest.ts';
export type { WriterOptions } from './event-writer.ts';
export type { Rejected } from './body.ts';
export { Overloaded, ShuttingDown, StorageUnavailable } from './refusals.ts';
export { ingestSettingsFromEnv, type IngestSettings } from './options.ts';
export type { Histogram } from './ingest-stats.ts';
export { briefError, classifyStorageError } from './storage-errors.ts';
// For benchmarks and tests only.
export { toStoredEvent, type StoredEvent } from './stored-event.ts';
export { Spool } from './spool.ts';
export { insertRows, tokenFor } from './batch-store.ts';
