import type { EventInput } from '@licenskoll/core';
import { mapEvents, type Outcome } from './events.ts';
import { type CommonOptions, type ImportInput, openInput } from './input.ts';
import { type JsonItem, jsonItemBatches } from './json-stream.ts';
import { type StreamResult, Tally } from './result.ts';
import { assertKind } from './sniff.ts';
import { toIsoTime } from './times.ts';

/**
 * Caliper events of any released version as Licenskoll events. The versions differ in
 * spelling, not in meaning:
 *   - 1.0: no `dataVersion` in the envelope, `@type`/`@id`, full-IRI types
 *     (`http://purl.imsglobal.org/caliper/v1/SessionEvent`) and actions
 *     (`http://purl.imsglobal.org/vocab/caliper/v1/action#LoggedIn`), no event id;
 *   - 1.1: `dataVersion` …/v1p1, `type`/`id`, short terms (IRIs still seen from older sensors);
 *   - 1.2: `dataVersion` …/v1p2, short terms, ToolLaunchEvent.
 * So every type and action is read by its last IRI segment, and `@id` stands in for `id`:
 * the same login then gives the same event whichever version the sensor speaks.
 */

export type CaliperVersion = '1.0' | '1.1' | '1.2';

/** A Caliper event mapped: use, or a skip whose reason names the event type and action, or a refusal naming the field. */
export type CaliperOutcome =
  | { event: Record<string, unknown> }
  | { skip: string }
  | { reject: { field?: string; reason: string } };

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** An entity given whole or as its IRI; 1.0 names the id `@id`. */
export function caliperId(v: unknown): string | undefined {
  if (typeof v === 'string') return str(v);
  const o = obj(v);
  return o ? (str(o.id) ?? str(o['@id'])) : undefined;
}

/** `http://purl.imsglobal.org/vocab/caliper/v1/action#LoggedIn` → `LoggedIn`; `SessionEvent` stays. */
export function caliperTerm(v: unknown): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  return s.slice(Math.max(s.lastIndexOf('/'), s.lastIndexOf('#')) + 1) || undefined;
}

/** The version an envelope speaks: `dataVersion` when present (1.1 on), else 1.0. */
export function caliperVersion(envelope: Record<string, unknown>): CaliperVersion {
  const v = str(envelope.dataVersion);
  if (!v) return '1.0';
  return /v1p1\b/.test(v) ? '1.1' : /v1p0\b|caliper\/v1\//.test(v) ? '1.0' : '1.2';
}

// Compared without case and spaces: drafts of 1.0 wrote "logged in".
const key = (s: string) => s.replace(/[\s_-]+/g, '').toLowerCase();

/** Which events are use; every other event is skipped with its type and action named. */
const USE: Record<string, EventInput['type']> = {
  'sessionevent loggedin': 'login',
  'toollaunchevent launched': 'launch',
  // 1.1 and 1.2's own "the tool was used": the same use as a launch.
  'tooluseevent used': 'launch',
};

export const CALIPER_USE = 'only SessionEvent LoggedIn, ToolLaunchEvent Launched and ToolUseEvent Used are use';

/** A type or action as it may appear in a skip reason: a plain term, or a word for junk, so the list stays bounded. */
const named = (term: string | undefined, none: string) => (term === undefined ? none : /^[A-Za-z]{1,60}$/.test(term) ? term : 'of another kind');

/** At most `max` UTF-16 units, never ending in half a surrogate pair (which would not be text). */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/**
 * One item of an envelope's `data` → a raw Licenskoll event (validated afterwards like
 * any other): actor = user, object (the SoftwareApplication, else edApp) = product,
 * group = group, `extensions.schoolUnitCode` = school. `sensor` names the source.
 */
export function mapCaliperEvent(item: unknown, sensor?: unknown): CaliperOutcome {
  const ev = obj(item);
  if (!ev) return { reject: { reason: 'must be an object (a Caliper event)' } };
  const type = caliperTerm(ev.type ?? ev['@type']);
  const action = caliperTerm(ev.action);
  if (action === undefined) return { skip: `Caliper ${named(type, 'item without a type')}: an entity, not an event` };
  const kind = type ? USE[`${key(type)} ${key(action)}`] : undefined;
  if (!kind) return { skip: `Caliper ${named(type, 'event without a type')} ${named(action, '')}: not use (${CALIPER_USE})` };
  const user = caliperId(ev.actor);
  if (!user) return { reject: { field: 'actor', reason: 'missing: no person to count the use for' } };
  const product = caliperId(ev.object) ?? caliperId(ev.edApp);
  if (!product) return { reject: { field: 'object', reason: 'missing: no application to count the use for' } };
  // Drafts of 1.0 had no eventTime, only the session's startedAtTime.
  const rawTime = ev.eventTime ?? ev.startedAtTime;
  const time = toIsoTime(rawTime);
  if (!time) return { reject: { field: 'eventTime', reason: `${JSON.stringify(rawTime ?? null)} is not a time` } };
  const group = caliperId(ev.group);
  const ext = obj(ev.extensions) ?? {};
  const id = str(ev.id) ?? str(ev['@id']);
  const source = str(sensor);
  return {
    event: {
      // 1.0 events carry no id: the stored event is then keyed by its content, so a re-import adds nothing.
      ...(id ? { id } : {}),
      type: kind,
      time,
      user,
      product,
      source: source ? clip(`caliper:${source}`, 100) : 'caliper',
      ...(group ? { group } : {}),
      ...(typeof ext.schoolUnitCode === 'string' ? { school: ext.schoolUnitCode } : {}),
    },
  };
}

/** One event of a file, with the envelope's sensor and where it was. */
interface CaliperItem {
  value?: unknown;
  error?: string;
  field?: string;
  sensor?: unknown;
  line: number;
  index: number;
}

/** Envelopes (or bare events) as they come out of the JSON scanner → one item per event. */
async function* eventsOfEnvelopes(batches: AsyncIterable<JsonItem[]>, versions: Set<CaliperVersion>): AsyncGenerator<CaliperItem[]> {
  for await (const batch of batches) {
    const out: CaliperItem[] = [];
    for (const it of batch) {
      if (it.error !== undefined) { out.push({ error: it.error, line: it.line, index: it.index }); continue; }
      const o = obj(it.value);
      if (o && Array.isArray(o.data)) {
        versions.add(caliperVersion(o));
        o.data.forEach((value, index) => out.push({ value, sensor: o.sensor, line: it.line, index }));
      } else if (o && ('action' in o || 'actor' in o)) {
        versions.add(typeof o['@type'] === 'string' ? '1.0' : '1.2');
        out.push({ value: o, line: it.line, index: it.index }); // a bare event, as event stores dump them
      } else {
        out.push({ error: 'expected a Caliper envelope {sensor, sendTime, data} or a Caliper event', line: it.line, index: it.index });
      }
    }
    if (out.length) yield out;
  }
}

/**
 * A file of Caliper envelopes (one, several concatenated, an array of them, JSON lines) or
 * of bare events, any of 1.0, 1.1 and 1.2 → `login` and `launch` events, the same as
 * `POST /v1/caliper` makes of them.
 */
export async function parseCaliper(input: ImportInput, opts: CommonOptions = {}): Promise<StreamResult<EventInput>> {
  const { head, chunks } = await openInput(input);
  assertKind(head, 'caliper', opts.fileName);
  const tally = new Tally(opts.maxRejections);
  const versions = new Set<CaliperVersion>();
  const map = (item: CaliperItem): Outcome => {
    if (item.error !== undefined) return { reject: { reason: item.error } };
    const out = mapCaliperEvent(item.value, item.sensor);
    if ('reject' in out) return { reject: { ...out.reject, field: `data[${item.index}]${out.reject.field ? `.${out.reject.field}` : ''}` } };
    return out as Outcome;
  };
  async function* withVersionNote() {
    yield* mapEvents(eventsOfEnvelopes(jsonItemBatches(chunks, { arrayKeys: [] }), versions), map, tally, opts.fileName);
    if (versions.size) tally.note(`Caliper ${[...versions].sort().join(', ')}`);
  }
  return tally.stream('caliper', withVersionNote());
}
