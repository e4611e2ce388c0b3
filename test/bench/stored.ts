import { createHash } from 'node:crypto';
import { normaliseProductIdentifier, type EventInput, type Pseudonymiser } from '@licenskoll/core';
import type { StoredEvent } from '@licenskoll/ingest';
import type { Day } from './calendar.ts';
import { KIND_SOURCE, KIND_TYPE, type Ev } from './usage.ts';

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The event as a source would send it to `POST /v1/events`. */
export function toInput(e: Ev, days: Day[]): EventInput {
  const d = days[e.day];
  const time = `${d.date}T${two(Math.floor(e.sec / 3600))}:${two(Math.floor(e.sec / 60) % 60)}:${two(e.sec % 60)}${d.offset}`;
  const base = { type: KIND_TYPE[e.kind], time, user: e.user, product: e.product, source: KIND_SOURCE[e.kind] };
  return e.hasId ? { id: `bench-${e.n}`, ...base } : base;
}

/** The columns of `line()`; `received` takes its default. */
export const TSV_COLUMNS = ['event_key', 'time', 'day', 'type', 'user_key', 'product_ident', 'source', 'group_hint', 'school_hint'] as const;
const tsv = (s: string) => s.replace(/[\\\t\n]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : '\\n'));

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex').slice(0, 32);

/**
 * The bulk loader's fast path to the row `toStoredEvent` would make: pseudonyms and product
 * normal forms are computed once per distinct identifier instead of once per event, and the
 * day comes from the generator instead of a time-zone lookup. `load.ts` checks it against
 * `toStoredEvent` on a sample before loading anything.
 */
export class FastRows {
  private users = new Map<string, string>();
  private products = new Map<string, string>();

  constructor(private readonly pseudo: Pseudonymiser, private readonly days: Day[]) {}

  row(e: Ev): StoredEvent {
    let user_key = this.users.get(e.user);
    if (user_key === undefined) this.users.set(e.user, (user_key = this.pseudo.user(e.user)));
    let product_ident = this.products.get(e.product);
    if (product_ident === undefined) this.products.set(e.product, (product_ident = normaliseProductIdentifier(e.product)));
    const d = this.days[e.day];
    const ms = d.utcMidnight + e.sec * 1000 - d.offsetMinutes * 60_000;
    const type = KIND_TYPE[e.kind];
    const source = KIND_SOURCE[e.kind];
    const event_key = e.hasId ? sha(`id\u0000bench-${e.n}`) : sha(['c', type, ms, user_key, product_ident, source, '', ''].join('\u0000'));
    // Events fall between 06:00 and 22:00 local time, so their UTC date is their local date.
    const utc = e.sec - d.offsetMinutes * 60;
    const time = `${d.date} ${two(Math.floor(utc / 3600))}:${two(Math.floor(utc / 60) % 60)}:${two(utc % 60)}.000`;
    return { event_key, time, day: d.date, type, user_key, product_ident, source, group_hint: '', school_hint: '' };
  }

  /** One TabSeparated line in the order of `TSV_COLUMNS`. */
  line(e: Ev): string {
    const r = this.row(e);
    return `${r.event_key}\t${r.time}\t${r.day}\t${r.type}\t${r.user_key}\t${tsv(r.product_ident)}\t${r.source}\t\t\n`;
  }
}
