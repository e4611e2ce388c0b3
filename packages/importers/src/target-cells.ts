import { parseSchoolTypes, parseYears, type Target } from '@licenskoll/core';
import { TARGET_COLUMN_KEYS, type TargetColumn } from './headers.ts';
import type { SheetRow } from './sheet.ts';
import { splitList } from './values.ts';

/**
 * A row's target (målgrupp) from the `Skolform`, `Årskurs`, `Ämne` and `Befattning` columns:
 * `GR`, `GR, GRS`; `7-9`, `1,2,3`, `F-3`. Without any of those columns the row has no target
 * of its own (`undefined`) and a stored one is kept; with them, the cells are the target (an
 * empty cell leaves that dimension unrestricted).
 */
export function targetCells<K extends string>(r: SheetRow<K | TargetColumn>): { target?: Target; problems: { col: TargetColumn; reason: string }[] } {
  if (!TARGET_COLUMN_KEYS.some((k) => r.has(k))) return { problems: [] };
  const problems: { col: TargetColumn; reason: string }[] = [];
  const types = parseSchoolTypes(r.get('schoolTypes'));
  if (types.error) problems.push({ col: 'schoolTypes', reason: types.error });
  const years = parseYears(r.get('years'));
  if (years.error) problems.push({ col: 'years', reason: years.error });
  const words = (col: TargetColumn) => splitList(r.get(col), /\s*[|,;]\s*/).filter(Boolean);
  if (problems.length) return { problems };
  return { target: { schoolTypes: types.value!, years: years.value!, subjects: words('subjects'), dutyRoles: words('dutyRoles') }, problems };
}
