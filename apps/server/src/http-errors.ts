import type { Context } from 'hono';
import { ApiError } from '@licenskoll/core';
import { Overloaded, ShuttingDown, StorageUnavailable, classifyStorageError } from '@licenskoll/ingest';

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details !== undefined ? { details } : {}) } };
}

/**
 * Reads a refused request's body to its end without keeping it. Answering before the upload
 * ends makes the server drop the connection (after a 500 ms drain), and clients then see
 * "other side closed" in place of the answer that tells them what to do. The body limit
 * bounds what is read.
 */
export async function discardBody(req: Request): Promise<void> {
  const reader = req.body?.getReader();
  if (!reader) return;
  try {
    while (!(await reader.read()).done);
  } catch {
    // The client went away or the body limit stopped it: nothing to answer to, or the limit's own answer.
  }
}

/** Every failure as `{"error": {"code", "message", "details"}}`; never a stack trace or SQL. */
export function handleError(err: Error, c: Context) {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.details), err.status);
  if (err instanceof Overloaded) {
    c.header('Retry-After', String(err.retryAfterSeconds));
    return c.json(errorBody('overloaded', 'ingest is busy: nothing was kept, retry after the given seconds'), 429);
  }
  if (err instanceof ShuttingDown) {
    c.header('Retry-After', '5');
    c.header('Connection', 'close');
    return c.json(errorBody('shutting_down', `${err.message}: nothing was kept, retry`), 503);
  }
  if (err instanceof StorageUnavailable) {
    c.header('Retry-After', String(err.retryAfterSeconds));
    return c.json(errorBody('storage_unavailable', err.message), 503);
  }
  // A report or import whose storage stopped answering: nothing else went wrong, say so.
  if (classifyStorageError(err) === 'unreachable') {
    c.header('Retry-After', '10');
    return c.json(errorBody('storage_unavailable', 'storage is not answering: retry later'), 503);
  }
  const status = (err as { status?: number }).status;
  if (status === 413) return c.json(errorBody('too_large', 'request body is too large'), 413);
  console.error(JSON.stringify({ level: 'error', msg: 'unhandled', error: err.message, path: c.req.path }));
  return c.json(errorBody('internal', 'an internal error occurred; it has been logged'), 500);
}
