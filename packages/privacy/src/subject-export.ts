import { answerDate, queryRows, type Storage } from '@licenskoll/storage';
import type { Subject } from './subject.ts';

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

