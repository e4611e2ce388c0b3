/*
 * OneRoster's words as SS12000 has them (org types, staff roles, grades) and the cells
 * exports write in several ways (user ids, terms): what oneroster-map.ts maps rows with.
 */

export const ORG_TYPES: Record<string, string> = { district: 'Huvudman', school: 'Skolenhet' };
export const STAFF_ROLES: Record<string, (orgType?: string) => string> = {
  teacher: () => 'Lärare',
  principal: () => 'Rektor',
  // 1.1 has one "administrator" role; at a school it is the head, higher up it is management.
  administrator: (t) => (t === 'district' ? 'Övrig arbetsledning' : 'Rektor'),
  siteAdministrator: () => 'Rektor',
  districtAdministrator: () => 'Övrig arbetsledning',
  systemAdministrator: () => 'Övrig arbetsledning',
  aide: () => 'Lärarassistent',
  counselor: () => 'Annan personal',
  proctor: () => 'Annan personal',
};
export const NOT_ROSTERED = new Set(['guardian', 'parent', 'relative']);
// A Swedish personnummer or samordningsnummer in any common spelling: never imported as an identifier.
export const CIVIC_NO = /^(\d{2})?\d{6}[-+]?\d{4}$/;

/** CEDS grade codes → SS12000 school type and year (årskurs). */
export function schoolOfGrades(grades: string): { schoolType?: string; schoolYear?: number } {
  const list = grades.split(',').map((g) => g.trim().toUpperCase()).filter(Boolean);
  const each = list.map((g): { t?: string; y?: number } => {
    if (['PK', 'IT', 'PR'].includes(g)) return { t: 'FS' };
    if (['KG', 'TK', '00', '0'].includes(g)) return { t: 'FKLASS', y: 0 };
    const n = /^\d{1,2}$/.test(g) ? Number(g) : NaN;
    if (n >= 1 && n <= 9) return { t: 'GR', y: n };
    if (n >= 10 && n <= 12) return { t: 'GY', y: n - 9 };
    return {};
  });
  const types = new Set(each.map((e) => e.t));
  if (types.size !== 1 || !each[0]?.t) return {};
  return { schoolType: each[0].t, ...(each.length === 1 && each[0].y !== undefined ? { schoolYear: each[0].y } : {}) };
}

/** `{LDAP:astexe01},{LTI:39f1dae5}` (or without braces) → typed identifiers. */
export function parseUserIds(cell: string): { type: string; id: string }[] {
  const out: { type: string; id: string }[] = [];
  for (const part of cell.match(/\{[^}]*\}|[^,{}]+/g) ?? []) {
    const m = /^\{?\s*([^:}]+?)\s*:\s*([^}]*?)\s*\}?$/.exec(part.trim());
    if (m && m[2]) out.push({ type: m[1], id: m[2] });
  }
  return out;
}

/** A class's terms: `ht24,vt25`, `{ht24},{vt25}`, `ht24;vt25` or `["ht24","vt25"]` as exports write them. */
export function termList(cell: string): string[] {
  return [...new Set(cell.split(/[,;|]/).map((t) => t.replace(/[[\]{}"']/g, '').trim()).filter(Boolean))];
}
