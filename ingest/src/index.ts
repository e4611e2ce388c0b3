// What the rest of the repository uses of ingest; everything else stays inside it.
export { toStoredEvent, toStoredEventsInSlices, type StoredEvent } from './stored-event.ts';
export {
  MAX_EVENTS_PER_REQUEST, MalformedBody, TooManyEvents, opensMoreThan, parseEventsBody, parseEventsBodyInSlices, validateEvent,
  type ParsedBatch, type Rejected,
} from './body.ts';
export { MalformedEnvelope, caliperToEvents } from './caliper.ts';
export { EventWriter, type WriterOptions } from './event-writer.ts';
export { Overloaded, ShuttingDown, StorageUnavailable } from './refusals.ts';
export { Spool } from './spool.ts';
export { PendingInsert } from './pending-insert.ts';
export { ingestSettingsFromEnv, type IngestSettings } from './options.ts';
export type { Histogram } from './ingest-stats.ts';
export { briefError, classifyStorageError } from './storage-errors.ts';
export { insertRows, tokenFor } from './batch-store.ts';
export { writerId } from './claims.ts';
