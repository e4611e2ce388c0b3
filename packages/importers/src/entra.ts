import type { EventInput } from '@licenskoll/core';
import { FailureCounter, type FailureSummary, mapEvents, type Outcome, withFailures } from './events.ts';
import { type CommonOptions, type ImportInput, openInput } from './input.ts';
import { type JsonItem, type JsonStreamInfo, jsonItemBatches } from './json-stream.ts';
import { type StreamResult, Tally } from './result.ts';
import { assertKind } from './sniff.ts';
import { toIsoTime } from './times.ts';
import { stableId } from './values.ts';

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

interface SignIn {
  id?: string;
  time?: unknown;
  user?: string;
  appId?: string;
  appName?: string;
  errorCode?: number;
  category?: string;
  interactive?: boolean;
  eventTypes?: string[];
}

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

/** The three shapes of one sign-in record (Graph/portal, Azure Monitor envelope, Log Analytics) as one. */
export function readSignIn(rec: Record<string, unknown>): SignIn {
  let r = rec;
  let envelope: Record<string, unknown> = {};
  const props = asObject(rec.properties);
  if (props) { envelope = rec; r = props; }
  if (!('createdDateTime' in r) && ('CreatedDateTime' in r || 'AppId' in r || 'UserPrincipalName' in r || 'ResultType' in r)) r = camelKeys(r);
  const status = asObject(r.status);
  const codeRaw = status?.errorCode ?? r.resultType ?? envelope.resultType;
  const code = typeof codeRaw === 'number' ? codeRaw : typeof codeRaw === 'string' && /^\d+$/.test(codeRaw.trim()) ? Number(codeRaw) : undefined;
  const types = Array.isArray(r.signInEventTypes) ? r.signInEventTypes.filter((t): t is string => typeof t === 'string') : undefined;
  return {
    id: str(r.id),
    time: r.createdDateTime ?? envelope.time ?? r.timeGenerated,
    user: str(r.userPrincipalName) ?? str(r.userId),
    appId: str(r.appId),
    appName: str(r.appDisplayName),
    errorCode: code,
    category: str(envelope.category) ?? str(r.category),
    interactive: typeof r.isInteractive === 'boolean' ? r.isInteractive : undefined,
    eventTypes: types,
  };
}

const NOT_A_USER = /servicePrincipal|managedIdentity/i;

function mapper(opts: EntraOptions, failures: FailureCounter, apps: Map<string, EntraApp>) {
  return (item: JsonItem): Outcome => {
    if (item.error !== undefined) return { reject: { reason: item.error } };
    if (!item.value || typeof item.value !== 'object' || Array.isArray(item.value)) return { reject: { reason: 'expected a sign-in record (a JSON object)' } };
    const s = readSignIn(item.value as Record<string, unknown>);
    if ((s.category && NOT_A_USER.test(s.category)) || s.eventTypes?.some((t) => NOT_A_USER.test(t))) {
      return { skip: 'service principal or managed identity sign-in (no person)' };
    }
    if (s.errorCode === undefined) return { reject: { field: 'status.errorCode', reason: 'missing: cannot tell success from failure' } };
    if (!s.appId) return { reject: { field: 'appId', reason: 'missing: no application to count the sign-in for' } };
    if (s.errorCode !== 0) {
      failures.add(s.appId, String(s.errorCode), s.appName);
      return { skip: 'failed sign-in' };
    }
    if (opts.interactiveOnly && s.interactive === false) return { skip: 'non-interactive sign-in' };
    if (!s.user) return { reject: { field: 'userPrincipalName', reason: 'missing, and no userId either' } };
    const time = toIsoTime(s.time);
    if (!time) return { reject: { field: 'createdDateTime', reason: `${JSON.stringify(s.time ?? null)} is not a time` } };
    let app = apps.get(s.appId);
    if (!app && apps.size < 10_000) { app = { appId: s.appId, signIns: 0 }; apps.set(s.appId, app); }
    if (app) { app.signIns++; if (s.appName && !app.name) app.name = s.appName; }
    const id = s.id ?? stableId('entra', s.user, s.appId, time);
    return { event: { id, type: 'login', time, user: s.user, product: s.appId, source: 'entra' } };
  };
}

/**
 * Entra ID sign-in logs → one `login` per successful sign-in (status.errorCode 0): user =
 * userPrincipalName (else userId), product = appId, time = createdDateTime, id = the
 * sign-in id. Failed sign-ins are not usage: they are counted per app in `failures`.
 * Takes a Graph page, the portal's JSON download, an Azure Monitor `{"records":[…]}` blob,
 * Log Analytics PascalCase rows, or any of these as JSON lines, streaming.
 */
export async function parseEntraSignIns(input: ImportInput, opts: EntraOptions = {}): Promise<EntraResult> {
  const { head, chunks } = await openInput(input);
  assertKind(head, 'entra-signins', opts.fileName);
  const tally = new Tally(opts.maxRejections);
  const failures = new FailureCounter();
  const apps = new Map<string, EntraApp>();
  const info: JsonStreamInfo = { meta: [], wrapperKeys: [] };
  const items = jsonItemBatches(chunks, { arrayKeys: ['value', 'records'] }, info);
  const res = withFailures(tally.stream('entra-signins', mapEvents(items, mapper(opts, failures, apps), tally, opts.fileName)), failures);
  Object.defineProperty(res, 'apps', { get: () => [...apps.values()].sort((a, b) => b.signIns - a.signIns), enumerable: true });
  Object.defineProperty(res, 'nextLink', {
    get: () => info.meta.map((m) => str(m['@odata.nextLink'])).filter(Boolean).pop(),
    enumerable: true,
  });
  return res as EntraResult;
}
