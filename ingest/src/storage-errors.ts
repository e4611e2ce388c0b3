/**
 * What a failed lookup or insert means for the batch behind it. The writer's answer depends
 * on it: retry in place, keep the batch in the local spool, or refuse it.
 *
 * - `unreachable`: storage is not there (connection refused or reset, a timeout, DNS, our
 *   credentials refused). Retrying in place only holds every waiting request for the
 *   backoff, while a spool append keeps the promise in milliseconds; the spool is replayed
 *   when a probe finds storage again.
 * - `transient`: storage answered but is busy (too many parts, memory, too many queries).
 *   These clear within a second or two, so a short in-place retry usually saves a spool
 *   round trip; if it does not, the batch is spooled like an unreachable one.
 * - `permanent`: storage could not read the rows we sent. Our rows are validated, so this is
 *   a bug; retrying or spooling would only repeat it (a spooled batch would block the drain),
 *   so the batch is refused and nothing of it is claimed as kept.
 */
export type ErrorClass = 'unreachable' | 'transient' | 'permanent';

const UNREACHABLE_SYSCALLS = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'ABORT_ERR',
]);

/** ClickHouse codes that mean "I could not read these rows": 6 CANNOT_PARSE_TEXT, 26/27 quoted string and input assertion, 38/41 date and datetime, 53 TYPE_MISMATCH, 62 SYNTAX_ERROR, 70 CANNOT_CONVERT_TYPE, 72 CANNOT_PARSE_NUMBER, 117 INCORRECT_DATA, 321 VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE, 16 NO_SUCH_COLUMN_IN_TABLE. */
const PERMANENT_CODES = new Set(['6', '16', '26', '27', '38', '41', '53', '62', '70', '72', '117', '321']);

/** 516 AUTHENTICATION_FAILED, 497 ACCESS_DENIED, 194 REQUIRED_PASSWORD: an operator must act; until then the rows wait in the spool. */
const REFUSED_US_CODES = new Set(['516', '497', '194']);

export function classifyStorageError(e: unknown): ErrorClass {
  const err = e as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
  const code = typeof err?.code === 'string' ? err.code : undefined;
  if (err?.name === 'StorageUnavailable' || err?.name === 'AbortError' || err?.name === 'TimeoutError') return 'unreachable';
  if (code && UNREACHABLE_SYSCALLS.has(code)) return 'unreachable';
  if (code && REFUSED_US_CODES.has(code)) return 'unreachable';
  if (code && PERMANENT_CODES.has(code)) return 'permanent';
  const message = typeof err?.message === 'string' ? err.message : String(e);
  if (/ECONNREFUSED|ECONNRESET|socket hang up|Timeout error|timed? ?out|is closed/i.test(message)) return 'unreachable';
  if (err?.cause && err.cause !== e) {
    const inner = classifyStorageError(err.cause);
    if (inner !== 'transient') return inner;
  }
  // Everything else, including errors we have never seen, is retried and then spooled: a
  // retried insert is idempotent (same rows, same deduplication token), and a spooled batch
  // loses nothing, whereas refusing would hand the problem to every client.
  return 'transient';
}

/** Why a storage failure is shown to an operator without leaking SQL or row data. */
export function briefError(e: unknown): string {
  const err = e as { code?: unknown; type?: unknown; message?: unknown };
  const head = typeof err?.message === 'string' ? err.message.split('\n')[0].slice(0, 200) : String(e).slice(0, 200);
  const code = typeof err?.type === 'string' ? err.type : typeof err?.code === 'string' ? err.code : undefined;
  return code && !head.includes(code) ? `${code}: ${head}` : head;
}
