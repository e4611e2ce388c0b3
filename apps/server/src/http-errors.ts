import type { Context } from 'hono';
import { ApiError } from '@licenskoll/core';
import { Overloaded, ShuttingDown, StorageUnavailable } from '@licenskoll/ingest';

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details !== undefined ? { details } : {}) } };
}

/** Every failure as `{"error": {"code", "message", "details"}}`; never a stack trace or SQL. */
export function handleError(err: Error, c: Context) {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.details), err.status);
  if (err instanceof Overloaded) {
    c.header('Retry-After', String(err.retryAfterSeconds));
    return c.json(errorBody('overloaded', 'ingest is busy: retry after the given seconds'), 429);
  }
  if (err instanceof ShuttingDown) {
    c.header('Retry-After', '5');
    return c.json(errorBody('shutting_down', err.message), 503);
  }
  if (err instanceof StorageUnavailable || /ECONNREFUSED|ECONNRESET|socket hang up|Timeout/i.test(err.message)) {
    c.header('Retry-After', '10');
    return c.json(errorBody('storage_unavailable', 'storage is not answering: nothing was kept, retry later'), 503);
  }
  const status = (err as { status?: number }).status;
  if (status === 413) return c.json(errorBody('too_large', 'request body is too large'), 413);
  console.error(JSON.stringify({ level: 'error', msg: 'unhandled', error: err.message, path: c.req.path }));
  return c.json(errorBody('internal', 'an internal error occurred; it has been logged'), 500);
}
