import type { IncomingMessage } from 'node:http';
import { ApiError } from '@licenskoll/core';
import type { BodyLimit } from './body-limits.ts';

const MB = 1024 ** 2;
const TOO_LARGE = Symbol('too large');

/** The limit as it is said in the 413: megabytes, and the setting that raises it. */
export const tooLargeError = (limit: BodyLimit) =>
  new ApiError(413, 'too_large', `request body is larger than ${Number((limit.bytes / MB).toFixed(2))} MB: split it, or raise ${limit.setting} (MB)`, [{ field: 'body', reason: `larger than ${limit.bytes} bytes`, setting: limit.setting }]);

/**
 * A request body's length as declared in Content-Length, judged before anything is read:
 * undefined for a body without one (chunked), counted as it streams instead.
 */
export function declaredLength(headers: IncomingMessage['headers'], limit: BodyLimit): number | undefined {
  const declared = headers['content-length'];
  if (declared === undefined || headers['transfer-encoding'] !== undefined) return undefined;
  if (!/^\d+$/.test(declared)) throw new ApiError(400, 'bad_request', 'Content-Length: must be a whole number of bytes');
  const n = Number(declared);
  if (n > limit.bytes) throw tooLargeError(limit);
  return n;
}

/**
 * Reads a body from Node's request as UTF-8 text (a byte order mark dropped, invalid bytes
 * replaced, as `Request.text()` does), refusing it with 413 once it passes `max` bytes. With
 * `keep` false the bytes are only counted: a refused request is read to its end, because
 * answering before the upload ends makes the server drop the connection, and the client
 * then sees "other side closed" in place of the answer that tells it what to do.
 */
function consume(req: IncomingMessage, limit: BodyLimit, keep: boolean): Promise<string> {
  const max = limit.bytes;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    // Two closures per body, one of them for end, error and close alike: this runs for every event.
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      req.off('data', onData).off('end', finish).off('error', finish).off('close', finish);
      if (err === TOO_LARGE) return reject(tooLargeError(limit));
      if (!req.complete) return reject(new ApiError(400, 'incomplete_body', 'the connection closed before the body ended'));
      if (!keep) return resolve('');
      const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, bytes)).toString('utf8');
      resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > max) finish(TOO_LARGE);
      else if (keep) chunks.push(chunk);
    };
    req.on('data', onData).on('end', finish).on('error', finish).on('close', finish);
  });
}

export const readBody = (req: IncomingMessage, limit: BodyLimit): Promise<string> => consume(req, limit, true);

/** Reads a refused request's body to its end (up to `max`, which may be Infinity) without keeping it; never throws. */
export const discardIncoming = (req: IncomingMessage, max: number): Promise<void> => consume(req, { bytes: max, setting: '' }, false).then(() => {}, () => {});
