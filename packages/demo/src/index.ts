import { isIsoDate, isValidTimeZone, type EventInput, type LicenceInput, type ProductInput } from '@licenskoll/core';
import { dataYearOf } from './calendar.ts';
import { buildCatalogue } from './catalogue.ts';
import { buildRoster } from './roster.ts';
import { generateEvents, planUsage } from './usage.ts';

export type { Ss12000Duty, Ss12000Group, Ss12000Organisation, Ss12000Person } from './ss12000.ts';
export { dataFrom, dataYearOf, schoolYearOf, type SchoolYear } from './calendar.ts';

export interface DemoOptions {
  seed?: number;
  /** YYYY-MM-DD: the last day of data and the roster snapshot day. */
  today: string;
  /** Default Europe/Stockholm: event times carry this zone's offset. */
  timeZone?: string;
  /** 1 = about 4,000 pupils, 400 staff and 300,000 events; multiplies pupils and events. */
  scale?: number;
}

export interface DemoData {
  asOf: string;
  ss12000: { organisations: object[]; persons: object[]; groups: object[]; duties: object[] };
  products: ProductInput[];
  licences: LicenceInput[];
  /** Generated lazily and identically on every call; not sorted by time. */
  events(): Iterable<EventInput>;
  summary: { schoolUnits: number; groups: number; pupils: number; staff: number; products: number; licences: number; approxEvents: number };
}

export const DEFAULT_SEED = 12000;

/**
 * Exempelstads kommun: a dozen school units, their classes, pupils and staff as SS12000 2.1
 * objects, a catalogue of learning materials, licences of every kind and a school year of
 * login and launch events up to `today`. The same options give byte-identical output.
 */
export function generateDemo(opts: DemoOptions): DemoData {
  const seed = opts.seed ?? DEFAULT_SEED;
  const timeZone = opts.timeZone ?? 'Europe/Stockholm';
  const scale = opts.scale ?? 1;
  if (!Number.isFinite(seed)) throw new Error(`demo: seed must be a finite number, got ${seed}`);
  if (!isIsoDate(opts.today)) throw new Error(`demo: today must be a date YYYY-MM-DD, got "${opts.today}"`);
  if (!isValidTimeZone(timeZone)) throw new Error(`demo: "${timeZone}" is not a known time zone`);
  if (!(scale > 0 && scale <= 100)) throw new Error(`demo: scale must be above 0 and at most 100, got ${scale}`);

  const today = opts.today;
  const sy = dataYearOf(today);
  const roster = buildRoster(seed, today, scale, sy);
  const catalogue = buildCatalogue(seed, today, sy, roster);
  const usage = planUsage(seed, today, sy, timeZone, roster, catalogue, scale);

  return {
    asOf: today,
    ss12000: roster.ss12000,
    products: catalogue.products,
    licences: catalogue.licences,
    events: () => generateEvents(seed, usage, roster, catalogue),
    summary: {
      schoolUnits: roster.units.length,
      groups: roster.groups.length,
      pupils: roster.persons.filter((p) => p.kind === 'pupil').length,
      staff: roster.persons.filter((p) => p.kind === 'staff').length,
      products: catalogue.products.length,
      licences: catalogue.licences.length,
      approxEvents: usage.approxEvents,
    },
  };
}
export { asOrganiser, REGION_DEMO_ORGANISERS, type DemoOrganiser } from './organiser.ts';
