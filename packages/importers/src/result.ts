/**
 * The one result shape every importer returns, so that `POST /v1/import/<kind>` and
 * `licenskoll import <kind>` can report rows the same way whatever the format.
 */

import type { FailureSummary } from './events.ts';

export const importKinds = [
  'oneroster',
  'licences',
  'products',
  'bol-orders',
  'bol-school-licences',
  'entra-signins',
  'shibboleth-audit',
  'satosa',
  'lti-launches',
  'caliper',
  'events',
] as const;
export type ImportKind = (typeof importKinds)[number];

export type Produces = 'events' | 'roster' | 'licences' | 'products' | 'publisher-licence-status';

/**
 * One refused row or line. `row` counts records the way a spreadsheet does (the header is
 * row 1); `line` is the physical line where the record starts, which differs from `row`
 * when quoted fields span lines. Line formats only have `line`.
 */
export interface Rejection {
  file?: string;
  line?: number;
  row?: number;
  /** Position in a JSON array or page, 0-based, for JSON inputs. */
  index?: number;
  field?: string;
  reason: string;
}

export interface ImportStats {
  /** Records (rows, lines, array items) looked at. */
  read: number;
  kept: number;
  rejected: number;
  /** Deliberately not imported (a failed sign-in, a non-delivered order line): not an error. */
  skipped: number;
  /**
   * Rows with nothing in them (Excel writes `;;;;` after formatted cells) and blank lines:
   * counted in `read` so that read = kept + rejected + skipped + blank, never as rejections.
   * Absent when there were none.
   */
  blank?: number;
}

interface ResultBase {
  kind: ImportKind;
  produces: Produces;
  /** Every refused record, up to `maxRejections`; `stats.rejected` keeps the full count. */
  rejected: Rejection[];
  stats: ImportStats;
  /** Why records were skipped, with counts: bounded however large the input. */
  skippedReasons: Record<string, number>;
  /** File-level remarks for the operator ("roles.csv absent: no duties"). */
  notes: string[];
}

/** Whole-file formats: everything is parsed before the result is returned. */
export interface BatchResult<T> extends ResultBase {
  records: T[];
}

/**
 * Line and log formats: `records` is single-pass and pulls the input as it is consumed,
 * so memory stays bounded. `rejected`, `stats` and `skippedReasons` fill in while
 * iterating; read them after the loop.
 */
export interface StreamResult<T> extends ResultBase {
  records: AsyncIterable<T>;
}

/**
 * What a parse says of itself once its records are consumed: the counts and remarks that the
 * import route and the CLI both report. Sign-in formats add their failed sign-ins, paged
 * sources the link to the next page.
 */
export interface ParseOutcome {
  read: number;
  skipped: number;
  blank: number;
  rejected: number;
  rejections: Rejection[];
  skippedReasons: Record<string, number>;
  notes: string[];
  failures: FailureSummary[];
  nextLink?: string;
}

export function parseOutcome(result: ResultBase & { failures?: FailureSummary[]; nextLink?: string }): ParseOutcome {
  const { stats } = result;
  return {
    read: stats.read, skipped: stats.skipped, blank: stats.blank ?? 0, rejected: stats.rejected, rejections: result.rejected,
    skippedReasons: result.skippedReasons, notes: result.notes, failures: result.failures ?? [],
    ...(result.nextLink ? { nextLink: result.nextLink } : {}),
  };
}

export const DEFAULT_MAX_REJECTIONS = 1000;

/** Collects rejections and counts; caps the list so a file of a million bad lines stays small. */
export class Tally {
  readonly rejected: Rejection[] = [];
  readonly stats: ImportStats = { read: 0, kept: 0, rejected: 0, skipped: 0 };
  readonly skippedReasons: Record<string, number> = {};
  readonly notes: string[] = [];

  constructor(readonly maxRejections = DEFAULT_MAX_REJECTIONS) {}

  reject(r: Rejection): void {
    this.stats.rejected++;
    if (this.rejected.length < this.maxRejections) this.rejected.push(r);
  }

  /** A row or line with nothing in it: read, but neither a record nor an error. */
  blank(): void {
    this.stats.read++;
    this.stats.blank = (this.stats.blank ?? 0) + 1;
  }

  skip(reason: string): void {
    this.stats.skipped++;
    this.skippedReasons[reason] = (this.skippedReasons[reason] ?? 0) + 1;
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /** Shape the final result; when the list was capped, say so where people will read it. */
  batch<T>(kind: ImportKind, produces: Produces, records: T[]): BatchResult<T> {
    this.noteCap();
    // Checks run in passes (width, then values, then duplicates): present them in file order.
    const pos = (r: Rejection) => r.row ?? r.line ?? r.index ?? 0;
    this.rejected.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || pos(a) - pos(b));
    return { kind, produces, records, rejected: this.rejected, stats: this.stats, skippedReasons: this.skippedReasons, notes: this.notes };
  }

  stream<T>(kind: ImportKind, records: AsyncIterable<T>): StreamResult<T> {
    const self = this;
    async function* capped() {
      yield* records;
      self.noteCap();
    }
    return {
      kind, produces: 'events', records: capped(), rejected: this.rejected, stats: this.stats,
      skippedReasons: this.skippedReasons, notes: this.notes,
    };
  }

  private noteCap(): void {
    if (this.stats.rejected > this.rejected.length) {
      this.note(`${this.stats.rejected} records were rejected; only the first ${this.rejected.length} are listed`);
    }
  }
}

/**
 * The input is not the format the caller named. Thrown before any record is produced,
 * so the route can answer 400 with `detected` instead of a thousand row errors.
 */
export class FormatError extends Error {
  constructor(
    message: string,
    readonly expected: string,
    readonly detected?: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'FormatError';
  }
}

/** Several problems of one row: listed one per field, counted as one rejected row. */
export function rejectRow(tally: Tally, problems: Rejection[]): void {
  if (problems.length === 0) return;
  tally.reject(problems[0]);
  for (const p of problems.slice(1)) if (tally.rejected.length < tally.maxRejections) tally.rejected.push(p);
}
