import { type EventInput, describeIssues, eventInput } from '@licenskoll/core';
import type { Rejection, Tally } from './result.ts';

/** What a format's mapper says about one record (`null` from a mapper: not a record at all, e.g. a blank line). */
export type Outcome =
  | { event: EventInput }
  | { skip: string }
  | { reject: { field?: string; reason: string } };

export interface Located {
  line?: number;
  /** Spreadsheet row (header = 1), for CSV inputs. */
  row?: number;
  index?: number;
}

/**
 * The common tail of every event importer: count, validate against the same `eventInput`
 * schema the HTTP API uses (so a row refused here would have been refused there, but with
 * its line number), and yield the good events one by one.
 */
export async function* mapEvents<I extends Located>(
  batches: AsyncIterable<I[]>,
  map: (item: I) => Outcome | null,
  tally: Tally,
  file?: string,
): AsyncGenerator<EventInput> {
  for await (const batch of batches) {
    for (const item of batch) {
      const where: Rejection = {
        reason: '', ...(file ? { file } : {}), ...(item.row !== undefined ? { row: item.row } : {}),
        ...(item.line !== undefined ? { line: item.line } : {}), ...(item.index !== undefined ? { index: item.index } : {}),
      };
      let out: Outcome | null;
      try {
        out = map(item);
      } catch (e) {
        out = { reject: { reason: (e as Error).message } };
      }
      // A blank line is no record, but it is a line of the file: counted apart so the totals add up to the file.
      if (out === null) { tally.blank(); continue; }
      tally.stats.read++;
      if ('skip' in out) { tally.skip(out.skip); continue; }
      if ('reject' in out) { tally.reject({ ...where, ...out.reject }); continue; }
      if (quickValid(out.event)) {
        tally.stats.kept++;
        yield out.event;
        continue;
      }
      const parsed = eventInput.safeParse(out.event);
      if (!parsed.success) {
        const issue = describeIssues(parsed.error)[0];
        tally.reject({ ...where, field: issue.field, reason: issue.reason });
        continue;
      }
      tally.stats.kept++;
      yield parsed.data;
    }
  }
}

const TIME_OK = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const okIdent = (s: unknown, max: number) => typeof s === 'string' && s.length > 0 && s.length <= max && s.trim() === s;

/**
 * The constraints of core's `eventInput`, checked by hand: zod costs more than the rest of
 * a log line's parsing together, and nearly every mapped event is valid. Anything this
 * does not accept goes through zod, which then names the field; a test holds the two
 * equivalent on the edge cases.
 */
export function quickValid(e: EventInput): boolean {
  return (
    (e.type === 'login' || e.type === 'launch') &&
    typeof e.time === 'string' && e.time.length <= 40 && TIME_OK.test(e.time) && !Number.isNaN(Date.parse(e.time)) &&
    okIdent(e.user, 512) && okIdent(e.product, 512) &&
    (e.id === undefined || okIdent(e.id, 200)) &&
    (e.source === undefined || okIdent(e.source, 100)) &&
    (e.group === undefined || okIdent(e.group, 200)) &&
    (e.school === undefined || okIdent(e.school, 200))
  );
}

/** Group a stream of events into arrays, for the ingest batcher (thousands per insert). */
export async function* inBatches<T>(records: AsyncIterable<T>, size = 5000): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const r of records) {
    batch.push(r);
    if (batch.length >= size) { yield batch; batch = []; }
  }
  if (batch.length) yield batch;
}

/** Failed sign-ins per product identifier: shown to an admin, never stored as usage. */
export interface FailureSummary {
  product: string;
  /** A display name when the source has one (Entra `appDisplayName`). */
  name?: string;
  failures: number;
  /** Count per error code or status (`50126`, `AuthenticationException`…). */
  byCode: Record<string, number>;
}

export class FailureCounter {
  private readonly byProduct = new Map<string, FailureSummary>();
  /** Bounded: a flood of distinct junk identifiers must not grow memory without end. */
  constructor(private readonly maxProducts = 10_000) {}

  add(product: string, code: string, name?: string): void {
    let s = this.byProduct.get(product);
    if (!s) {
      if (this.byProduct.size >= this.maxProducts) product = '(other)';
      s = this.byProduct.get(product) ?? { product, failures: 0, byCode: {} };
      this.byProduct.set(product, s);
    }
    if (name && !s.name) s.name = name;
    s.failures++;
    s.byCode[code] = (s.byCode[code] ?? 0) + 1;
  }

  summary(): FailureSummary[] {
    return [...this.byProduct.values()].sort((a, b) => b.failures - a.failures);
  }
}

/**
 * Attach a live `failures` list to a stream result. A getter, because failures are counted
 * while the records are consumed; enumerable, so `JSON.stringify(result)` includes it.
 */
export function withFailures<R extends object>(res: R, counter: FailureCounter): R & { readonly failures: FailureSummary[] } {
  Object.defineProperty(res, 'failures', { get: () => counter.summary(), enumerable: true });
  return res as R & { readonly failures: FailureSummary[] };
}
