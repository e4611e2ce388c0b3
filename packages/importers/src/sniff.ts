import { AUDIT_PREFIX_LABELS, detectAuditPrefix, stripAuditPrefix } from './audit-prefix.ts';
import { detectDelimiter, normaliseHeader, parseCsv, stripBom } from './csv.ts';
import { ENTRA_SIGNIN_HEADERS, ENTRA_SWEDISH_HEADERS, LICENCE_HEADERS, PRODUCT_HEADERS, mapHeaders } from './headers.ts';
import { isGzip, isZip } from './input.ts';
import { FormatError, type ImportKind } from './result.ts';

/**
 * Recognise a file from its first bytes, so that an importer handed the wrong file can say
 * what it got ("this looks like an Entra sign-in log, not a Shibboleth audit log") instead
 * of refusing every line. Heuristic by nature: it looks at key names and field counts in
 * the head only (a 64 KiB prefix may cut a JSON document anywhere).
 */
export type DetectedFormat =
  | 'ss12000'
  | 'oneroster-zip'
  | 'oneroster-csv'
  | 'bol-orders'
  | 'bol-school-licences'
  | 'licences-csv'
  | 'products-csv'
  | 'entra-signins'
  | 'entra-authdetails-csv'
  | 'shibboleth-audit'
  | 'satosa'
  | 'lti-launches'
  | 'caliper'
  | 'licenskoll-events'
  | 'gzip'
  | 'zip'
  | 'json'
  | 'csv'
  | 'text'
  | 'binary'
  | 'empty';

export interface Sniffed {
  format: DetectedFormat;
  /** Finer shape: `graph-page`, `v3`, `users`… */
  variant?: string;
  /** For messages: "an Entra sign-in log (Microsoft Graph page)". */
  label: string;
  /** The importer that takes this, when there is one. */
  kind?: ImportKind;
}

export const kindLabels: Record<ImportKind, string> = {
  oneroster: 'a OneRoster CSV export',
  licences: 'a licence sheet (CSV)',
  products: 'a product sheet (CSV)',
  'bol-orders': 'a BOL order response',
  'bol-school-licences': 'a BOL school-unit licence response',
  'entra-signins': 'an Entra sign-in log',
  'shibboleth-audit': 'a Shibboleth IdP audit log',
  satosa: 'a SATOSA custom log',
  'lti-launches': 'a log of LTI 1.3 launches',
  caliper: 'a file of Caliper events',
  events: 'a file of Licenskoll usage events (CSV or JSON)',
};

const formatKind: Partial<Record<DetectedFormat, ImportKind>> = {
  'oneroster-zip': 'oneroster',
  'oneroster-csv': 'oneroster',
  'bol-orders': 'bol-orders',
  'bol-school-licences': 'bol-school-licences',
  'licences-csv': 'licences',
  'products-csv': 'products',
  'entra-signins': 'entra-signins',
  'shibboleth-audit': 'shibboleth-audit',
  satosa: 'satosa',
  'lti-launches': 'lti-launches',
  caliper: 'caliper',
  'licenskoll-events': 'events',
};

function result(format: DetectedFormat, label: string, variant?: string): Sniffed {
  const kind = formatKind[format];
  return { format, label, ...(variant ? { variant } : {}), ...(kind ? { kind } : {}) };
}

export function sniff(head: Uint8Array | string, fileName?: string): Sniffed {
  if (typeof head !== 'string') {
    if (head.length === 0) return result('empty', 'an empty file');
    if (isZip(head)) return fileName && !/\.zip$/i.test(fileName) ? result('zip', 'a zip archive') : result('oneroster-zip', 'a zip archive (OneRoster?)');
    if (isGzip(head)) return result('gzip', 'a gzip-compressed file');
    if (looksBinary(head)) return result('binary', 'a binary file (not text)');
  }
  const text = stripBom(typeof head === 'string' ? head : Buffer.from(head).toString('utf8')).trimStart();
  if (text === '') return result('empty', 'an empty file');
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  if (/^\[[^\]"{[]*\]\s+\S/.test(firstLine)) return result('text', 'a plain text log ("[…] message" lines)');
  if (text[0] === '{' || text[0] === '[') return sniffJson(text);
  if (/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*$/.test(firstLine.trim())) return result('lti-launches', 'a log of LTI 1.3 launches (raw id_tokens)', 'jwt');
  const shib = sniffPrefixedAudit(text) ?? sniffShibboleth(firstLine);
  if (shib) return shib;
  return sniffCsv(text);
}

function looksBinary(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512);
  for (let i = 0; i < n; i++) if (b[i] === 0) return true;
  return false;
}

const TIME_LIKE = /^\d{4}-?\d{2}-?\d{2}T\d{2}:?\d{2}:?\d{2}/;

function sniffShibboleth(line: string): Sniffed | null {
  const f = line.split('|');
  if (f.length < 10) return null;
  if (f.length === 21 && TIME_LIKE.test(f[2])) return result('shibboleth-audit', 'a Shibboleth IdP audit log (v4/v5 format)', 'v4');
  if ((f.length === 14 || f.length === 13) && TIME_LIKE.test(f[0])) return result('shibboleth-audit', 'a Shibboleth IdP audit log (v3 format)', 'v3');
  if (f.length === 16 && TIME_LIKE.test(f[0])) return result('shibboleth-audit', 'a Shibboleth IdP audit log (v3 format with %a|%s)', 'v3-carsi');
  if (f.some((x) => TIME_LIKE.test(x))) return result('shibboleth-audit', 'a |-separated log (a Shibboleth audit log with a custom format?)', 'custom');
  return null;
}

/** Audit records behind logback's prefix in idp-process.log, or behind syslog's. */
function sniffPrefixedAudit(text: string): Sniffed | null {
  const lines = text.split(/\r?\n/, 200);
  const prefix = detectAuditPrefix(lines);
  if (!prefix) return null;
  for (const l of lines) {
    const record = stripAuditPrefix(prefix, l);
    const s = record === null ? null : sniffShibboleth(record);
    if (s) return result('shibboleth-audit', `${s.label.replace(/\)$/, '')}, ${AUDIT_PREFIX_LABELS[prefix]})`, `${s.variant}-${prefix}`);
  }
  return null;
}

function sniffJson(text: string): Sniffed {
  const nl = text.indexOf('\n');
  const firstLine = nl < 0 ? text : text.slice(0, nl);
  const rest = nl < 0 ? '' : text.slice(nl + 1).trimStart();
  let first: unknown;
  try { first = JSON.parse(firstLine); } catch { /* a pretty-printed or cut document */ }
  if (first && typeof first === 'object' && !Array.isArray(first) && (rest === '' || rest[0] === '{')) {
    const line = sniffJsonLine(first as Record<string, unknown>, rest !== '');
    if (line) return line;
  }
  return sniffJsonDocument(text);
}

const has = (text: string, key: string) => text.includes(`"${key}"`);

function sniffJsonDocument(t: string): Sniffed {
  const caliper = sniffCaliper(t);
  if (caliper) return caliper;
  if (has(t, 'clientOrderNumber') && has(t, 'orderLines')) {
    return has(t, 'status') ? result('bol-orders', 'a BOL order response') : result('bol-orders', 'a BOL order request', 'request');
  }
  if (has(t, 'schools') && has(t, 'articles') && has(t, 'totalLicenses')) return result('bol-school-licences', 'a BOL school-unit licence response');
  if (has(t, 'schools') && has(t, 'assignedLicenses')) return result('json', 'a BOL user licence response');
  const camel = has(t, 'createdDateTime') && (has(t, 'appId') || has(t, 'userPrincipalName'));
  if (/"records"\s*:\s*\[/.test(t) && (camel || /SignInLogs/.test(t))) return result('entra-signins', 'an Entra sign-in log (Azure Monitor export)', 'azure-monitor');
  if ((/"@odata\.context"[^,]*signIns/i.test(t) || /"value"\s*:\s*\[/.test(t)) && camel) return result('entra-signins', 'an Entra sign-in log (Microsoft Graph page)', 'graph-page');
  const pascal = (has(t, 'CreatedDateTime') || has(t, 'TimeGenerated')) && (has(t, 'AppId') || has(t, 'UserPrincipalName'));
  if (pascal && /"tables"\s*:\s*\[/.test(t) && has(t, 'columns') && has(t, 'rows')) return result('entra-signins', 'an Entra sign-in log (Log Analytics query answer)', 'log-analytics-query');
  if (pascal) return result('entra-signins', 'an Entra sign-in log (Log Analytics export)', 'log-analytics');
  if (t[0] === '[' && camel) return result('entra-signins', 'an Entra sign-in log (portal JSON download)', 'portal-array');
  if (['organisationType', 'groupType', 'dutyRole', 'eduPersonPrincipalNames', 'enroledAt', 'givenName'].some((k) => has(t, k)) && (has(t, 'data') || /"(organisations|persons|groups|duties)"\s*:/.test(t))) {
    return result('ss12000', 'an SS12000 API response');
  }
  if (/"type"\s*:\s*"(login|launch)"/.test(t) && has(t, 'user') && has(t, 'product')) return result('licenskoll-events', 'Licenskoll usage events (JSON)');
  if (has(t, 'iss') && has(t, 'aud') && /purl\.imsglobal\.org\/spec\/lti/.test(t)) return result('lti-launches', 'an LTI 1.3 id_token payload', 'document');
  if (has(t, 'router') && has(t, 'attr') && has(t, 'sp')) return result('satosa', 'a SATOSA custom log entry', 'document');
  return result('json', 'a JSON document of an unknown kind');
}

/**
 * Caliper by version: 1.2 and 1.1 name theirs in `dataVersion`; 1.0 has none, but its
 * `@type` IRIs say `caliper/v1/`. Bare events (an event store's dump) count too.
 */
function sniffCaliper(t: string, lines = '', what: 'envelope' | 'events' = 'envelope'): Sniffed | null {
  const envelope = has(t, 'sensor') && has(t, 'sendTime') && has(t, 'data');
  if (what === 'envelope' && !envelope && !(has(t, 'sensor') && has(t, 'dataVersion'))) {
    if (!(has(t, 'actor') && has(t, 'action') && has(t, 'eventTime'))) return null;
    what = 'events';
  }
  const v = /"dataVersion"\s*:\s*"[^"]*v1p1/.test(t) ? '1.1'
    : /"dataVersion"\s*:\s*"[^"]*v1p2/.test(t) ? '1.2'
      : !has(t, 'dataVersion') && /caliper\/v1\/|"@type"/.test(t) ? '1.0'
        : /ctx\/caliper\/v1p1/.test(t) ? '1.1' : '1.2';
  const label = what === 'envelope' ? `a Caliper ${v} envelope${lines}` : `Caliper ${v} events${lines || ' (JSON)'}`;
  return result('caliper', label, `v${v.replace('.', 'p')}`);
}

function sniffJsonLine(o: Record<string, unknown>, several: boolean): Sniffed | null {
  const lines = several ? ' (JSON lines)' : '';
  if ('router' in o && 'attr' in o && ('sp' in o || 'idp' in o)) return result('satosa', `a SATOSA custom log${lines}`, 'lines');
  if ('iss' in o && ('aud' in o || 'azp' in o) && Object.keys(o).some((k) => k.includes('purl.imsglobal.org/spec/lti') || k === 'sub')) {
    return result('lti-launches', `a log of LTI 1.3 launches${lines}`, 'lines');
  }
  const p = (o.properties && typeof o.properties === 'object' ? o.properties : o) as Record<string, unknown>;
  if (('createdDateTime' in p && ('appId' in p || 'userPrincipalName' in p)) || (('CreatedDateTime' in o || 'TimeGenerated' in o) && ('AppId' in o || 'UserPrincipalName' in o))) {
    return result('entra-signins', `an Entra sign-in log${lines}`, 'lines');
  }
  if ('sensor' in o && 'data' in o) return sniffCaliper(JSON.stringify(o), lines);
  if ('actor' in o && 'action' in o && 'eventTime' in o) return sniffCaliper(JSON.stringify(o), lines, 'events');
  if ((o.type === 'login' || o.type === 'launch') && 'user' in o && 'product' in o) return result('licenskoll-events', 'Licenskoll usage events (NDJSON)');
  if ('clientOrderNumber' in o || 'totalLicenses' in o || 'organisationType' in o || 'data' in o) return null; // a one-line document
  return several ? result('json', 'JSON lines of an unknown kind') : null;
}

const ONEROSTER_TABLES: [string, string[]][] = [
  ['manifest', ['propertyName', 'value']],
  ['orgs', ['sourcedId', 'name', 'type', 'parentSourcedId']],
  ['users', ['sourcedId', 'username', 'givenName', 'familyName']],
  ['roles', ['sourcedId', 'userSourcedId', 'roleType', 'role', 'orgSourcedId']],
  ['enrollments', ['sourcedId', 'classSourcedId', 'userSourcedId', 'role']],
  ['classes', ['sourcedId', 'title', 'classType', 'schoolSourcedId']],
  ['academicSessions', ['sourcedId', 'title', 'type', 'startDate', 'endDate']],
  ['courses', ['sourcedId', 'title', 'courseCode']],
  ['demographics', ['sourcedId', 'birthDate', 'sex']],
  ['userProfiles', ['sourcedId', 'userSourcedId', 'profileType']],
];

/** Which OneRoster table a header row belongs to, if any. */
export function oneRosterTable(headers: string[]): string | undefined {
  const set = new Set(headers.map((h) => h.trim().toLowerCase()));
  return ONEROSTER_TABLES.find(([, cols]) => cols.every((c) => set.has(c.toLowerCase())))?.[0];
}

function sniffCsv(text: string): Sniffed {
  const delimiter = detectDelimiter(text);
  const first = parseCsv(text.slice(0, 16 * 1024), delimiter).next();
  const headers = first.done ? [] : first.value.fields;
  if (headers.length < 2) return result('text', 'a text file of an unknown kind');
  const table = oneRosterTable(headers);
  if (table) return result('oneroster-csv', `a OneRoster ${table}.csv`, table);
  const norm = new Set(headers.map(normaliseHeader));
  const entra = sniffEntraCsv(headers, norm);
  if (entra) return entra;
  if (['type', 'time', 'user', 'product'].every((h) => norm.has(h))) return result('licenskoll-events', 'Licenskoll usage events (CSV)', 'csv');
  const lic = mapHeaders(headers, LICENCE_HEADERS);
  const licHits = (['seats', 'scopeType', 'audience', 'price', 'buyer', 'start', 'end'] as const).filter((k) => lic[k] !== undefined).length;
  if (lic.product !== undefined && licHits >= 3) return result('licences-csv', 'a licence sheet (CSV)');
  const prod = mapHeaders(headers, PRODUCT_HEADERS);
  if (prod.name !== undefined && (prod.identifiers !== undefined || prod.supplier !== undefined)) return result('products-csv', 'a product sheet (CSV)');
  return result('csv', `a CSV file with columns ${headers.slice(0, 6).join(', ')}${headers.length > 6 ? ', …' : ''}`);
}

/**
 * A sign-in CSV by its columns: the admin centre's download (English or Swedish labels),
 * or a Log Analytics export (PascalCase). The download's second file, the authentication
 * details, has no application or time: it is named, so nobody imports it for the sign-ins.
 */
function sniffEntraCsv(headers: string[], norm: Set<string>): Sniffed | null {
  const c = mapHeaders(headers, ENTRA_SIGNIN_HEADERS);
  const hits = [c.createdTime ?? c.time, c.appId, c.userName ?? c.userId, c.status ?? c.errorCode].filter((x) => x !== undefined).length;
  if (hits < 3) {
    if (norm.has('request id') && norm.has('authentication method')) {
      return result('entra-authdetails-csv', 'the authentication details file of an Entra sign-in download (import the sign-ins file beside it, e.g. InteractiveSignIns_….csv)');
    }
    return null;
  }
  if (headers.some((h) => /^[A-Z][a-z]+[A-Z]\w*( \[UTC\])?$/.test(h.trim())) && (norm.has('timegenerated') || norm.has('timegenerated [utc]') || norm.has('appid'))) {
    return result('entra-signins', 'an Entra sign-in log (Log Analytics CSV export)', 'log-analytics-csv');
  }
  if (ENTRA_SWEDISH_HEADERS.some((h) => norm.has(h))) return result('entra-signins', 'an Entra sign-in CSV download (admin centre, Swedish headers)', 'portal-csv-sv');
  return result('entra-signins', 'an Entra sign-in CSV download (admin centre)', 'portal-csv');
}

type Family = 'csv' | 'json' | 'lines' | 'json-lines' | 'zip-or-csv';
const kindFamily: Record<ImportKind, Family> = {
  oneroster: 'zip-or-csv',
  licences: 'csv',
  products: 'csv',
  'bol-orders': 'json',
  'bol-school-licences': 'json',
  'entra-signins': 'json',
  'shibboleth-audit': 'lines',
  satosa: 'json-lines',
  'lti-launches': 'json-lines',
  caliper: 'json',
  events: 'csv',
};

/**
 * Refuse an input that is recognisably something else. Unknown content passes: the
 * importer's own row errors then say what is wrong, which beats a vague guess here.
 */
export function assertKind(head: Uint8Array | string, expected: ImportKind, fileName?: string): Sniffed {
  const s = sniff(head, fileName);
  const want = kindLabels[expected];
  const fail = (what: string) => {
    throw new FormatError(`${fileName ? `${fileName}: ` : ''}this looks like ${what}, not ${want}`, expected, s.format, fileName);
  };
  if (s.kind === expected || s.format === 'empty') return s;
  if (s.kind || ['licenskoll-events', 'ss12000', 'entra-authdetails-csv', 'binary', 'gzip'].includes(s.format)) fail(s.label);
  const family = kindFamily[expected];
  if (s.format === 'zip' && family !== 'zip-or-csv') fail(s.label);
  if (s.format === 'json' && family !== 'json' && family !== 'json-lines') fail(s.label);
  if ((s.format === 'csv' || s.format === 'text') && (family === 'json' || family === 'json-lines')) fail(s.label);
  return s;
}
