import type { Prng } from './prng.ts';

/**
 * Hostile inputs for the ingest and import parsers, from a seeded PRNG. Each case is a body as
 * bytes plus a content type, and how many items it holds when that is known.
 */
export interface FuzzCase {
  kind: string;
  body: Buffer;
  contentType?: string;
}

const HOSTILE_STRINGS = [
  '', ' ', '\t\n', '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\ud83d', '😀'.repeat(50), '\u202e' + 'evil', '\ufeff',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
  "'); DROP TABLE events; --", '{keys:Array(String)}', '%s%s%n', '${7*7}', '<script>alert(1)</script>', '=cmd|"/c calc"!A1',
  'urn:uuid:', 'URN:UUID:', '@', 'a'.repeat(513), 'b'.repeat(100_001), 'https://sp.example.com/shibboleth', 'a\r\nX-Injected: 1',
  '9'.repeat(400), '-0', 'NaN', 'Infinity', 'null', 'true',
];

const HOSTILE_TIMES = [
  '9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '1999-12-31T23:59:59Z', '2026-02-30T10:00:00Z', '2026-13-01T10:00:00Z',
  '2026-11-20T25:61:00Z', '2026-11-20T08:00:00+99:99', '+275760-09-13T00:00:00Z', '2026-11-20T08:00:00.123456789Z',
  '2026-11-20', '08:00:00Z', '2026-11-20T08:00:00', 'yesterday', '2262-04-11T23:47:16Z', '2106-02-07T06:28:16Z', '1970-01-01T00:00:00Z',
  '2299-12-31T23:59:59Z', '2026-06-31T10:00:00+02:00', '2024-02-29T10:00:00+01:00', '2025-02-29T10:00:00+01:00',
];

const HOSTILE_DATES = ['9999-12-31', '0000-01-01', '2149-06-07', '1900-01-01', '2026-02-30', '2026-13-01', '99999-01-01', '', '2026-1-1', '1969-12-31'];

export function hostileNumber(rnd: Prng): number | string {
  return rnd.pick([1e308, -1e308, 2 ** 53 + 1, -0, 0, 1e-320, 4294967296, -1, 3.14, 9007199254740993]) as number;
}

/** Any JSON value, biased to what breaks parsers: long strings, deep nesting, wrong types. */
export function hostileValue(rnd: Prng, depth = 0): unknown {
  const r = rnd.int(10);
  if (depth > 3 || r < 4) return rnd.pick(HOSTILE_STRINGS);
  if (r < 5) return hostileNumber(rnd);
  if (r < 6) return rnd.pick([true, false, null]);
  if (r < 8) return Array.from({ length: rnd.int(4) }, () => hostileValue(rnd, depth + 1));
  return hostileObject(rnd, depth + 1);
}

export function hostileObject(rnd: Prng, depth = 0): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const n = rnd.int(4);
  for (let i = 0; i < n; i++) o[rnd.pick(['__proto__', 'constructor', 'id', 'x', 'type', 'prototype', 'a'.repeat(300)])] = hostileValue(rnd, depth);
  return o;
}

let uniq = 0;
/** A valid event (unique id), then mutated in zero or more ways. */
export function mutatedEvent(rnd: Prng): Record<string, unknown> {
  const e: Record<string, unknown> = {
    id: `fz-${Date.now().toString(36)}-${uniq++}`,
    type: rnd.pick(['login', 'launch']),
    time: new Date(Date.now() - rnd.int(30 * 86_400) * 1000).toISOString(),
    user: `user-${rnd.int(100)}@skola.example.se`,
    product: `https://fuzz${rnd.int(5)}.example.com/sp`,
  };
  const mutations = rnd.int(3);
  for (let m = 0; m < mutations; m++) {
    const field = rnd.pick(['id', 'type', 'time', 'user', 'product', 'source', 'group', 'school', '__proto__', 'constructor', 'extra']);
    const r = rnd.int(6);
    if (r === 0) delete e[field];
    else if (r === 1 && field === 'time') e.time = rnd.pick(HOSTILE_TIMES);
    else if (r === 2) e[field] = rnd.pick(HOSTILE_STRINGS);
    else if (r === 3) e[field] = hostileNumber(rnd);
    else e[field] = hostileValue(rnd);
  }
  return e;
}

/** JSON text with a key named `__proto__` kept (JSON.stringify of an object literal would drop it as a prototype). */
function withProtoKey(json: string, rnd: Prng): string {
  if (!json.startsWith('{') || !rnd.chance(0.3)) return json;
  return `{"__proto__":{"polluted":"yes","type":"launch"},"constructor":{"prototype":{"polluted":"yes"}},${json.slice(1)}`;
}

/** Byte-level damage: flips, truncation, invalid UTF-8 sequences spliced in. */
export function mangleBytes(rnd: Prng, text: string): Buffer {
  let b = Buffer.from(text, 'utf8');
  const r = rnd.int(5);
  if (r === 0 && b.length > 2) b = b.subarray(0, rnd.int(b.length));
  else if (r === 1) {
    b = Buffer.from(b);
    for (let i = 0; i < 1 + rnd.int(8); i++) if (b.length) b[rnd.int(b.length)] = rnd.int(256);
  } else if (r === 2) {
    const bad = rnd.pick([[0xff, 0xfe], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0x80]]);
    const at = rnd.int(b.length + 1);
    b = Buffer.concat([b.subarray(0, at), Buffer.from(bad), b.subarray(at)]);
  } else if (r === 3) b = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]);
  return b;
}

/** A body for `POST /v1/events`. */
export function eventsCase(rnd: Prng): FuzzCase {
  const r = rnd.int(20);
  if (r === 0) {
    const depth = rnd.pick([100, 10_000, 1_000_000]);
    return { kind: `nesting ${depth}`, body: Buffer.from('['.repeat(depth) + ']'.repeat(depth)), contentType: 'application/json' };
  }
  if (r === 1) return { kind: 'random bytes', body: Buffer.from(Array.from({ length: rnd.int(2000) }, () => rnd.int(256))), contentType: rnd.pick(['application/json', 'application/x-ndjson']) };
  if (r === 2) return { kind: 'scalar', body: Buffer.from(JSON.stringify(hostileValue(rnd))), contentType: 'application/json' };
  if (r === 3) return { kind: 'numbers out of range', body: Buffer.from('[{"type":"login","time":1e999,"user":-1e999,"product":123456789012345678901234567890}]'), contentType: 'application/json' };
  const events = Array.from({ length: 1 + rnd.int(rnd.chance(0.1) ? 2000 : 30) }, () => mutatedEvent(rnd));
  const ndjson = rnd.chance(0.4);
  let text = ndjson
    ? events.map((e) => withProtoKey(JSON.stringify(e), rnd)).join(rnd.pick(['\n', '\r\n', '\n\n']))
    : events.length === 1 && rnd.chance(0.5)
      ? withProtoKey(JSON.stringify(events[0]), rnd)
      : `[${events.map((e) => withProtoKey(JSON.stringify(e), rnd)).join(',')}]`;
  if (ndjson && rnd.chance(0.2)) text += '\n{"broken": ';
  const body = rnd.chance(0.25) ? mangleBytes(rnd, text) : Buffer.from(text, 'utf8');
  return {
    kind: `${ndjson ? 'ndjson' : 'json'} x${events.length}`,
    body,
    contentType: rnd.chance(0.05) ? rnd.pick(['text/plain', 'application/xml', '']) : ndjson ? 'application/x-ndjson' : 'application/json',
  };
}

/** A body for `POST /v1/caliper`. */
export function caliperCase(rnd: Prng): FuzzCase {
  const data = Array.from({ length: rnd.int(20) }, () => {
    const ev: Record<string, unknown> = {
      id: `urn:uuid:00000000-0000-4000-8000-${String(uniq++).padStart(12, '0')}`,
      type: rnd.pick(['SessionEvent', 'ToolLaunchEvent', 'NavigationEvent', 'SessionEvent', hostileValue(rnd)]),
      action: rnd.pick(['LoggedIn', 'Launched', 'LoggedOut', 'LoggedIn']),
      eventTime: rnd.chance(0.7) ? new Date(Date.now() - rnd.int(86_400_000)).toISOString() : rnd.pick(HOSTILE_TIMES),
      actor: rnd.chance(0.7) ? { id: `https://idp.example.se/person/${rnd.int(50)}`, type: 'Person' } : hostileValue(rnd),
      object: rnd.chance(0.7) ? { id: `https://tool${rnd.int(5)}.example.com`, type: 'SoftwareApplication' } : hostileValue(rnd),
      ...(rnd.chance(0.3) ? { group: hostileValue(rnd) } : {}),
      ...(rnd.chance(0.3) ? { extensions: rnd.chance(0.5) ? { schoolUnitCode: hostileValue(rnd) } : hostileValue(rnd) } : {}),
    };
    if (rnd.chance(0.2)) ev[rnd.pick(['id', 'eventTime', 'actor', 'object', 'type'])] = hostileValue(rnd);
    return ev;
  });
  const env: Record<string, unknown> = { sensor: rnd.chance(0.8) ? 'https://lms.example.se/sensor' : hostileValue(rnd), sendTime: new Date().toISOString(), dataVersion: 'http://purl.imsglobal.org/ctx/caliper/v1p2', data };
  if (rnd.chance(0.15)) delete env[rnd.pick(['sensor', 'sendTime', 'dataVersion', 'data'])];
  if (rnd.chance(0.1)) env.data = hostileValue(rnd);
  const text = withProtoKey(JSON.stringify(env), rnd);
  return { kind: `caliper x${data.length}`, body: rnd.chance(0.2) ? mangleBytes(rnd, text) : Buffer.from(text), contentType: rnd.chance(0.05) ? 'text/plain' : 'application/json' };
}

const dateOr = (rnd: Prng, good: string) => (rnd.chance(0.3) ? rnd.pick(HOSTILE_DATES) : rnd.chance(0.2) ? hostileValue(rnd) : good);

/** A body for `POST /v1/import/ss12000`: plausible SS12000 objects with hostile fields. */
export function ss12000Case(rnd: Prng): FuzzCase {
  const n = (k: number) => Array.from({ length: rnd.int(k) }, (_, i) => i);
  const org = (i: number) => ({
    id: rnd.chance(0.9) ? `org-${i}` : hostileValue(rnd), displayName: rnd.chance(0.8) ? `Skola ${i}` : hostileValue(rnd),
    organisationType: rnd.pick(['Huvudman', 'Skolenhet', 'Rektorsområde', hostileValue(rnd)]), schoolUnitCode: rnd.chance(0.8) ? String(10_000_000 + i) : hostileValue(rnd),
    parentOrganisation: rnd.chance(0.7) ? { id: `org-${rnd.int(3)}` } : hostileValue(rnd), startDate: dateOr(rnd, '2020-01-01'), endDate: dateOr(rnd, '2030-12-31'),
  });
  const person = (i: number) => ({
    id: rnd.chance(0.9) ? `person-${i}` : hostileValue(rnd),
    eduPersonPrincipalNames: rnd.chance(0.8) ? [`p${i}@skola.example.se`] : hostileValue(rnd),
    emails: rnd.chance(0.8) ? [{ value: `p${i}@skola.example.se` }] : hostileValue(rnd),
    enrolments: rnd.chance(0.8) ? [{ enroledAt: { id: `org-${rnd.int(3)}` }, startDate: dateOr(rnd, '2025-08-15'), endDate: dateOr(rnd, '2026-06-15') }] : hostileValue(rnd),
  });
  const group = (i: number) => ({
    id: rnd.chance(0.9) ? `group-${i}` : hostileValue(rnd), displayName: rnd.chance(0.8) ? `${7 + rnd.int(3)}A` : hostileValue(rnd),
    groupType: rnd.pick(['Klass', 'Undervisning', hostileValue(rnd)]), organisation: rnd.chance(0.8) ? { id: `org-${rnd.int(3)}` } : hostileValue(rnd),
    startDate: dateOr(rnd, '2025-08-15'), endDate: dateOr(rnd, '2026-06-15'),
    groupMemberships: rnd.chance(0.8) ? n(5).map((k) => ({ person: { id: `person-${k}` }, startDate: dateOr(rnd, '2025-08-15'), endDate: dateOr(rnd, '2026-06-15') })) : hostileValue(rnd),
  });
  const duty = (i: number) => ({ id: `duty-${i}`, person: { id: `person-${i}` }, dutyAt: rnd.chance(0.8) ? { id: `org-${rnd.int(3)}` } : hostileValue(rnd), dutyRole: rnd.pick(['Rektor', 'Lärare', hostileValue(rnd)]), startDate: dateOr(rnd, '2025-08-15') });
  const body: Record<string, unknown> = {};
  if (rnd.chance(0.7)) body.organisations = rnd.chance(0.9) ? n(5).map(org) : hostileValue(rnd);
  if (rnd.chance(0.7)) body.persons = rnd.chance(0.9) ? n(8).map(person) : hostileValue(rnd);
  if (rnd.chance(0.7)) body.groups = rnd.chance(0.9) ? n(4).map(group) : hostileValue(rnd);
  if (rnd.chance(0.4)) body.duties = rnd.chance(0.9) ? n(3).map(duty) : hostileValue(rnd);
  if (rnd.chance(0.1)) body.persons = { data: n(3).map(person) };
  const text = withProtoKey(JSON.stringify(body), rnd);
  return { kind: 'ss12000', body: rnd.chance(0.15) ? mangleBytes(rnd, text) : Buffer.from(text), contentType: 'application/json' };
}
