import { chTime } from '@licenskoll/core';
import { queryRows, tables, writeWhole, type Storage } from '@licenskoll/storage';
import type { Subject } from './subject.ts';

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
    // One step for the reports of this process (whole-writes.ts): the person is there or erased, not a table at a time.
    await writeWhole(storage, async () => {
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
    });
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

/** Who erased: the caller of the request, as the audit log names them. */
export interface Eraser {
  tokenId: string;
  name: string;
  role: string;
}

/**
 * Records a finished erasure: who, when, the pseudonyms erased and how many rows of each
 * table, so that an earlier erasure can be shown (and is in a subject's export) without
 * keeping anything that identifies the person.
 */
export async function recordErasure(storage: Storage, by: Eraser, s: Subject, counts: Record<string, number>, at: Date): Promise<void> {
  await storage.write.insert({
    table: 'erasures',
    values: [{
      at: chTime(at), actor_id: by.tokenId, actor: by.name, role: by.role,
      person_key: s.personKey || s.identKey, ident_keys: s.userKeys, counts: JSON.stringify(counts),
    }],
    format: 'JSONEachRow',
  });
}

/** Every recorded erasure, newest first. */
export async function listErasures(storage: Storage): Promise<Record<string, unknown>[]> {
  const rows = await queryRows<Record<string, unknown>>(
    storage.read,
    `SELECT formatDateTime(at, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS at, actor_id AS actorId, actor, role, person_key AS person,
            ident_keys AS pseudonyms, counts FROM erasures ORDER BY at DESC`,
  );
  return rows.map((r) => ({ ...r, counts: JSON.parse(String(r.counts)) }));
}
