import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError } from '@licenskoll/core';
import { Overloaded, ShuttingDown, StorageUnavailable, classifyStorageError } from '@licenskoll/ingest';
import { log } from '../log.ts';

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details !== undefined ? { details } : {}) } };
}

export interface ErrorAnswer {
  status: number;
  body: ReturnType<typeof errorBody>;
  headers: Readonly<Record<string, string>>;
}

/** Every failure as `{"error": {"code", "message", "details"}}`; never a stack trace or SQL. */
export function errorAnswer(err: Error, path: string): ErrorAnswer {
  const answer = (status: number, code: string, message: string, headers: Record<string, string> = {}, details?: unknown): ErrorAnswer =>
    ({ status, body: errorBody(code, message, details), headers });
  if (err instanceof ApiError) return answer(err.status, err.code, err.message, { ...err.headers }, err.details);
  if (err instanceof Overloaded) {
    return answer(429, 'overloaded', 'ingest is busy: nothing was kept, retry after the given seconds', { 'Retry-After': String(err.retryAfterSeconds) });
  }
  if (err instanceof ShuttingDown) {
    return answer(503, 'shutting_down', `${err.message}: nothing was kept, retry`, { 'Retry-After': '5', Connection: 'close' });
  }
  if (err instanceof StorageUnavailable) return answer(503, 'storage_unavailable', err.message, { 'Retry-After': String(err.retryAfterSeconds) });
  // A report or import whose storage stopped answering: nothing else went wrong, say so.
  if (classifyStorageError(err) === 'unreachable') return answer(503, 'storage_unavailable', 'storage is not answering: retry later', { 'Retry-After': '10' });
  const status = (err as { status?: number }).status;
  if (status === 413) return answer(413, 'too_large', 'request body is too large');
  log.error('unhandled', { error: err.message, path });
  return answer(500, 'internal', 'an internal error occurred; it has been logged');
}

export function handleError(err: Error, c: Context) {
  const a = errorAnswer(err, c.req.path);
  for (const [name, value] of Object.entries(a.headers)) c.header(name, value);
  return c.json(a.body, a.status as ContentfulStatusCode);
}
