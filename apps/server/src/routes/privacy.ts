import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ApiError, chTime, describeIssues, isoDate, issuesText } from '@licenskoll/core';
import { answerDate, queryRows, tables, type Storage } from '@licenskoll/storage';
import { StorageUnavailable } from '@licenskoll/ingest';
import { access } from '../access.ts';
import { readAudit } from '../audit.ts';
import { requireRole } from '../auth.ts';
import type { AppContext, Env } from '../context.ts';
import { answerRows, formatFields, parseFormat } from '../answer-format.ts';

/**
 * The data subject's rights (GDPR art. 15 and 17) and the audit log, for administrators.
 * The identifier is sent in a POST body, never in a URL (URLs end up in proxy logs), and is
 * normalised and pseudonymised like every identifier before anything is looked up: the raw
 * value reaches neither storage, nor a log line, nor the audit log (which records the pseudonym).
 */

const subjectInput = z.strictObject({
  identifier: z.string().trim().min(1, 'must not be empty').max(512, 'must be at most 512 characters'),
});
const eraseInput = subjectInput.extend({
  confirm: z.literal(true, { message: 'must be true: erasure cannot be undone' }),
});

async function body<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    throw new ApiError(400, 'malformed_json', 'body is not valid JSON: send {"identifier": "..."}');
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new ApiError(400, 'bad_request', `invalid body: ${issuesText(r.error)}`, describeIssues(r.error));
  return r.data;
}

export interface Subject {
  /** Pseudonym of the identifier as given (normalised first). */
  identKey: string;
  /** The roster person it names ('' when the roster does not know it). */
  personKey: string;
  /** Every pseudonym an event of this person may carry: all their identifiers, and the one given. */
  userKeys: string[];
  dutyIds: string[];
  sessionIds: string[];
}

export async function resolveSubject(storage: Storage, identKey: string): Promise<Subject> {
  const [p] = await queryRows<{ person_key: string }>(
    storage.write,
    `SELECT argMax(person_key, version) AS person_key FROM identities WHERE ident_key = {k:String} GROUP BY ident_key`,
    { k: identKey },
  );
  let personKey = p?.person_key ?? '';
  if (!personKey) {
    const [known] = await queryRows<{ n: number }>(storage.write, 'SELECT count() AS n FROM persons WHERE person_key = {k:String}', { k: identKey }, ['n']);
    if (known.n > 0) personKey = identKey;
  }
  const idents = personKey
    ? await queryRows<{ ident_key: string }>(storage.write, 'SELECT DISTINCT ident_key FROM identities WHERE person_key = {pk:String}', { pk: personKey })
    : [];
  const userKeys = [...new Set([identKey, ...(personKey ? [personKey] : []), ...idents.map((i) => i.ident_key)])].sort();
  const duties = personKey
    ? await queryRows<{ id: string }>(storage.write, 'SELECT DISTINCT id FROM duties WHERE person_key = {pk:String}', { pk: personKey })
    : [];
  const sessions = await queryRows<{ id: string }>(
    storage.write,
    `SELECT DISTINCT id FROM sessions WHERE (person_key != '' AND person_key = {pk:String}) OR has({keys:Array(String)}, subject_key)`,
    { pk: personKey, keys: userKeys },
  );
  return { identKey, personKey, userKeys, dutyIds: duties.map((d) => d.id), sessionIds: sessions.map((s) => s.id) };
}

/** Everything stored about a subject, as pseudonyms and references (art. 15). */
export async function exportSubject(storage: Storage, s: Subject, timeZone: string) {
  const q = <T = Record<string, unknown>>(sql: string, numeric: string[] = []) =>
    queryRows<T>(storage.write, sql, { pk: s.personKey, keys: s.userKeys, duties: s.dutyIds, sessions: s.sessionIds, tz: timeZone }, numeric);
  const [identities, persons, enrolments, memberships, duties, assignments, usage, events, sessions, audit, erasures] = await Promise.all([
    q(`SELECT ident_key AS pseudonym, person_key AS person, version FROM identities FINAL
       WHERE has({keys:Array(String)}, ident_key) OR (person_key != '' AND person_key = {pk:String}) ORDER BY pseudonym`),
    q(`SELECT person_key AS person FROM persons FINAL WHERE person_key != '' AND person_key = {pk:String}`),
    q(`SELECT e.unit AS school, o.name AS schoolName, ${answerDate('e.start')} AS start, ${answerDate('e.end')} AS end, toString(e.last_seen) AS lastSeen
       FROM (SELECT * FROM enrolments FINAL WHERE person_key != '' AND person_key = {pk:String}) AS e
       LEFT JOIN (SELECT id, name FROM organisations FINAL) AS o ON o.id = e.unit ORDER BY start NULLS FIRST`),
    q(`SELECT m.group_id AS group, g.name AS groupName, g.unit AS school, ${answerDate('m.start')} AS start, ${answerDate('m.end')} AS end,
              toString(m.last_seen) AS lastSeen
       FROM (SELECT * FROM memberships FINAL WHERE person_key != '' AND person_key = {pk:String}) AS m
       LEFT JOIN (SELECT id, name, unit FROM groups FINAL) AS g ON g.id = m.group_id ORDER BY start NULLS FIRST, group`),
    q(`SELECT id, unit AS school, role, ${answerDate('start')} AS start, ${answerDate('end')} AS end FROM duties FINAL
       WHERE person_key != '' AND person_key = {pk:String} ORDER BY start NULLS FIRST`),
    q(`SELECT duty_id AS duty, group_id AS group, ${answerDate('start')} AS start, ${answerDate('end')} AS end FROM duty_assignments FINAL
       WHERE has({duties:Array(String)}, duty_id) ORDER BY duty, group`),
    q(`SELECT toString(day) AS day, product_ident AS productIdentifier, pm.product AS product, sum(events) AS events, sum(logins) AS logins,
              sum(launches) AS launches
       FROM usage_daily AS u
       LEFT JOIN (SELECT ident, min(id) AS product FROM (SELECT id, arrayJoin(identifiers) AS ident FROM products FINAL WHERE deleted = 0) GROUP BY ident) AS pm
         ON pm.ident = u.product_ident
       WHERE has({keys:Array(String)}, user_key)
       GROUP BY day, productIdentifier, product ORDER BY day, productIdentifier`, ['events', 'logins', 'launches']),
    q(`SELECT formatDateTime(time, '%Y-%m-%dT%H:%i:%S', {tz:String}) AS time, toString(day) AS day, type, product_ident AS productIdentifier,
              source, group_hint AS group, school_hint AS school, user_key AS pseudonym
       FROM events WHERE has({keys:Array(String)}, user_key) ORDER BY time`),
    q(`SELECT formatDateTime(created, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS created, formatDateTime(expires, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS expires,
              claim, revoked FROM sessions FINAL WHERE has({sessions:Array(String)}, id) ORDER BY created`, ['revoked']),
    q(`SELECT formatDateTime(at, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS at, role, action, path, params, status FROM audit_log
       WHERE has(arrayMap(x -> concat('session:', substring(x, 1, 16)), {sessions:Array(String)}), actor_id) ORDER BY at`, ['status']),
    q(`SELECT formatDateTime(at, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS at, actor, role, counts FROM erasures
       WHERE (person_key != '' AND person_key = {pk:String}) OR hasAny(ident_keys, {keys:Array(String)}) ORDER BY at`),
  ]);
  return {
    subject: { pseudonym: s.identKey, person: s.personKey || null, pseudonyms: s.userKeys, found: Boolean(s.personKey) || usage.length > 0 || events.length > 0 },
    stored: {
      persons, identities, enrolments, memberships, duties, dutyAssignments: assignments,
      usageByDayAndProduct: usage, rawEvents: events, signInSessions: sessions, auditAsActor: audit, earlierErasures: erasures,
    },
    notes: [
      'Identifiers are stored only as keyed pseudonyms (HMAC-SHA-256); names, civic numbers and e-mail addresses are not stored.',
      'usageByDayAndProduct is the daily rollup, kept beyond the raw-event retention; rawEvents are the events still within retention.',
      'School units and groups are named by their ids and names from the school register.',
    ],
  };
}

/** Physical names for ALTER … DELETE: on a cluster, the local tables of sharded tables, ON CLUSTER. */
function alterTarget(storage: Storage, table: string): string {
  if (!storage.cluster) return table;
  const sharded = tables({ retentionMonths: 13 }).some((t) => t.name === table && t.shardKey);
  return `${sharded ? `${table}_local` : table} ON CLUSTER ${storage.cluster}`;
}

/** An erasure that stopped part-way: what it removed, and what a second run must still remove. */
export class ErasureIncomplete extends Error {
  override name = 'ErasureIncomplete';
  constructor(readonly erased: string[], readonly remaining: string[], override readonly cause: unknown) {
    super(`the erasure stopped part-way (${(cause as Error)?.message?.split('\n')[0]?.slice(0, 200) ?? cause})`);
  }
}

/**
 * Erases a subject (art. 17): raw events, their idempotency keys, the daily rollup, the person,
 * enrolments, memberships, duties, assignments, sign-in sessions and identities. ALTER … DELETE
 * rewrites the parts that hold them (not a lightweight mark), waiting until done; the
 * replaced parts are removed from disk by the engine within minutes. Returns what was removed.
 *
 * Identities go last: they lead from an identifier to the person and to the person's other
 * pseudonyms (`resolveSubject`), so an erasure that stops part-way (storage failing under one
 * table) leaves the way to the rest, and running it again finishes it. It then throws
 * `ErasureIncomplete` naming the tables done and the tables left.
 */
export async function eraseSubject(storage: Storage, s: Subject): Promise<Record<string, number>> {
  const count = async (sql: string, params: Record<string, unknown>) =>
    (await queryRows<{ n: number }>(storage.write, sql, params, ['n']))[0]?.n ?? 0;
  const params = { pk: s.personKey, keys: s.userKeys, duties: s.dutyIds, sessions: s.sessionIds };
  const eventKeys = (await queryRows<{ event_key: string }>(
    storage.write, 'SELECT DISTINCT event_key FROM events WHERE has({keys:Array(String)}, user_key)', params,
  )).map((r) => r.event_key);
  const plan: { table: string; where: string; discovered?: boolean }[] = [
    { table: 'events', where: 'has({keys:Array(String)}, user_key)' },
    { table: 'usage_daily', where: 'has({keys:Array(String)}, user_key)' },
    { table: 'persons', where: "person_key != '' AND person_key = {pk:String}" },
    { table: 'enrolments', where: "person_key != '' AND person_key = {pk:String}" },
    { table: 'memberships', where: "person_key != '' AND person_key = {pk:String}" },
    { table: 'duty_assignments', where: 'has({duties:Array(String)}, duty_id)' },
    { table: 'duties', where: "person_key != '' AND person_key = {pk:String}" },
    { table: 'sessions', where: 'has({sessions:Array(String)}, id)' },
  ];
  // Any other table keyed by a person (a rollup added later, say) is found by its columns, so a
  // new table cannot silently keep what an erasure should remove. Names come from the engine.
  const known = new Set([...plan.map((p) => p.table), 'identities', 'event_keys', 'erasures', 'audit_log']);
  for (const t of await discoverPersonTables(storage)) {
    if (known.has(t.table) || known.has(t.table.replace(/_local$/, ''))) continue;
    plan.push({ table: t.table, where: t.columns.map(personColumnCondition).join(' OR '), discovered: true });
  }
  plan.push({ table: 'identities', where: "has({keys:Array(String)}, ident_key) OR (person_key != '' AND person_key = {pk:String})" });
  const counts: Record<string, number> = {};
  for (const p of plan) counts[p.table] = await count(`SELECT count() AS n FROM ${p.discovered ? `\`${p.table}\`` : p.table} WHERE ${p.where}`, params);
  counts.event_keys = 0;
  const settings = { mutations_sync: '2' } as const;
  const todo = ['event_keys', ...plan.filter((p) => counts[p.table]).map((p) => p.table)];
  const done: string[] = [];
  try {
    for (let i = 0; i < eventKeys.length; i += 10_000) {
      const chunk = eventKeys.slice(i, i + 10_000);
      counts.event_keys += await count('SELECT count() AS n FROM event_keys WHERE has({ek:Array(String)}, event_key)', { ek: chunk });
      await storage.write.command({
        query: `ALTER TABLE ${alterTarget(storage, 'event_keys')} DELETE WHERE has({ek:Array(String)}, event_key)`,
        query_params: { ek: chunk },
        clickhouse_settings: settings,
      });
    }
    done.push('event_keys');
    for (const p of plan) {
      if (!counts[p.table]) continue;
      const target = p.discovered ? `\`${p.table}\`${storage.cluster ? ` ON CLUSTER ${storage.cluster}` : ''}` : alterTarget(storage, p.table);
      await storage.write.command({ query: `ALTER TABLE ${target} DELETE WHERE ${p.where}`, query_params: params, clickhouse_settings: settings });
      done.push(p.table);
    }
  } catch (e) {
    throw new ErasureIncomplete(done, todo.filter((t) => !done.includes(t)), e);
  }
  return counts;
}

/** Columns that hold a person's pseudonym: as hex text, or as the 128-bit number some rollups key by. */
const PERSON_COLUMNS: Record<string, 'text' | 'number'> = {
  user_key: 'text', ident_key: 'text', person_key: 'text', subject_key: 'text', user: 'number', pk: 'number',
};

function personColumnCondition(c: { name: string; type: string }): string {
  const col = `\`${c.name}\``;
  if (PERSON_COLUMNS[c.name] === 'number') return `has(arrayMap(k -> reinterpretAsUInt128(unhex(k)), {keys:Array(String)}), ${col})`;
  return `has({keys:Array(String)}, ${col})`;
}

/** Tables (not views, not Distributed fronts) with a column named as a person pseudonym. */
async function discoverPersonTables(storage: Storage): Promise<{ table: string; columns: { name: string; type: string }[] }[]> {
  const rows = await queryRows<{ table: string; name: string; type: string }>(
    storage.write,
    `SELECT c.table AS table, c.name AS name, c.type AS type FROM system.columns AS c
     INNER JOIN (SELECT name FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree%') AS t ON t.name = c.table
     WHERE c.database = currentDatabase() AND has({names:Array(String)}, c.name)
       AND (c.type LIKE '%String%' OR c.type LIKE '%UInt128%')
     ORDER BY table, name`,
    { names: Object.keys(PERSON_COLUMNS) },
  );
  const out = new Map<string, { name: string; type: string }[]>();
  for (const r of rows) {
    const textual = /String/.test(r.type);
    if (textual !== (PERSON_COLUMNS[r.name] === 'text')) continue;
    out.set(r.table, [...(out.get(r.table) ?? []), { name: r.name, type: r.type }]);
  }
  return [...out].map(([table, columns]) => ({ table, columns }));
}

const auditQuery = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
  actor: z.string().max(200).refine((s) => !/[\u0000-\u001f]/.test(s), 'must not contain control characters').optional(),
  action: z.string().max(100).regex(/^[a-z0-9.-]*$/, 'is an action such as report.class-usage or export').optional(),
  limit: z.coerce.number().int('must be a whole number').min(1).max(100_000).optional(),
  ...formatFields,
}, { message: 'is not a parameter of the audit log' });

/** How long an erasure waits for the ingest journal before it refuses: it must not miss events accepted before it. */
const ERASE_WAITS_FOR_INGEST_MS = 60_000;

export function privacyRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  const admin = requireRole('admin');

  app.post('/privacy/access', admin, async (c) => {
    const { identifier } = await body(c, subjectInput);
    const s = await resolveSubject(ctx.storage, ctx.pseudo.user(identifier));
    c.set('auditParams', { pseudonym: s.identKey, person: s.personKey || null });
    const out = await exportSubject(ctx.storage, s, ctx.config.timeZone);
    c.set('auditRows', Object.values(out.stored).reduce((a, v) => a + v.length, 0));
    return c.json({ generatedAt: new Date().toISOString(), ...out });
  });

  app.post('/privacy/erase', admin, async (c) => {
    const { identifier } = await body(c, eraseInput);
    // Events accepted before the request and not yet stored would be stored after the erasure
    // (and a pending insert completed then would bring its rows back): all of them first.
    if (!(await ctx.ingest.caughtUp(ERASE_WAITS_FOR_INGEST_MS))) {
      throw new StorageUnavailable('events accepted before this request are not all stored yet (storage is failing or far behind): nothing was erased, retry later', 30);
    }
    const s = await resolveSubject(ctx.storage, ctx.pseudo.user(identifier));
    c.set('auditParams', { pseudonym: s.identKey, person: s.personKey || null });
    let counts;
    try {
      counts = await eraseSubject(ctx.storage, s);
    } catch (e) {
      if (!(e instanceof ErasureIncomplete)) throw e;
      console.error(JSON.stringify({ level: 'error', msg: 'erasure stopped part-way', erased: e.erased, remaining: e.remaining, error: e.message }));
      throw new ApiError(503, 'erasure_incomplete', 'storage failed during the erasure: some tables are erased, the rest not yet. Nothing was recorded as erased; send the same request again to finish it', {
        erased: e.erased, remaining: e.remaining,
      }, { 'Retry-After': '30' });
    }
    const total = Object.values(counts).reduce((a, n) => a + n, 0);
    if (total === 0) throw new ApiError(404, 'not_found', 'nothing is stored under this identifier (after normalising: e-mail-like identifiers and UUIDs ignore case)');
    const caller = c.get('caller');
    const at = new Date();
    await ctx.storage.write.insert({
      table: 'erasures',
      values: [{
        at: chTime(at), actor_id: caller.tokenId, actor: caller.name, role: caller.role,
        person_key: s.personKey || s.identKey, ident_keys: s.userKeys, counts: JSON.stringify(counts),
      }],
      format: 'JSONEachRow',
    });
    access(ctx).sessions.invalidate();
    c.set('auditRows', total);
    return c.json({ erased: true, at: at.toISOString(), person: s.personKey || null, pseudonyms: s.userKeys, counts });
  });

  app.get('/privacy/erasures', admin, async (c) => {
    const choice = parseFormat(c);
    const rows = await queryRows<Record<string, unknown>>(
      ctx.storage.read,
      `SELECT formatDateTime(at, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS at, actor_id AS actorId, actor, role, person_key AS person,
              ident_keys AS pseudonyms, counts FROM erasures ORDER BY at DESC`,
    );
    c.set('auditRows', rows.length);
    return answerRows(c, choice, { name: 'erasures', rows: rows.map((r) => ({ ...r, counts: JSON.parse(String(r.counts)) })), timeZone: ctx.config.timeZone });
  });

  app.get('/audit', admin, async (c) => {
    const raw: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.req.queries())) raw[k] = v[0];
    const r = auditQuery.safeParse(raw);
    if (!r.success) throw new ApiError(400, 'bad_request', `invalid parameters: ${issuesText(r.error)}`, describeIssues(r.error));
    const q = r.data;
    const rows = await readAudit(ctx.storage, { from: q.from, to: q.to, actor: q.actor, action: q.action, limit: q.limit ?? 1000 });
    c.set('auditRows', rows.length);
    return answerRows(c, q, {
      name: 'audit', rows, timeZone: ctx.config.timeZone,
      fileRows: rows.map((x) => ({ ...x, params: JSON.stringify(x.params) })),
      extra: { params: { from: q.from ?? null, to: q.to ?? null, actor: q.actor ?? null, action: q.action ?? null, limit: q.limit ?? 1000 } },
    });
  });
  return app;
}
