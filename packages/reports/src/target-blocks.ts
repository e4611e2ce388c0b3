import { span } from './masks.ts';

/**
 * Figure 13 in SQL: on which days a person is in a licence's target. Targets come as query
 * parameters (targets.ts `targetParams`); the register gives each person *placements*: an
 * enrolment's school form and year, a group's (for its members' member days), a duty's role.
 *
 * A person is in target T on day D when
 * - an enrolment covering D matches T's school forms and years, or, with no enrolment that
 *   says anything on D, a group they are a member of on D does;
 * - or a duty covering D has one of T's duty roles (any duty when T names none);
 * - or the register places them nowhere on D (it cannot say they are outside).
 * A placement matches a dimension the target leaves empty, and a value it does not give (a
 * group with a school form but no year matches any year).
 */

export const licenceTargets = `licence_targets AS (
  SELECT licence, types, years, roles FROM (
    SELECT {t_ids:Array(String)} AS i, {t_types:Array(Array(String))} AS t, {t_years:Array(Array(Int16))} AS y, {t_roles:Array(Array(String))} AS r)
  ARRAY JOIN i AS licence, t AS types, y AS years, r AS roles)`;

export const placements = `placements AS (
  SELECT reinterpretAsUInt128(unhex(person_key)) AS pk, 'e' AS kind, toString(school_type) AS st, toInt16(school_year) AS sy, start, end
  FROM enrolments FINAL WHERE school_type != '' OR school_year >= 0
  UNION ALL
  SELECT reinterpretAsUInt128(unhex(m.person_key)) AS pk, 'g' AS kind, toString(g.school_type) AS st, toInt16(g.school_year) AS sy,
         greatest(m.start, g.start) AS start, least(m.end, g.end) AS end
  FROM (SELECT group_id, person_key, start, end FROM memberships FINAL) AS m
  INNER JOIN (SELECT id, school_type, school_year, start, end FROM groups FINAL WHERE school_type != '' OR school_year >= 0) AS g ON g.id = m.group_id
  WHERE greatest(m.start, g.start) <= least(m.end, g.end)
  UNION ALL
  SELECT reinterpretAsUInt128(unhex(person_key)) AS pk, 'd' AS kind, toString(role) AS st, toInt16(-1) AS sy, start, end
  FROM duties FINAL WHERE person_key != '')`;

/** Whether placement `p` matches target `t` in school form and year (duty roles apart). */
export const formMatches = (p: string, t: string) =>
  `((empty(${t}.types) OR ${p}.st = '' OR has(${t}.types, ${p}.st)) AND (empty(${t}.years) OR ${p}.sy < 0 OR has(${t}.years, ${p}.sy)))`;
export const roleMatches = (p: string, t: string) => `(empty(${t}.roles) OR has(${t}.roles, ${p}.st))`;

/** The in-target rule above, from the six flags or masks of a person's placements. */
export const inTargetOf = (e_in: string, e_placed: string, g_in: string, g_placed: string, d_in: string, d_placed: string, not: (x: string) => string, or: (...x: string[]) => string, and: (a: string, b: string) => string) =>
  or(e_in, and(g_in, not(e_placed)), d_in, not(or(e_placed, g_placed, d_placed)));

const maskOr = (...x: string[]) => x.reduce((a, b) => `bitOr(${a}, ${b})`);
const maskAnd = (a: string, b: string) => `bitAnd(${a}, ${b})`;
const maskNot = (a: string) => `bitNot(${a})`;

/**
 * The claims (figure 6) of targeted licences with the days of each that fall in the target:
 * `inclaim` (0 when none). Claims of other licences are not here.
 */
export const targetClaims = `target_claims AS (
  SELECT pk, licence, half, claim, bitAnd(claim, ${inTargetOf('e_in', 'e_placed', 'g_in', 'g_placed', 'd_in', 'd_placed', maskNot, maskOr, maskAnd)}) AS inclaim FROM (
    SELECT c.pk AS pk, c.licence AS licence, c.half AS half, c.claim AS claim,
           groupBitOrIf(${span('c.half', 'p.start', 'p.end')}, p.kind = 'e' AND ${formMatches('p', 't')}) AS e_in,
           groupBitOrIf(${span('c.half', 'p.start', 'p.end')}, p.kind = 'e') AS e_placed,
           groupBitOrIf(${span('c.half', 'p.start', 'p.end')}, p.kind = 'g' AND ${formMatches('p', 't')}) AS g_in,
           groupBitOrIf(${span('c.half', 'p.start', 'p.end')}, p.kind = 'g') AS g_placed,
           groupBitOrIf(${span('c.half', 'p.start', 'p.end')}, p.kind = 'd' AND ${roleMatches('p', 't')}) AS d_in,
           groupBitOrIf(${span('c.half', 'p.start', 'p.end')}, p.kind = 'd') AS d_placed
    FROM (SELECT pk, licence, half, groupBitOr(claim) AS claim FROM claims WHERE licence IN (SELECT licence FROM licence_targets) GROUP BY pk, licence, half) AS c
    INNER JOIN licence_targets AS t ON t.licence = c.licence
    LEFT JOIN placements AS p ON p.pk = c.pk
    GROUP BY pk, licence, half, claim))`;

const flagOr = (...x: string[]) => `(${x.join(' OR ')})`;
const flagAnd = (a: string, b: string) => `(${a} AND ${b})`;
const flagNot = (a: string) => `(NOT ${a})`;

/**
 * Whether each person of `who` (licence, pk, day) is in the licence's target on that day.
 */
export const inTargetOnDay = (who: string) => {
  const on = '(p.start <= w.day AND p.end >= w.day)';
  return `SELECT licence, pk, day, ${inTargetOf('e_in', 'e_placed', 'g_in', 'g_placed', 'd_in', 'd_placed', flagNot, flagOr, flagAnd)} AS inside FROM (
    SELECT w.licence AS licence, w.pk AS pk, w.day AS day,
           max(${on} AND p.kind = 'e' AND ${formMatches('p', 't')}) AS e_in, max(${on} AND p.kind = 'e') AS e_placed,
           max(${on} AND p.kind = 'g' AND ${formMatches('p', 't')}) AS g_in, max(${on} AND p.kind = 'g') AS g_placed,
           max(${on} AND p.kind = 'd' AND ${roleMatches('p', 't')}) AS d_in, max(${on} AND p.kind = 'd') AS d_placed
    FROM ${who} AS w
    INNER JOIN licence_targets AS t ON t.licence = w.licence
    LEFT JOIN placements AS p ON p.pk = w.pk
    GROUP BY licence, pk, day)`;
};
