import type { EventInput } from '@licenskoll/core';
import { FailureCounter, type FailureSummary, mapEvents, type Outcome, withFailures } from './events.ts';
import { type CommonOptions, type ImportInput, openInput } from './input.ts';
import { type JsonItem, type JsonStreamInfo, jsonItemBatches } from './json-stream.ts';
import { type StreamResult, Tally } from './result.ts';
import { assertKind } from './sniff.ts';
import { toIsoTime } from './times.ts';
import { stableId } from './values.ts';
import { ENTRA_CSV_VARIANTS, entraCsvItems } from './entra-csv.ts';

export interface EntraOptions extends CommonOptions {
  /**
   * Keep only interactive sign-ins. Off by default: non-interactive sign-ins are the app
   * renewing a session the pupil has open, which is still use of the product; a report
   * counts active people and days, so the extra rows do not inflate it.
   */
  interactiveOnly?: boolean;
}

/** One Entra application seen in the log, with counts: what an admin needs to map appIds to products. */
export interface EntraApp {
  appId: string;
  name?: string;
  signIns: number;
}

export type EntraResult = StreamResult<EventInput> & {
  readonly failures: FailureSummary[];
  readonly apps: EntraApp[];
  /** `@odata.nextLink` of a Graph page: more sign-ins wait there. */
  readonly nextLink?: string;
};

/** One sign-in, whatever shape it came in (Graph, Azure Monitor, Log Analytics, CSV). */
export interface SignIn {
  id?: string;
  time?: unknown;
  user?: string;
  appId?: string;
  appName?: string;
  errorCode?: number;
  /** A status word without a code (CSV downloads): success, failure, interrupted. */
  status?: 'success' | 'failure' | 'interrupted';
  category?: string;
  interactive?: boolean;
  eventTypes?: string[];
}

/** The names the input gives the fields, so a rejection names the column people can find. */
export interface SignInFields {
  time: string;
  appId: string;
  user: string;
  status: string;
}

export const GRAPH_FIELDS: SignInFields = { time: 'createdDateTime', appId: 'appId', user: 'userPrincipalName', status: 'status.errorCode' };

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Log Analytics writes PascalCase (`CreatedDateTime`, `AppId`); bring it to Graph's camelCase. */
function camelKeys(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) out[k.charAt(0).toLowerCase() + k.slice(1)] = v;
  return out;
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  if (typeof v === 'string' && v.trim().startsWith('{')) {
    try { return JSON.parse(v); } catch { return undefined; } // Log Analytics exports dynamic columns as JSON text
  }
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** A result code as Graph (number), Azure Monitor and Log Analytics (string) write it. */
export function errorCodeOf(v: unknown): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
}

const bool = (v: unknown) => (typeof v === 'boolean' ? v : typeof v === 'string' && /^(true|false)$/i.test(v.trim()) ? /^true$/i.test(v.trim()) : undefined);

const PASCAL = ['CreatedDateTime', 'TimeGenerated', 'AppId', 'UserPrincipalName', 'ResultType'];

/** The shapes of one sign-in record (Graph/portal, Azure Monitor envelope, Log Analytics) as one. */
export function readSignIn(rec: Record<string, unknown>): SignIn {
  let r = rec;
  let envelope: Record<string, unknown> = {};
  const props = asObject(rec.properties);
  if (props) { envelope = rec; r = props; }
  if (!('createdDateTime' in r) && PASCAL.some((k) => k in r)) r = camelKeys(r);
  const status = asObject(r.status);
  const code = errorCodeOf(status?.errorCode ?? r.resultType ?? envelope.resultType);
  const types = Array.isArray(r.signInEventTypes) ? r.signInEventTypes.filter((t): t is string => typeof t === 'string') : undefined;
  return {
    id: str(r.id),
    time: r.createdDateTime ?? envelope.time ?? r.timeGenerated,
    user: str(r.userPrincipalName) ?? str(r.userId),
    appId: str(r.appId),
    appName: str(r.appDisplayName),
    errorCode: code,
    category: str(envelope.category) ?? str(r.category),
    interactive: bool(r.isInteractive),
    eventTypes: types,
  };
}

const NOT_A_USER = /servicePrincipal|managedIdentity/i;

/** A sign-in → a `login`, a counted failure, a skip or a rejection naming the input's own field. */
export function signInMapper(opts: EntraOptions, failures: FailureCounter, apps: Map<string, EntraApp>) {
  return (s: SignIn, fields: SignInFields): Outcome => {
    if ((s.category && NOT_A_USER.test(s.category)) || s.eventTypes?.some((t) => NOT_A_USER.test(t))) {
      return { skip: 'service principal or managed identity sign-in (no person)' };
    }
    if (s.errorCode === undefined && s.status === undefined) return { reject: { field: fields.status, reason: 'missing: cannot tell success from failure' } };
    if (!s.appId) return { reject: { field: fields.appId, reason: 'missing: no application to count the sign-in for' } };
    const ok = s.errorCode !== undefined ? s.errorCode === 0 : s.status === 'success';
    if (!ok) {
      failures.add(s.appId, String(s.errorCode ?? s.status), s.appName);
      return { skip: 'failed sign-in' };
    }
    if (opts.interactiveOnly && s.interactive === false) return { skip: 'non-interactive sign-in' };
    if (!s.user) return { reject: { field: fields.user, reason: 'missing, and no userId either' } };
    const time = toIsoTime(s.time);
    if (!time) return { reject: { field: fields.time, reason: `${JSON.stringify(s.time ?? null)} is not a time` } };
    let app = apps.get(s.appId);
    if (!app && apps.size < 10_000) { app = { appId: s.appId, signIns: 0 }; apps.set(s.appId, app); }
    if (app) { app.signIns++; if (s.appName && !app.name) app.name = s.appName; }
    const id = s.id ?? stableId('entra', s.user, s.appId, time);
    return { event: { id, type: 'login', time, user: s.user, product: s.appId, source: 'entra' } };
  };
}

/**
 * A Log Analytics query answer `{"tables":[{"name","columns","rows"}]}` holds rows as
 * arrays beside a column list: give each row its column names, so it reads like an exported row.
 */
async function* rowsOfTables(batches: AsyncIterable<JsonItem[]>, tally: Tally): AsyncGenerator<JsonItem[]> {
  for await (const batch of batches) {
    const out: JsonItem[] = [];
    for (const it of batch) {
      const t = it.value as { name?: unknown; columns?: unknown; rows?: unknown } | undefined;
      if (!t || typeof t !== 'object' || !Array.isArray(t.columns) || !Array.isArray(t.rows)) { out.push(it); continue; }
      const names = t.columns.map((c) => (c && typeof c === 'object' ? String((c as { name?: unknown }).name ?? '') : String(c)));
      tally.note(`Log Analytics query answer: table ${typeof t.name === 'string' ? t.name : '(unnamed)'}, ${t.rows.length} rows`);
      t.rows.forEach((row, index) => {
        if (!Array.isArray(row)) { out.push({ error: 'a row of the table is not an array', line: it.line, index }); return; }
        out.push({ value: Object.fromEntries(names.map((n, i) => [n, row[i]])), line: it.line, index });
      });
    }
    if (out.length) yield out;
  }
}

function jsonMapper(toOutcome: ReturnType<typeof signInMapper>) {
  return (item: JsonItem): Outcome => {
    if (item.error !== undefined) return { reject: { reason: item.error } };
    if (!item.value || typeof item.value !== 'object' || Array.isArray(item.value)) return { reject: { reason: 'expected a sign-in record (a JSON object)' } };
    const rec = item.value as Record<string, unknown>;
    const s = readSignIn(rec);
    // Name fields the way the record spells them: Log Analytics rows say TimeGenerated, AppId.
    const pascal = !('createdDateTime' in rec) && !('properties' in rec) && PASCAL.some((k) => k in rec);
    const fields = pascal
      ? { time: 'CreatedDateTime' in rec ? 'CreatedDateTime' : 'TimeGenerated', appId: 'AppId', user: 'UserPrincipalName', status: 'ResultType' }
      : GRAPH_FIELDS;
    return toOutcome(s, fields);
  };
}

export const NEXT_LINK_HINT = 'more sign-ins wait: this Graph page ends with @odata.nextLink. Fetch that address with the same token '
  + '(e.g. `az rest --url "<nextLink>" > page2.json`) and import each page the same way; pages may also be put one after another in one file';

/**
 * Entra ID sign-in logs → one `login` per successful sign-in (status.errorCode 0): user =
 * userPrincipalName (else userId), product = appId, time = createdDateTime, id = the
 * sign-in id. Failed sign-ins are not usage: they are counted per app in `failures`.
 * Takes a Graph page, the portal's JSON or CSV download (English or Swedish headers), an
 * Azure Monitor `{"records":[…]}` blob, Log Analytics / Sentinel `SigninLogs` rows (a JSON
 * array, the query API's `{"tables":[…]}`, or CSV), or JSON lines of any of these.
 */
export async function parseEntraSignIns(input: ImportInput, opts: EntraOptions = {}): Promise<EntraResult> {
  const { head, chunks } = await openInput(input);
  const sniffed = assertKind(head, 'entra-signins', opts.fileName);
  const tally = new Tally(opts.maxRejections);
  const failures = new FailureCounter();
  const apps = new Map<string, EntraApp>();
  const toOutcome = signInMapper(opts, failures, apps);
  const info: JsonStreamInfo = { meta: [], wrapperKeys: [] };
  // Only the last page's link matters: pages put one after another end with the last one's.
  const nextLink = () => {
    const last = info.meta.at(-1);
    return last ? str(last['@odata.nextLink']) : undefined;
  };
  let records: AsyncIterable<EventInput>;
  if (sniffed.variant && ENTRA_CSV_VARIANTS.includes(sniffed.variant)) {
    records = mapEvents(entraCsvItems(chunks, tally, opts.fileName), (it) => ('reject' in it ? { reject: it.reject } : toOutcome(it.signIn, it.fields)), tally, opts.fileName);
  } else {
    const items = rowsOfTables(jsonItemBatches(chunks, { arrayKeys: ['value', 'records', 'tables'] }, info), tally);
    const mapped = mapEvents(items, jsonMapper(toOutcome), tally, opts.fileName);
    records = (async function* () {
      yield* mapped;
      if (nextLink()) tally.note(NEXT_LINK_HINT);
    })();
  }
  const res = withFailures(tally.stream('entra-signins', records), failures);
  Object.defineProperty(res, 'apps', { get: () => [...apps.values()].sort((a, b) => b.signIns - a.signIns), enumerable: true });
  Object.defineProperty(res, 'nextLink', { get: nextLink, enumerable: true });
  return res as EntraResult;
}
