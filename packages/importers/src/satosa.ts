import type { EventInput } from '@licenskoll/core';
import { mapEvents, type Outcome } from './events.ts';
import { type CommonOptions, type ImportInput, openInput } from './input.ts';
import { type Line, lineBatches } from './lines.ts';
import { type StreamResult, Tally } from './result.ts';
import { assertKind } from './sniff.ts';
import { toIsoTime } from './times.ts';
import { stableId } from './values.ts';

export interface SatosaOptions extends CommonOptions {
  /**
   * Attributes tried in order for the user; the first with a value wins. Default
   * eppn, mail, uid: eppn is what the roster registers, a local uid only joins when the
   * roster carries it as an external identifier. A string is split on commas (a query parameter).
   */
  userAttributes?: string[] | string;
  /** Zone for timestamps without an offset. Default UTC. */
  timeZone?: string;
}

// SATOSA's internal attribute names are the deployer's choice; these are the common spellings.
const ALIASES: Record<string, string[]> = {
  eppn: ['eppn', 'edupersonprincipalname'],
  mail: ['mail', 'email'],
  uid: ['uid'],
};

function firstValue(v: unknown): string | undefined {
  const x = Array.isArray(v) ? v.find((s) => typeof s === 'string' && s.trim() !== '') : v;
  return typeof x === 'string' && x.trim() !== '' ? x.trim() : undefined;
}

export function satosaUser(attr: Record<string, unknown>, order: string[]): string | undefined {
  const keys = Object.keys(attr);
  for (const name of order) {
    for (const alias of ALIASES[name.toLowerCase()] ?? [name.toLowerCase()]) {
      // Exact key first: the usual case, and no lower-casing of every key on every line.
      const key = alias in attr ? alias : keys.find((k) => k.toLowerCase() === alias);
      const v = key === undefined ? undefined : firstValue(attr[key]);
      if (v) return v;
    }
  }
  return undefined;
}

export function jsonLineProblem(line: Line, e: unknown): string {
  const t = line.text.trimStart();
  if (line.unterminated) return 'the last line is cut off (truncated file?)';
  if (/^\[[^\]]*\]\s/.test(t)) return 'this is a plain log line ("[session] message"), not JSON: enable the CustomLoggingService micro-service';
  if (t.includes('|') && t.split('|').length > 10) return 'this looks like a Shibboleth audit log line, not JSON';
  return `not valid JSON: ${(e as Error).message}`;
}

function mapper(opts: SatosaOptions) {
  const given = typeof opts.userAttributes === 'string' ? opts.userAttributes.split(/[,\s]+/).filter(Boolean) : opts.userAttributes;
  const order = given?.length ? given : ['eppn', 'mail', 'uid'];
  const tz = opts.timeZone ?? 'UTC';
  return (line: Line): Outcome | null => {
    if (line.tooLong) return { reject: { reason: 'line longer than 1 MiB' } };
    if (line.text.trim() === '') return null;
    if (line.invalidUtf8) return { reject: { reason: 'the line is not valid UTF-8' } };
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line.text);
    } catch (e) {
      return { reject: { reason: jsonLineProblem(line, e) } };
    }
    if (!o || typeof o !== 'object' || Array.isArray(o)) return { reject: { reason: 'expected one JSON object per line' } };
    const attr = o.attr && typeof o.attr === 'object' ? (o.attr as Record<string, unknown>) : {};
    const user = satosaUser(attr, order);
    if (!user) return { skip: `no user attribute (${order.join(', ')})` };
    const sp = typeof o.sp === 'string' ? o.sp.trim() : '';
    if (!sp) return { reject: { field: 'sp', reason: 'missing: no relying party to count the login for' } };
    const time = toIsoTime(o.timestamp, tz);
    if (!time) return { reject: { field: 'timestamp', reason: `${JSON.stringify(o.timestamp ?? null)} is not a time` } };
    const session = typeof o.sessionid === 'string' ? o.sessionid : '';
    // `timestamp` is the upstream AuthnInstant: several SPs reached in one SSO session share
    // it, so the SP belongs in the id; a replayed line gets the same id.
    const id = stableId('satosa', session, sp, String(o.timestamp), user);
    return { event: { id, type: 'login', time, user, product: sp, source: 'satosa' } };
  };
}

/**
 * SATOSA CustomLoggingService output (one JSON object per line) → one `login` per
 * authentication response: user from `attr` (eppn, then mail, then uid), product = `sp`,
 * time = `timestamp`. The timestamp is the upstream AuthnInstant, so an SSO reuse of an
 * earlier login carries that earlier time: the only time the log has.
 */
export async function parseSatosa(input: ImportInput, opts: SatosaOptions = {}): Promise<StreamResult<EventInput>> {
  const { head, chunks } = await openInput(input);
  assertKind(head, 'satosa', opts.fileName);
  const tally = new Tally(opts.maxRejections);
  return tally.stream('satosa', mapEvents(lineBatches(chunks), mapper(opts), tally, opts.fileName));
}
