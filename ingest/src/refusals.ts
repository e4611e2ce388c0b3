/**
 * Why ingest refused a request. Each maps to one answer of the HTTP API (http-errors.ts in the
 * server) with a Retry-After: nothing of a refused request was kept, so the client sends it
 * again. The server answers requests it cannot serve for want of storage with
 * `StorageUnavailable` too.
 */

/** The queue bound is reached (429): storage is slower than the traffic for now. */
export class Overloaded extends Error {
  override name = 'Overloaded';
  constructor(readonly retryAfterSeconds: number) {
    super('ingest queue is full');
  }
}
/** Nothing of the request was kept (503): the local journal, or storage, could not take it. */
export class StorageUnavailable extends Error {
  override name = 'StorageUnavailable';
  constructor(message: string, readonly retryAfterSeconds = 10) {
    super(message);
  }
}
/** The service is stopping (503): it journals what it accepted, and takes nothing more. */
export class ShuttingDown extends Error {
  override name = 'ShuttingDown';
}
