import { type EventInput, badRequest } from '@licenskoll/core';
import { FailureCounter, type FailureSummary, mapEvents, type Outcome, withFailures } from './events.ts';
import { type AuditPrefix, AUDIT_PREFIX_LABELS, NOT_AUDIT, detectAuditPrefix, stripAuditPrefix } from './audit-prefix.ts';
import { type CommonOptions, type ImportInput, headText, openInput } from './input.ts';
import { type Line, lineBatches } from './lines.ts';
import { FormatError, type StreamResult, Tally } from './result.ts';
import { assertKind } from './sniff.ts';
import { toIsoTime } from './times.ts';
import { stableId } from './values.ts';

/** `shibboleth.AuditFormattingMap` default of IdP v4 and v5 (conf/audit.xml). */
export const SHIBBOLETH_V4_FORMAT = '%a|%ST|%T|%u|%SP|%i|%ac|%t|%attr|%n|%f|%SSO|%XX|%XA|%b|%bb|%e|%S|%SS|%s|%UA';
/** The v2/v3-compatible default many federations still configure; note the trailing `|`. */
export const SHIBBOLETH_V3_FORMAT = '%T|%b|%I|%SP|%P|%IDP|%bb|%III|%u|%ac|%attr|%n|%i|';
/** v3 with `%a|%s|` appended, as CARSI documents it. */
export const SHIBBOLETH_V3_CARSI_FORMAT = '%T|%b|%I|%SP|%P|%IDP|%bb|%III|%u|%ac|%attr|%n|%i|%a|%s|';

export interface ShibbolethOptions extends CommonOptions {
  /** The site's format string; by default v4/v5 or v3 is recognised from the field count. */
  format?: string;
  /** Zone of timestamps written without an offset (`shibboleth.AuditDefaultTimeZone` off). Default UTC. */
  timeZone?: string;
  /** Field holding the user: `%u` (default) or e.g. `%HASHEDu` where sites hash usernames. */
  userField?: string;
}

export type EventStream = StreamResult<EventInput> & { readonly failures: FailureSummary[] };

/**
 * The format string split into one field token per `|`-separated position. A bad format
 * is the caller's mistake, not the file's: it is a 400 (core's `ApiError`) naming `format`.
 */
export function parseAuditFormat(format: string): string[] {
  const tokens = format.split('|').map((t) => t.trim());
  const bad = (reason: string) => badRequest(`format: ${reason}`, [{ field: 'format', reason }]);
  for (const t of tokens) {
    if (t !== '' && !/^%[A-Za-z]+$/.test(t)) throw bad(`"${t}" in the audit format is not a %field token`);
  }
  if (!tokens.includes('%T')) throw bad('the audit format has no %T (event time): there is no time to give each login');
  if (!tokens.includes('%SP')) throw bad('the audit format has no %SP (relying party): there is no product to give each login');
  return tokens;
}

const KNOWN_FORMATS = [SHIBBOLETH_V4_FORMAT, SHIBBOLETH_V3_FORMAT, SHIBBOLETH_V3_CARSI_FORMAT];

/** Recognise the default formats by field count on the first lines (behind any logback or syslog prefix); a custom format must be given. */
export function detectAuditFormat(head: string): string | null {
  let lines = head.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 200);
  const prefix = detectAuditPrefix(lines);
  if (prefix) lines = lines.map((l) => stripAuditPrefix(prefix, l)).filter((l): l is string => l !== null);
  for (const l of lines.slice(0, 20)) {
    const n = l.split('|').length;
    const hit = KNOWN_FORMATS.find((f) => f.split('|').length === n);
    if (hit) return hit;
  }
  return null;
}

// v3 profile URNs (saml2:logout, saml2:query:attribute) and v4/v5 paths (/saml2/logout, /saml2/query/attribute).
const NOT_SIGN_ON = /logout|\bslo\b|attribute[-_ ]?query|query[/:]attribute|artifact|\/status\b|mdquery/i;

/** Why a line has the wrong number of fields, in words an admin can act on. */
function wrongShape(line: Line, expected: number, got: number): string {
  const t = line.text.trimStart();
  const head = `expected ${expected} |-separated fields, got`;
  if (line.unterminated) return `${head} ${got}; the file ends mid-line (truncated?)`;
  if (t.startsWith('{') || t.startsWith('[')) return `${head} ${got}; this looks like JSON, not an audit log line`;
  if (got === 1) {
    // No "|" at all: count the fields by the separator the line does use.
    const sep = [',', ';', '\t'].map((c) => [c, t.split(c).length] as const).sort((a, b) => b[1] - a[1])[0];
    if (sep[1] > 1) return `${head} ${sep[1]}; this looks like CSV`;
  }
  return `${head} ${got}; does the format string match shibboleth.AuditFormattingMap in audit.xml?`;
}

function lineMapper(tokens: string[], opts: ShibbolethOptions, failures: FailureCounter, prefix: AuditPrefix | null) {
  const at = (t: string) => tokens.indexOf(t);
  const iT = at('%T'), iU = at(opts.userField ?? '%u'), iSP = at('%SP'), iI = at('%i');
  const iE = at('%e'), iS = at('%S'), iP = at('%P');
  const merging = tokens[tokens.length - 1] === '%UA'; // a User-Agent may itself contain "|"
  const tz = opts.timeZone ?? 'UTC';
  if (iU < 0) throw badRequest(`format: the audit format has no ${opts.userField ?? '%u'} field for the user`, [{ field: 'format', reason: 'no user field' }]);

  return (line: Line): Outcome | null => {
    if (line.tooLong) return { reject: { reason: 'line longer than 1 MiB: not an audit log line' } };
    if (line.text.trim() === '') return null;
    if (line.invalidUtf8) return { reject: { reason: 'the line is not valid UTF-8 (is the file in another encoding?)' } };
    let text = line.text;
    if (prefix) {
      const record = stripAuditPrefix(prefix, text);
      if (record === null) return { skip: NOT_AUDIT[prefix] };
      text = record;
    }
    let f = text.split('|');
    if (f.length > tokens.length && merging) f = [...f.slice(0, tokens.length - 1), f.slice(tokens.length - 1).join('|')];
    if (f.length !== tokens.length) {
      return { reject: { reason: wrongShape({ ...line, text }, tokens.length, f.length) } };
    }
    const get = (i: number) => (i >= 0 ? f[i].trim() : '');
    const sp = get(iSP);
    const event = get(iE);
    const status = get(iS);
    if ((event && event !== 'Proceed') || (status && !/(^|:)Success$/.test(status))) {
      failures.add(sp || '(no relying party)', event && event !== 'Proceed' ? event : status);
      return { skip: 'unsuccessful authentication' };
    }
    const profile = get(iP);
    if (profile && NOT_SIGN_ON.test(profile)) return { skip: 'not a sign-on (logout, attribute query, status)' };
    const user = get(iU);
    if (!user) return { skip: 'no user (unauthenticated or passive request)' };
    if (!sp) return { skip: 'no relying party' };
    const time = toIsoTime(get(iT), tz);
    if (!time) return { reject: { field: '%T', reason: `"${get(iT)}" is not a time` } };
    const assertionId = get(iI);
    // The assertion id is unique per response; without one, the line itself is the identity
    // of the event, so a re-import of the same log file adds nothing; the record without its
    // prefix, so the same line read from idp-process.log and from idp-audit.log is one event.
    const id = assertionId && assertionId.length <= 200 ? assertionId : stableId('shibboleth', text);
    return { event: { id, type: 'login', time, user, product: sp, source: 'shibboleth' } };
  };
}

/**
 * Shibboleth IdP `idp-audit.log` (plain or .gz), or its records inside idp-process.log or
 * a syslog file → one `login` per successful SSO: user = %u, product = %SP (the SP
 * entityID), time = %T.
 */
export async function parseShibbolethAudit(input: ImportInput, opts: ShibbolethOptions = {}): Promise<EventStream> {
  const { head, chunks } = await openInput(input);
  const sniffed = assertKind(head, 'shibboleth-audit', opts.fileName);
  const format = opts.format ?? detectAuditFormat(headText(head));
  if (!format) {
    if (sniffed.format === 'empty') return emptyStream(opts);
    const where = opts.fileName ? `${opts.fileName}: ` : '';
    const message = sniffed.format === 'shibboleth-audit'
      ? `${where}the audit format is neither the v4/v5 default (21 fields) nor the v3 default (14); pass the site's format string from audit.xml`
      : `${where}this looks like ${sniffed.label}, not a Shibboleth IdP audit log; if it is one in a custom format, pass the site's format string from audit.xml`;
    throw new FormatError(message, 'shibboleth-audit', sniffed.format, opts.fileName);
  }
  const tokens = parseAuditFormat(format);
  const tally = new Tally(opts.maxRejections);
  const failures = new FailureCounter();
  tally.note(`audit format: ${format}`);
  const prefix = detectAuditPrefix(headText(head).split(/\r?\n/));
  if (prefix) tally.note(`audit records read ${AUDIT_PREFIX_LABELS[prefix]}`);
  const records = mapEvents(lineBatches(chunks), lineMapper(tokens, opts, failures, prefix), tally, opts.fileName);
  return withFailures(tally.stream('shibboleth-audit', records), failures);
}

function emptyStream(opts: CommonOptions): EventStream {
  const tally = new Tally(opts.maxRejections);
  async function* none(): AsyncGenerator<EventInput> {}
  return withFailures(tally.stream('shibboleth-audit', none()), new FailureCounter());
}
